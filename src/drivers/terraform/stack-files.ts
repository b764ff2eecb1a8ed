// The files of a stack's working dir: configuration, init marker, saved plans, and the
// state-lock note a killed terraform leaves behind.

import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PilotError } from '../../reconciler/errors.js';
import type { Logger } from '../../reconciler/logger.js';
import type { TerraformJson } from '../contract.js';
import type { BackendSettings } from './types.js';
import { isRecord } from './ui-lines.js';

export const configFileName = 'main.tf.json';
const initMarkerName = '.pilot-init';
const plansDirName = 'plans';
const stateLockInfoName = '.terraform.tfstate.lock.info';
/** The local backend's state, relative to the stack dir (see backend.ts). */
const stateFileName = 'terraform.tfstate';
/**
 * The state, its backup, and the timestamped backups `terraform state rm` leaves
 * (terraform.tfstate.<unix time>.backup): all written with the umask's mode (0644 as a rule).
 */
const isStateFile = (name: string) => name === stateFileName || (name.startsWith(`${stateFileName}.`) && name.endsWith('.backup'));

/** Creates the dir if needed and keeps it private: state and saved plans hold secrets in clear. */
export async function ensureStackDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
}

/** Replaced whole (write then rename), so terraform never reads half a file. */
export async function writePrivateFile(file: string, text: string): Promise<void> {
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temporary, text, { mode: 0o600 });
  await rename(temporary, file);
}

/** The local state and its backup hold every secret of the stack in clear: private, like the dir. */
export async function protectState(dir: string): Promise<void> {
  const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  for (const name of names.filter(isStateFile)) {
    await chmod(path.join(dir, name), 0o600).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }
}

export async function writeConfig(dir: string, config: TerraformJson): Promise<void> {
  await writePrivateFile(path.join(dir, configFileName), `${JSON.stringify(config, null, 2)}\n`);
}

export async function readConfig(dir: string): Promise<TerraformJson | undefined> {
  const file = path.join(dir, configFileName);
  const text = await readOptional(file);
  if (text === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not the SyntaxError: it quotes the text, and the configuration may hold secrets.
    throw new PilotError('stalled', 'terraform.invalid-config', `${file} is not valid JSON; write the stack's configuration again`);
  }
  return isRecord(parsed) ? parsed : {};
}

/** The fingerprint of the last successful init, if its .terraform dir is still there. */
export async function readInitMarker(dir: string): Promise<string | undefined> {
  if (!(await exists(path.join(dir, '.terraform')))) return undefined;
  return (await readOptional(path.join(dir, initMarkerName)))?.trim();
}

export async function writeInitMarker(dir: string, fingerprint: string | undefined): Promise<void> {
  const file = path.join(dir, initMarkerName);
  if (fingerprint === undefined) await rm(file, { force: true });
  else await writePrivateFile(file, `${fingerprint}\n`);
}

export function plansDir(dir: string): string {
  return path.join(dir, plansDirName);
}

/**
 * A fresh path for a saved plan. Older plans are removed first: only the newest plan of
 * a stack can be applied, and each one holds the stack's secrets in clear.
 */
export async function newPlanFile(dir: string): Promise<string> {
  const plans = plansDir(dir);
  await rm(plans, { recursive: true, force: true });
  await mkdir(plans, { mode: 0o700 });
  return path.join(plans, `${Date.now()}-${randomBytes(4).toString('hex')}.tfplan`);
}

/**
 * Terraform's local backend locks with fcntl, which dies with the process, but leaves
 * its lock note (.terraform.tfstate.lock.info) behind when killed. Called only when we
 * know the terraform that wrote it is gone.
 */
export async function clearLeftoverStateLock(stack: { id: string; dir: string }, logger: Logger, reason: string): Promise<void> {
  const file = path.join(stack.dir, stateLockInfoName);
  if (!(await exists(file))) return;
  await rm(file, { force: true });
  logger.warn({ stack: stack.id, file, reason }, 'removed a leftover terraform state lock');
}

export async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * A plan-only workspace's copy of the applying workspace's local state (none there: none
 * here, so the plan shows what would be created). Copied through a temporary file, so a
 * plan never reads half a copy; a remote backend needs no copy.
 */
export async function copyState(from: string, dir: string, backend: BackendSettings): Promise<void> {
  if (backend.kind !== 'local') return;
  const target = path.join(dir, stateFileName);
  const source = await readOptional(path.join(from, stateFileName));
  if (source === undefined) {
    await rm(target, { force: true });
    return;
  }
  await writePrivateFile(target, source);
}
