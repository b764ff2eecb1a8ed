// A minimal Docker Engine API client over the unix socket that DOCKER_HOST names.

import { request, type IncomingMessage } from 'node:http';
import { SyncError } from './errors.js';

export interface DockerEngine {
  socketPath: string;
  apiVersion: string;
}

/** The oldest API version with every call pilot-sync makes (create, archive, delete). */
const oldestVersion = '1.41';

const versionNumber = (version: string) => version.split('.').map(Number) as [number, number];
const newer = (a: string, b: string) => {
  const [x, y] = [versionNumber(a), versionNumber(b)];
  return x[0] !== y[0] ? x[0] > y[0] : x[1] > y[1];
};

/**
 * The engine named by DOCKER_HOST, speaking the API version it announces on /_ping (as
 * the docker CLI negotiates: newer engines refuse old versions), unless
 * DOCKER_API_VERSION, the CLI's own override, says otherwise.
 */
export async function dockerEngineFromEnv(env: NodeJS.ProcessEnv): Promise<DockerEngine> {
  const host = env.DOCKER_HOST || 'unix:///var/run/docker.sock';
  if (!host.startsWith('unix://')) throw new SyncError(`DOCKER_HOST "${host}" is not a unix:// socket; pilot-sync only speaks to a local engine`);
  const socketPath = host.slice('unix://'.length);
  const given = env.DOCKER_API_VERSION;
  if (given !== undefined && given !== '') {
    if (!/^\d+\.\d+$/.test(given)) throw new SyncError(`DOCKER_API_VERSION "${given}" is not a version like 1.41`);
    return { socketPath, apiVersion: given };
  }
  const ping = await engineRequest({ socketPath, apiVersion: '' }, { method: 'GET', path: '/_ping' });
  ping.resume();
  const announced = ping.headers['api-version'];
  const apiVersion = typeof announced === 'string' && /^\d+\.\d+$/.test(announced) && newer(announced, oldestVersion) ? announced : oldestVersion;
  return { socketPath, apiVersion };
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
      path: engine.apiVersion ? `/v${engine.apiVersion}${path}` : path,
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
