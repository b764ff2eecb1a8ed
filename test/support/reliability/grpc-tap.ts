// A recording proxy between Pilot and the Waypoint emulator: plain HTTP/2 on loopback,
// every gRPC call forwarded untouched (unary and streaming, trailers included) and
// recorded on the way with its arrival time and its request decoded by the real
// proto. What Pilot sent, counted where it crosses the wire, without touching Pilot.

import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import type * as grpc from '@grpc/grpc-js';
import { waypointPackageDefinition } from '../../../src/waypoint/proto/load.js';

const service = 'hashicorp.waypoint.Waypoint';

/** One call as the tap saw it. */
export interface TappedCall {
  /** The RPC name, e.g. QueueJob. */
  method: string;
  /** Date.now() when its headers arrived. */
  at: number;
  /** The request message, decoded (undefined until the client finished sending it). */
  request?: unknown;
  /** The grpc-status the server answered with (undefined while open). */
  status?: number;
}

export interface GrpcTap {
  /** host:port to give Pilot in place of the emulator's. */
  readonly address: string;
  readonly calls: readonly TappedCall[];
  /** Calls of `method` (all when absent) that arrived in [from, to]. */
  count(method?: string, from?: number, to?: number): number;
  /** Called with each call as it arrives, before it is forwarded. */
  onCall(hook: (call: TappedCall) => void): () => void;
  /** Until the returned function is called, calls `refuse` picks are answered `code` here, never forwarded. */
  refuse(refuse: (call: TappedCall) => boolean, code: number, message: string): () => void;
  close(): Promise<void>;
}

type Deserialize = (bytes: Buffer) => unknown;

function deserializers(): Map<string, { method: string; decode: Deserialize }> {
  const definition = waypointPackageDefinition()[service] as unknown as grpc.ServiceDefinition;
  return new Map(Object.entries(definition).map(([method, d]) => [d.path, { method, decode: (bytes: Buffer) => d.requestDeserialize(bytes) }]));
}

/** The first message of a gRPC request body: 1 byte compressed flag, 4 bytes length, the message. */
function firstMessage(body: Buffer): Buffer | undefined {
  if (body.length < 5 || body[0] !== 0) return undefined;
  return body.subarray(5, 5 + body.readUInt32BE(1));
}

/** Headers HTTP/2 may carry from one hop to the next (pseudo-headers of a response are set by respond()). */
function forwardable(headers: http2.IncomingHttpHeaders, keep: readonly string[]): http2.OutgoingHttpHeaders {
  const out: http2.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    if (name.startsWith(':') && !keep.includes(name)) continue;
    out[name] = value;
  }
  return out;
}

export async function startGrpcTap(upstreamAddress: string): Promise<GrpcTap> {
  const methods = deserializers();
  const calls: TappedCall[] = [];
  const hooks = new Set<(call: TappedCall) => void>();
  const refusals = new Set<{ refuse: (call: TappedCall) => boolean; code: number; message: string }>();
  let upstream: http2.ClientHttp2Session | undefined;
  const session = () => {
    if (!upstream || upstream.closed || upstream.destroyed) {
      upstream = http2.connect(`http://${upstreamAddress}`);
      upstream.on('error', () => undefined);
    }
    return upstream;
  };
  const sessions = new Set<http2.ServerHttp2Session>();

  const server = http2.createServer();
  server.on('session', (s) => {
    sessions.add(s);
    s.on('close', () => sessions.delete(s));
  });
  server.on('stream', (stream, headers) => {
    const path = String(headers[':path'] ?? '');
    const known = methods.get(path);
    const call: TappedCall = { method: known?.method ?? path, at: Date.now() };
    calls.push(call);
    for (const hook of [...hooks]) hook(call);
    const refusal = [...refusals].find((r) => r.refuse(call));
    if (refusal) {
      call.status = refusal.code;
      stream.on('error', () => undefined);
      stream.resume();
      stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': String(refusal.code), 'grpc-message': encodeURIComponent(refusal.message) }, { endStream: true });
      return;
    }

    const chunks: Buffer[] = [];
    const out = session().request(forwardable(headers, [':method', ':path', ':authority', ':scheme']));
    out.on('error', () => undefined);
    stream.on('error', () => undefined);
    stream.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      out.write(chunk);
    });
    stream.on('end', () => {
      out.end();
      const message = firstMessage(Buffer.concat(chunks));
      if (known && message) call.request = known.decode(message);
    });
    // The client gave up (a cancelled stream, a deadline): so does the tap.
    stream.on('close', () => {
      if (!out.closed) out.close(http2.constants.NGHTTP2_CANCEL);
    });

    let trailers: http2.OutgoingHttpHeaders = {};
    out.on('response', (response, flags) => {
      if (stream.closed) return;
      const ended = (flags & http2.constants.NGHTTP2_FLAG_END_STREAM) !== 0;
      if (ended) {
        call.status = Number(response['grpc-status'] ?? 0);
        stream.respond(forwardable(response, [':status']), { endStream: true });
      } else {
        stream.respond(forwardable(response, [':status']), { waitForTrailers: true });
      }
    });
    out.on('trailers', (received) => {
      trailers = forwardable(received, []);
      call.status = Number(received['grpc-status'] ?? 0);
    });
    out.on('data', (chunk: Buffer) => {
      if (!stream.closed) stream.write(chunk);
    });
    stream.on('wantTrailers', () => stream.sendTrailers(trailers));
    out.on('end', () => {
      if (!stream.closed && stream.headersSent) stream.end();
    });
    out.on('close', () => {
      // The emulator went away mid-call: answer as a server that is gone would.
      if (stream.closed) return;
      if (!stream.headersSent) {
        call.status = 14;
        stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '14', 'grpc-message': 'tap: upstream closed' }, { endStream: true });
      } else if (!stream.writableEnded) {
        stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
      }
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    calls,
    count: (method, from = 0, to = Number.POSITIVE_INFINITY) =>
      calls.filter((c) => (method === undefined || c.method === method) && c.at >= from && c.at <= to).length,
    onCall(hook) {
      hooks.add(hook);
      return () => hooks.delete(hook);
    },
    refuse(refuse, code, message) {
      const refusal = { refuse, code, message };
      refusals.add(refusal);
      return () => refusals.delete(refusal);
    },
    async close() {
      for (const s of sessions) s.destroy();
      upstream?.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
