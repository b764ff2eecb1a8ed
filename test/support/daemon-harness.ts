// The daemon in-process for tests: started through `startServe`, as `pilot serve` starts it, on
// a random loopback port, its log captured, every request pushed onto its queue
// recorded; plus bounded waits and the HTTP calls the tests make.

import path from 'node:path';
import { Writable } from 'node:stream';
import { startServe, type ServeOptions } from '../../src/app/serve.js';
import type { Settings } from '../../src/app/settings.js';
import type { Daemon } from '../../src/daemon/daemon.js';
import { createLogger } from '../../src/daemon/logger.js';
import { folderSource, type ManifestSource } from '../../src/daemon/manifest-source.js';
import type { DaemonStatus } from '../../src/daemon/status.js';
import type { Request } from '../../src/reconciler/requests.js';
import type { Emulator } from '../../src/dev/waypoint-emulator/index.js';
import { temporaryFolder } from './git-repos.js';

export const waypointToken = 'wp-token-daemon-tests-5a1f0c9e77d2';
export const webhookSecret = 'whsec-daemon-tests-0b7e6a13c4f2';

/** A pino destination that keeps every line written to it. */
export interface LogCapture {
  stream: Writable;
  text(): string;
  lines(): Record<string, unknown>[];
}

export function captureLogs(): LogCapture {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const text = () => chunks.join('');
  return { stream, text, lines: () => text().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>) };
}

export interface TestDaemon {
  daemon: Daemon;
  url: string;
  stateDir: string;
  logs: LogCapture;
  /** Every request pushed onto the queue, by any trigger, in order. */
  requests: Request[];
  status(): Promise<DaemonStatus>;
  stop(): Promise<void>;
}

export interface TestDaemonOptions {
  emulator: Emulator;
  /** The manifest repository; else `folder`, else `source`. */
  repository?: NonNullable<Settings['repository']>;
  folder?: string;
  /** Watch `folder` for changes (`pilot serve --watch`). */
  watch?: boolean;
  source?: (stateDir: string) => ManifestSource;
  stateDir?: string;
  /** Defaults: no polling, no drift checks, self-heal on, one webhook secret, clouds off. */
  config?: Partial<Settings>;
  /** GitHub client pacing, a hook told of the GitHub reporter, and the free space /readyz sees. */
  serve?: Pick<ServeOptions, 'github' | 'onGithub' | 'diskFree'>;
}

const running = new Set<TestDaemon>();

export async function startTestDaemon(options: TestDaemonOptions): Promise<TestDaemon> {
  const stateDir = options.stateDir ?? (await temporaryFolder('pilot-daemon-state-'));
  const config: Settings = {
    pollMs: 0,
    driftMs: 0,
    selfHeal: true,
    concurrency: 4,
    stateDir,
    waypoint: { address: options.emulator.address, tls: 'off', token: waypointToken },
    webhookSecrets: [webhookSecret],
    http: { host: '127.0.0.1', port: 0 },
    // These tests are about Waypoint and the triggers; the cloud tests ask for the stand-in.
    clouds: { mode: 'off' },
    ...(options.repository ? { repository: options.repository } : {}),
    ...options.config,
  };
  const logs = captureLogs();
  const logger = createLogger({ destination: logs.stream, level: 'debug' });
  const requests: Request[] = [];
  const daemon = await startServe(config, {
    logger,
    ...(options.source ? { source: options.source } : {}),
    ...(options.folder && !options.watch && !options.source ? { source: () => folderSource(options.folder!) } : {}),
    ...(options.watch && options.folder ? { watchDir: options.folder } : {}),
    onRequest: (next) => requests.push(next),
    ...options.serve,
  });
  const started: TestDaemon = {
    daemon,
    url: daemon.url,
    stateDir,
    logs,
    requests,
    status: async () => (await getJson<DaemonStatus>(`${daemon.url}/api/status`)).body,
    async stop() {
      running.delete(started);
      await daemon.stop('test');
    },
  };
  running.add(started);
  return started;
}

/** Stops every daemon a test left running (afterEach). */
export async function stopAllDaemons(): Promise<void> {
  for (const daemon of [...running]) await daemon.stop();
}

export async function getJson<T = Record<string, unknown>>(url: string, init?: RequestInit): Promise<{ status: number; body: T; headers: Headers }> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
  return { status: response.status, headers: response.headers, body: (await response.json()) as T };
}

/** Polls `probe` until it returns something other than undefined/false; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(probe: () => Promise<T | undefined | false> | T | undefined | false, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The daemon's /api/status once `check` holds for it. */
export function statusWhere(daemon: { status(): Promise<DaemonStatus> }, check: (status: DaemonStatus) => boolean, what: string, timeoutMs?: number): Promise<DaemonStatus> {
  let last: DaemonStatus | undefined;
  return waitFor(async () => {
    last = await daemon.status();
    return check(last) ? last : undefined;
  }, what, timeoutMs).catch((error: Error) => {
    throw new Error(`${error.message}; last status: ${JSON.stringify(last)}`);
  });
}

/** Every app of `status` converged, and the last run applied `revision`. */
export function convergedAt(revision: string, apps: string[]): (status: DaemonStatus) => boolean {
  return (status) =>
    status.revision === revision && status.running === undefined && status.lastRun?.revision === revision &&
    apps.every((key) => status.apps.some((a) => `${a.project}/${a.app}` === key && a.state === 'converged'));
}

/**
 * Makes git read `https://github.test/<fullName>.git` from a local bare repository, so
 * that a webhook payload can name the same URL as the app's source. Returns the https URL.
 */
export function githubAlias(env: Record<string, string | undefined>, fullName: string, bare: string): string {
  const count = Number(env.GIT_CONFIG_COUNT ?? 0) || 0;
  const https = `https://github.test/${fullName}.git`;
  env[`GIT_CONFIG_KEY_${count}`] = `url.file://${path.resolve(bare)}.insteadOf`;
  env[`GIT_CONFIG_VALUE_${count}`] = https;
  env.GIT_CONFIG_COUNT = String(count + 1);
  return https;
}
