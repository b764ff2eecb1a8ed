// A Docker Engine API stand-in on a unix socket, for the emulated runner's exec deploys: enough of
// the API to create a container from an image, copy a folder out of it, and remove it. An image
// is a folder on disk that stands for its root filesystem.

import { randomBytes } from 'node:crypto';
import { rm, stat } from 'node:fs/promises';
import { createServer, type ServerResponse } from 'node:http';
import { basename, dirname, join, posix } from 'node:path';
import { create } from 'tar';

export interface DockerEngine {
  /** Image reference ("name:tag"; without a tag, ":latest") → folder holding the image's files. */
  images: Map<string, string>;
  /** Containers created and not yet removed: id → image root. */
  containers: Map<string, string>;
  requests: { method: string; path: string }[];
  close(): Promise<void>;
}

/** Adds ":latest" to an untagged reference; a registry port ("host:5000/app") is not a tag. */
export function normalizeImageRef(ref: string): string {
  if (ref.includes('@')) return ref;
  return ref.slice(ref.lastIndexOf('/') + 1).includes(':') ? ref : `${ref}:latest`;
}

function reply(res: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
}

async function readJson(req: AsyncIterable<unknown>): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

async function sendArchive(res: ServerResponse, id: string, root: string, path: string): Promise<void> {
  // Resolved under the image root: "/../etc" stays inside it, as it would inside a container.
  const target = join(root, posix.normalize(`/${path}`));
  const info = await stat(target).catch(() => undefined);
  if (!info) return reply(res, 404, { message: `Could not find the file ${path} in container ${id}` });
  const pathStat = { name: basename(target), size: info.size, mode: info.mode, mtime: info.mtime.toISOString(), linkTarget: '' };
  res.writeHead(200, { 'content-type': 'application/x-tar', 'x-docker-container-path-stat': Buffer.from(JSON.stringify(pathStat)).toString('base64') });
  // Like the engine, the archive's top entry is the folder's own name ("site/"); links are not followed.
  const archive = target === root ? create({ cwd: root, portable: true }, ['.']) : create({ cwd: dirname(target), portable: true }, [basename(target)]);
  archive.on('error', (error: unknown) => res.destroy(error instanceof Error ? error : new Error(String(error))));
  archive.pipe(res);
}

export async function startDockerEngine({ socketPath }: { socketPath: string }): Promise<DockerEngine> {
  const images = new Map<string, string>();
  const containers = new Map<string, string>();
  const requests: { method: string; path: string }[] = [];

  function imageRoot(ref: string): string | undefined {
    const wanted = normalizeImageRef(ref);
    for (const [name, root] of images) if (normalizeImageRef(name) === wanted) return root;
    return undefined;
  }

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://docker');
    const method = req.method ?? 'GET';
    requests.push({ method, path: `${url.pathname}${url.search}` });
    const container = /^\/v1\.41\/containers\/([0-9a-f]{64})(\/archive)?$/.exec(url.pathname);
    try {
      // The engine announces its API version here; clients negotiate from it.
      if (method === 'GET' && url.pathname === '/_ping') {
        res.writeHead(200, { 'Content-Type': 'text/plain', 'API-Version': '1.41', 'Docker-Experimental': 'false' }).end('OK');
        return;
      }
      if (method === 'POST' && url.pathname === '/v1.41/containers/create') {
        const body = await readJson(req);
        const image = (body as { Image?: unknown } | undefined)?.Image;
        if (typeof image !== 'string' || image === '') return reply(res, 400, { message: 'Config cannot be empty in order to create a container' });
        const root = imageRoot(image);
        if (root === undefined) return reply(res, 404, { message: `No such image: ${normalizeImageRef(image)}` });
        const id = randomBytes(32).toString('hex');
        containers.set(id, root);
        return reply(res, 201, { Id: id, Warnings: [] });
      }
      if (!container) return reply(res, 404, { message: 'page not found' });
      const [, id = '', archive] = container;
      const root = containers.get(id);
      if (root === undefined) return reply(res, 404, { message: `No such container: ${id}` });
      if (method === 'GET' && archive) {
        const path = url.searchParams.get('path');
        if (!path) return reply(res, 400, { message: 'bad parameter: path cannot be empty' });
        return await sendArchive(res, id, root, path);
      }
      if (method === 'DELETE' && !archive) {
        containers.delete(id);
        return reply(res, 204);
      }
      return reply(res, 404, { message: 'page not found' });
    } catch (error) {
      if (!res.headersSent) reply(res, 500, { message: String(error) });
      else res.destroy();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, resolve);
  });
  return {
    images,
    containers,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(socketPath, { force: true });
    },
  };
}
