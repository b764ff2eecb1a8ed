// A minimal Docker Engine API client over the unix socket that DOCKER_HOST names.

import { request, type IncomingMessage } from 'node:http';
import { SyncError } from './errors.js';

export interface DockerEngine {
  socketPath: string;
  apiVersion: string;
}

export function dockerEngineFromEnv(env: NodeJS.ProcessEnv): DockerEngine {
  const host = env.DOCKER_HOST || 'unix:///var/run/docker.sock';
  if (!host.startsWith('unix://')) throw new SyncError(`DOCKER_HOST "${host}" is not a unix:// socket; pilot-sync only speaks to a local engine`);
  // DOCKER_API_VERSION is the docker CLI's own override, for engines that no longer accept 1.41.
  const apiVersion = env.DOCKER_API_VERSION || '1.41';
  if (!/^\d+\.\d+$/.test(apiVersion)) throw new SyncError(`DOCKER_API_VERSION "${apiVersion}" is not a version like 1.41`);
  return { socketPath: host.slice('unix://'.length), apiVersion };
}

export interface EngineRequest {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  body?: unknown;
}

/** Sends one request; resolves with the response, whatever its status. */
export function engineRequest(engine: DockerEngine, { method, path, body }: EngineRequest): Promise<IncomingMessage> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request({
      socketPath: engine.socketPath,
      path: `/v${engine.apiVersion}${path}`,
      method,
      headers: { host: 'docker', ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }) },
    }, resolve);
    req.on('error', (error: NodeJS.ErrnoException) => {
      const why = error.code === 'ENOENT' || error.code === 'ECONNREFUSED' ? 'no Docker engine listens there' : error.message;
      reject(new SyncError(`cannot reach Docker at unix://${engine.socketPath}: ${why}`));
    });
    req.end(payload);
  });
}

export async function readBody(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The engine's `{"message": ...}` error as one line, or the status when the body says nothing. */
export async function engineError(response: IncomingMessage): Promise<string> {
  const text = await readBody(response);
  try {
    const { message } = JSON.parse(text) as { message?: unknown };
    if (typeof message === 'string' && message) return message.replace(/\s+/g, ' ').trim();
  } catch {
    // Not JSON (a proxy in the way, or an old engine): fall through to the status line.
  }
  return `HTTP ${response.statusCode ?? '?'}${text.trim() ? ` ${text.trim().slice(0, 200)}` : ''}`;
}

export async function engineJson<T>(engine: DockerEngine, req: EngineRequest, what: string): Promise<T> {
  const response = await engineRequest(engine, req);
  if ((response.statusCode ?? 500) >= 300) throw new SyncError(`${what}: ${await engineError(response)}`);
  return JSON.parse(await readBody(response)) as T;
}
