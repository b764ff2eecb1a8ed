// Helpers for the terraform executor tests: temp dirs, a recording logger, stacks of
// built-in terraform_data resources, and the processes still working in a folder.

import { mkdtemp, readdir, readlink, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from '../../src/reconciler/logger.js';

const made: string[] = [];

export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pilot-tf-'));
  made.push(dir);
  return dir;
}

export async function removeTempDirs(): Promise<void> {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

export interface LogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  data: object;
  message: string;
  at: number;
}

export function recordingLogger(): Logger & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const record = (level: LogEntry['level']) => (data: object, message: string) => entries.push({ level, data, message, at: Date.now() });
  return { entries, debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') };
}

export const secret = 'hunter2-correct-horse-battery';

/**
 * A stack with a sensitive variable fed (nested) into a resource, a sensitive output
 * and a plain one. `slow` adds a resource whose local-exec provisioner sleeps for
 * $PILOT_TEST_SLEEP seconds (0 when unset), so only the run that sets it is slow.
 */
export function dataStack(options: { a?: string; trigger?: string; withC?: boolean; slow?: string; failing?: boolean } = {}): Record<string, unknown> {
  const resources: Record<string, unknown> = {
    a: { input: options.a ?? 'x' },
    b: { input: { user: 'u', list: [{ password: '${var.pw}' }, 'plain'] }, triggers_replace: [options.trigger ?? '1'] },
  };
  if (options.withC !== false) resources.c = { input: 'gone soon' };
  if (options.slow !== undefined) {
    resources.slow = { input: options.slow, provisioner: [{ 'local-exec': { command: 'sleep $${PILOT_TEST_SLEEP:-0}' } }] };
  }
  if (options.failing) {
    resources.failing = { input: 'f', provisioner: [{ 'local-exec': { command: 'echo ${var.pw} >&2; exit 3' } }] };
  }
  return {
    terraform: { required_version: '>= 1.5', backend: { local: { path: 'somewhere-else.tfstate' } } },
    variable: { pw: { type: 'string', default: secret, sensitive: true } },
    resource: { terraform_data: resources },
    output: {
      secret: { value: '${var.pw}', sensitive: true },
      plain: { value: '${terraform_data.a.output}' },
    },
  };
}

/** Pids of the processes whose working directory is `dir` (terraform and what it started). */
export async function processesIn(dir: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if ((await readlink(`/proc/${entry}/cwd`)) === dir) pids.push(Number(entry));
    } catch {
      // Gone meanwhile, or not ours to look at.
    }
  }
  return pids;
}

/** Polls until `check` holds, for effects that land a moment after a call returns. */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 5000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return check();
}
