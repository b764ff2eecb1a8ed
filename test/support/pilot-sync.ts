// Runs the built pilot-sync bundle as the runner would, with an environment made from scratch so
// that no real credential or endpoint of the machine can leak into a test.

import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const pluginRoot = path.resolve(import.meta.dirname, '../../plugins/pilot-sync');
export const pilotSyncBin = path.join(pluginRoot, 'dist', 'pilot-sync.cjs');

async function newestSource(): Promise<number> {
  const files = (await readdir(path.join(pluginRoot, 'src'), { recursive: true })).map((file) => path.join(pluginRoot, 'src', file));
  files.push(path.join(pluginRoot, 'package.json'), path.join(pluginRoot, 'scripts', 'build.mjs'));
  return Math.max(...(await Promise.all(files.map(async (file) => (await stat(file)).mtimeMs))));
}

/** Rebuilds the bundle when a source is newer, so a test never runs a stale one (the build renames atomically). */
export async function ensurePilotSyncBuilt(): Promise<void> {
  const built = await stat(pilotSyncBin).then((info) => info.mtimeMs, () => 0);
  if (built < (await newestSource())) execFileSync(process.execPath, [path.join(pluginRoot, 'scripts', 'build.mjs')], { stdio: 'inherit' });
}

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runPilotSync(args: readonly string[], env: Record<string, string>): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(pilotSyncBin, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** PATH and a home that does not exist: no ~/.aws, no gcloud login, no instance metadata unless a test points at one. */
export async function cleanEnv(extra: Record<string, string>): Promise<Record<string, string>> {
  const home = path.join(os.tmpdir(), `pilot-sync-no-home-${randomUUID()}`);
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    NO_COLOR: '1',
    AWS_CONFIG_FILE: path.join(home, 'aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    METADATA_SERVER_DETECTION: 'none',
    ...extra,
  };
}

export type SiteFiles = Record<string, string | Buffer>;

export async function writeSite(root: string, files: SiteFiles): Promise<void> {
  for (const [key, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, key)), { recursive: true });
    await writeFile(path.join(root, key), content);
  }
}

/** A small site of each kind of file: entry pages, a hashed bundle, a plain stylesheet, an image. */
export const smallSite: SiteFiles = {
  'index.html': '<!doctype html><title>Acme</title><link rel="stylesheet" href="/assets/style.css"><script src="/assets/main.3f9a1c2b.js"></script>',
  'assets/main.3f9a1c2b.js': 'console.log("acme");\n',
  'assets/style.css': 'body { font-family: sans-serif; }\n',
  'images/logo.png': Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'),
  'blog/first-post/index.html': '<!doctype html><title>First post</title>',
};

/** What each object of `smallSite` must carry: [Content-Type, Cache-Control]. */
export const smallSiteHeaders: Record<string, [string, string]> = {
  'index.html': ['text/html; charset=utf-8', 'no-cache'],
  'blog/first-post/index.html': ['text/html; charset=utf-8', 'no-cache'],
  'assets/main.3f9a1c2b.js': ['text/javascript; charset=utf-8', 'public, max-age=31536000, immutable'],
  'assets/style.css': ['text/css; charset=utf-8', 'public, max-age=300'],
  'images/logo.png': ['image/png', 'public, max-age=300'],
};

/** Lines of output without the prefix, for comparing with what the job log shows. */
export function lines(output: string): string[] {
  return output.split('\n').filter(Boolean).map((line) => line.replace(/^pilot-sync: /, ''));
}
