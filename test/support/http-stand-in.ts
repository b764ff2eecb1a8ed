// A real HTTP server on a random loopback port that records every request before a stand-in answers it.

import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** As sent on the wire: path and query, still percent-encoded. */
  url: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface StandIn {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export type Handler = (req: RecordedRequest, res: ServerResponse) => void | Promise<void>;

export async function startStandIn(handle: Handler): Promise<StandIn> {
  const requests: RecordedRequest[] = [];
  const server = createServer(async (incoming, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const url = incoming.url ?? '/';
    const parsed = new URL(url, 'http://stand-in');
    const req: RecordedRequest = {
      method: incoming.method ?? 'GET',
      url,
      path: parsed.pathname,
      query: parsed.searchParams,
      headers: incoming.headers,
      body: Buffer.concat(chunks),
    };
    requests.push(req);
    try {
      await handle(req, res);
    } catch (error) {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`stand-in failure: ${String(error)}`);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

export function send(res: ServerResponse, status: number, contentType: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

export function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  send(res, status, 'application/json; charset=UTF-8', JSON.stringify(value), headers);
}

/** What `run` returned, with the requests the stand-in received while it ran. */
export async function requestsDuring<T>(standIn: StandIn, run: () => Promise<T>): Promise<[T, RecordedRequest[]]> {
  const from = standIn.requests.length;
  const result = await run();
  return [result, standIn.requests.slice(from)];
}
