// Copies the built site out of its image: create a container (never started), fetch the site
// folder as a tar, extract it, and always remove the container.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { extract, type ReadEntry } from 'tar';
import { engineError, engineJson, engineRequest, type DockerEngine } from './docker-engine.js';
import { step, SyncError } from './errors.js';

async function createContainer(engine: DockerEngine, image: string): Promise<string> {
  // The site's final stage is usually FROM scratch with no CMD, and the engine refuses to create a
  // container without one; it is never started, so any command will do.
  const body = { Image: image, Cmd: ['/pilot-sync-never-runs'], NetworkDisabled: true };
  const created = await engineJson<{ Id?: string }>(engine, { method: 'POST', path: '/containers/create', body }, `cannot use image ${image}`);
  if (!created.Id) throw new SyncError(`cannot use image ${image}: the engine returned no container id`);
  return created.Id;
}

async function removeContainer(engine: DockerEngine, id: string): Promise<void> {
  const response = await engineRequest(engine, { method: 'DELETE', path: `/containers/${id}?force=true` });
  if ((response.statusCode ?? 500) >= 300 && response.statusCode !== 404) {
    throw new SyncError(`cannot remove container ${id.slice(0, 12)}: ${await engineError(response)}`);
  }
  response.resume();
}

const extractedTypes = new Set(['File', 'OldFile', 'ContiguousFile', 'Directory']);

async function copyOut(engine: DockerEngine, id: string, imagePath: string, into: string, skipped: string[]): Promise<void> {
  const response = await engineRequest(engine, { method: 'GET', path: `/containers/${id}/archive?path=${encodeURIComponent(imagePath)}` });
  if (response.statusCode !== 200) throw new SyncError(`cannot read ${imagePath} from the image: ${await engineError(response)}`);
  // tar already refuses absolute paths and "..". Links are left out: one could point anywhere on the runner.
  const filter = (path: string, entry: unknown) => {
    const keep = extractedTypes.has((entry as ReadEntry).type);
    if (!keep) skipped.push(path.split('/').slice(1).join('/'));
    return keep;
  };
  await step(`extracting ${imagePath} from the image`, () => pipeline(response, extract({ cwd: into, filter, strict: true })));
}

export interface ExtractedSite {
  root: string;
  skipped: string[];
  cleanup(): Promise<void>;
}

export async function extractSiteFromImage(engine: DockerEngine, image: string, imagePath: string): Promise<ExtractedSite> {
  const into = await mkdtemp(join(tmpdir(), 'pilot-sync-'));
  const cleanup = () => rm(into, { recursive: true, force: true });
  const skipped: string[] = [];
  try {
    const id = await createContainer(engine, image);
    // The container goes whatever happened, and a failed removal does not hide why the copy failed.
    const copied = await copyOut(engine, id, imagePath, into, skipped).then(() => undefined, (error: unknown) => ({ error }));
    await removeContainer(engine, id).catch((error: unknown) => {
      if (copied === undefined) throw error;
    });
    if (copied !== undefined) throw copied.error;
  } catch (error) {
    await cleanup();
    throw error;
  }
  // The archive's top entry is the folder's own name: /site arrives as site/.
  return { root: join(into, basename(imagePath)), skipped, cleanup };
}
