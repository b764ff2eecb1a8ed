// Files named like manifests that are not regular files: a FIFO would block the read
// forever, a device would be read without end. Discovery skips them with a warning,
// `pilot validate FILE` refuses them, and neither ever opens one for reading.

import { execFileSync } from 'node:child_process';
import { constants } from 'node:fs';
import { mkdir, mkdtemp, open, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { discoverManifests } from '../src/sources/manifests/discover.js';
import { cli } from './support/cli.js';

const made: string[] = [];
afterEach(async () => {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function tempRepo(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pilot-special-'));
  made.push(dir);
  return dir;
}

function mkfifo(file: string): void {
  execFileSync('mkfifo', [file]);
}

/** A reader blocked on the FIFO gets its end of file, so a failing test still ends. */
async function unblock(fifo: string): Promise<void> {
  const writer = await open(fifo, constants.O_WRONLY | constants.O_NONBLOCK).catch(() => undefined);
  await writer?.close();
}

function within<T>(work: Promise<T>, ms: number): Promise<T | 'late'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), ms)));
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** `work` within two seconds, or a failure (after unblocking every read of the FIFO it hangs on). */
async function promptly<T>(work: Promise<T>, fifo: string): Promise<T> {
  const first = await within(work, 2000);
  if (first !== 'late') return first;
  do await unblock(fifo);
  while ((await within(work.catch(() => undefined), 100)) === 'late');
  throw new Error(`still reading ${fifo} after 2 s: it was opened and blocked`);
}

const manifest = 'apiVersion: pilot.dev/v1\nkind: Project\nname: acme\n';

describe('discovery', () => {
  it('skips a FIFO, and a symlink to one, with a warning naming each', async () => {
    const root = await tempRepo();
    mkfifo(path.join(root, 'pilot.yaml'));
    await symlink(path.join(root, 'pilot.yaml'), path.join(root, 'link.pilot.yaml'));
    await mkdir(path.join(root, 'svc'));
    await writeFile(path.join(root, 'svc/x.pilot.yaml'), manifest);
    const { files, problems } = await promptly(discoverManifests(root), path.join(root, 'pilot.yaml'));
    expect(files.map((f) => f.path)).toEqual(['svc/x.pilot.yaml']);
    expect(problems.map((p) => [p.file, p.severity, p.rule])).toEqual([
      ['link.pilot.yaml', 'warning', 'files.not-regular'],
      ['pilot.yaml', 'warning', 'files.not-regular'],
    ]);
    expect(problems[1]!.message).toBe('not read: this is a FIFO (named pipe), not a regular file; a manifest must be a regular file');
  });

  it('pilot validate DIR answers at once and names the skipped FIFO', async () => {
    const root = await tempRepo();
    mkfifo(path.join(root, 'pilot.yaml'));
    const run = await promptly(cli(['validate', root]), path.join(root, 'pilot.yaml'));
    expect(run.stdout).toContain('pilot.yaml:1:1: warning: not read: this is a FIFO (named pipe)');
    expect(run.stderr).toContain('no manifests');
    expect(run.code).toBe(1);
  });
});

describe('pilot validate FILE', () => {
  it('refuses a FIFO without opening it', async () => {
    const fifo = path.join(await tempRepo(), 'pilot.yaml');
    mkfifo(fifo);
    const run = await promptly(cli(['validate', fifo]), fifo);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${fifo}: this is a FIFO (named pipe), not a regular file: give pilot validate a manifest file or a folder`);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses a character device reached through a symlink, without reading it', async () => {
    const link = path.join(await tempRepo(), 'x.pilot.yaml');
    await symlink('/dev/zero', link);
    const run = await cli(['validate', link]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${link}: this is a character device, not a regular file`);
  });

  it('refuses a file over 1 MiB from its size, before reading it', async () => {
    const big = path.join(await tempRepo(), 'pilot.yaml');
    await writeFile(big, manifest);
    await truncate(big, 3 * 1024 ** 3);
    const run = await cli(['validate', big]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('pilot.yaml:1:1: the file is 3221225472 bytes, over the limit of 1048576 (1 MiB): split it into several files');
  });
});
