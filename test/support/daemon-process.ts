// `pilot serve` as a child process: started on a random port, asked over HTTP how it is
// doing, stopped with SIGTERM.

import type { DaemonStatus } from '../../src/daemon/status.js';
import { getJson, waitFor } from './daemon-harness.js';
import { spawnPilot, type Exit, type PilotChild } from './reconcile-child.js';

export interface ServeChild extends PilotChild {
  url: string;
  status(): Promise<DaemonStatus>;
  /** SIGTERM, then the exit. */
  term(): Promise<Exit>;
}

const serving = /pilot is serving (http:\/\/127\.0\.0\.1:\d+)\//;

/** Starts `pilot serve ...args` (always on port 0) and waits until it serves. */
export async function startServe(args: readonly string[], env: Record<string, string>, timeoutMs = 60_000): Promise<ServeChild> {
  const child = spawnPilot(['serve', '--port', '0', ...args], { NO_COLOR: '1', ...env });
  await child.waitFor((out) => serving.test(out), 'pilot serve to listen', timeoutMs);
  const url = serving.exec(child.output())![1]!;
  // An answer proves the event loop ran past the banner, where serve.ts installs its
  // SIGTERM handler (a SIGTERM between the two kills the process by signal).
  await waitFor(async () => (await getJson(`${url}/healthz`)).status === 200, `${url}/healthz`, 10_000);
  return {
    ...child,
    url,
    status: async () => (await getJson<DaemonStatus>(`${url}/api/status`)).body,
    async term() {
      if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGTERM');
      const exit = await Promise.race([
        child.exited,
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`pilot serve did not exit within 20 s of SIGTERM; output:\n${child.output()}`)), 20_000).unref()),
      ]);
      return exit;
    },
  };
}

/** The child's /api/status once `check` holds. */
export function childStatusWhere(child: ServeChild, check: (status: DaemonStatus) => boolean, what: string, timeoutMs = 30_000): Promise<DaemonStatus> {
  let last: DaemonStatus | undefined;
  return waitFor(async () => {
    last = await child.status();
    return check(last) ? last : undefined;
  }, what, timeoutMs).catch((error: Error) => {
    throw new Error(`${error.message}; last status: ${JSON.stringify(last)}; output:\n${child.output()}`);
  });
}

/** The PILOT_* variables that point a child at the emulator, with its own state directory. */
export function pilotEnv(address: string, token: string, home: string, extra: Record<string, string> = {}): Record<string, string> {
  return { PILOT_WAYPOINT_ADDR: address, PILOT_WAYPOINT_TLS: 'off', PILOT_WAYPOINT_TOKEN: token, PILOT_HOME: home, PILOT_CLOUDS: 'off', ...extra };
}
