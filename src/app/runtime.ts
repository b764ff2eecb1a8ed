// The composition root: the only place that wires adapters to the reconciler's ports,
// for `pilot serve` and every CLI command alike. openRuntime takes the state lock when
// asked (anything that writes state), opens the store by its URL, connects Waypoint
// when configured, and opens the clouds; close() undoes it in reverse.

import { hostname } from 'node:os';
import path from 'node:path';
import { openClouds, type Clouds } from '../drivers/clouds.js';
import { planWorkspace, resolveClouds } from '../drivers/settings.js';
import { PilotError } from '../reconciler/errors.js';
import type { Logger } from '../reconciler/logger.js';
import type { SourcePort, WaypointPort } from '../reconciler/ports.js';
import type { Store } from '../reconciler/store-port.js';
import { gitSource } from '../sources/git/resolve-commit.js';
import { jobAuthFor } from '../sources/git/source-credentials.js';
import { defaultStateDir, openStore, stateStoreUrl } from '../store/index.js';
import { WaypointClient } from '../waypoint/client/client.js';
import { waypointPort } from '../waypoint/reconciler-port.js';
import { lockStateDir } from './lock.js';
import type { Settings } from './settings.js';

export interface RuntimeOptions {
  /** Who opens it, for the lock's refusal ("pilot apply"). */
  command: string;
  /**
   * Take the state directory's lock: one writer per state. On a store several daemons
   * share, also lead it for the command's length (refused while a daemon leads), unless
   * the command elects itself (the daemon: `elect`).
   */
  lock?: boolean;
  elect?: boolean;
  /** Connect to Waypoint when settings name a server. */
  waypoint?: boolean;
  logger?: Logger;
  /** Terraform's progress lines, per stack. */
  onCloudProgress?(stack: string, message: string): void;
}

export interface Runtime {
  settings: Settings;
  stateDir: string;
  store: Store;
  client?: WaypointClient;
  waypoint?: WaypointPort;
  clouds: Clouds;
  /** Pull requests plan their stacks here: a workspace of its own that reads the state and applies nothing. */
  planClouds: Clouds;
  /** Resolves app refs; one per run, so a ref is asked for once a run. */
  /** credentials false: no source credentials are sent (a fork's pull request names the repositories). */
  source(options?: { credentials?: boolean }): SourcePort;
  close(): Promise<void>;
}

/** The state directory the settings name, else $PILOT_HOME, else ~/.pilot. */
export function stateDirOf(settings: Settings, env: NodeJS.ProcessEnv): string {
  return path.resolve(settings.stateDir ?? defaultStateDir(env));
}

/** The clouds as the settings configure them, their stacks under the state directory. */
export function cloudsFor(settings: Settings, stateDir: string, onProgress?: (stack: string, message: string) => void): Clouds {
  return openClouds(resolveClouds(settings.clouds, stateDir), onProgress ? { onProgress } : {});
}

/** The clouds as pull requests see them: planned in a workspace of their own, never applied. */
export function planCloudsFor(settings: Settings, stateDir: string): Clouds {
  return openClouds(planWorkspace(resolveClouds(settings.clouds, stateDir)));
}

/** The store's URL: settings.stateUrl (state.url, PILOT_STATE_URL), else the state directory's state.db. */
export function storeUrlOf(settings: Settings, stateDir: string): string {
  return settings.stateUrl ?? stateStoreUrl(stateDir);
}

/** A one-shot writer (pilot apply) on a shared store leads it, or is refused while a daemon does. */
async function leadFor(store: Store, command: string): Promise<void> {
  const leadership = store.shared!.leadership;
  if ((await leadership.tryAcquire(holderName(command))) !== undefined) return;
  const lease = await leadership.lease();
  const who = lease ? `${lease.holder} (leader since ${lease.acquiredAt})` : 'another Pilot process';
  throw new PilotError('stalled', 'state.locked', `${store.describe} is led by ${who}; let the daemon apply (push to the tracked branch, or pilot sync), or stop it first`);
}

/** How a process names itself in the lease: host, pid and what it runs. */
export function holderName(command = 'pilot serve'): string {
  return `${hostname()}:${process.pid}${command === 'pilot serve' ? '' : ` (${command})`}`;
}

export async function openRuntime(settings: Settings, options: RuntimeOptions, env: NodeJS.ProcessEnv = process.env): Promise<Runtime> {
  const stateDir = stateDirOf(settings, env);
  const cleanup: (() => unknown)[] = [];
  const close = async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  };
  try {
    if (options.lock) {
      const lock = lockStateDir(stateDir, options.command);
      cleanup.push(() => lock.release());
    }
    const store = await openStore(storeUrlOf(settings, stateDir));
    cleanup.push(() => store.close());
    if (options.lock && !options.elect && store.shared) await leadFor(store, options.command);
    const client = options.waypoint && settings.waypoint ? await WaypointClient.connect({ ...settings.waypoint, ...(options.logger ? { logger: options.logger } : {}) }) : undefined;
    if (client) cleanup.push(() => client.close());
    return {
      settings, stateDir, store, clouds: cloudsFor(settings, stateDir, options.onCloudProgress), planClouds: planCloudsFor(settings, stateDir),
      ...(client ? { client, waypoint: waypointPort(client, { sourceAuth: (repo) => jobAuthFor(settings.sources, repo) }) } : {}),
      source: (options) => gitSource(env, options?.credentials === false ? undefined : settings.sources),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
