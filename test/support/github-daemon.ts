// The rig of the GitHub tests: the Waypoint emulator for the file, a GitHub stand-in
// and git servers per test (closed after it), and a daemon reporting to the stand-in
// as an App (or as `github` says), pacing off so tests do not wait a second per write.

import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { Settings } from '../../src/app/settings.js';
import type { GithubReporter } from '../../src/daemon/reporters/github/github-reporter.js';
import { startGithubStandIn, type GithubStandIn } from '../../src/dev/github-stand-in/index.js';
import type { StandInOptions } from '../../src/dev/github-stand-in/stand-in-options.js';
import { startEmulator, type Emulator } from '../../src/dev/waypoint-emulator/index.js';
import { startTestDaemon, stopAllDaemons, waypointToken, webhookSecret, type TestDaemon } from './daemon-harness.js';
import { repoToken } from './daemon-scenario.js';
import { deliver, signed } from './daemon-webhooks.js';
import type { GitHttpServer } from './git-http-server.js';
import { removeTemporaryFolders } from './git-repos.js';

type GithubSettings = NonNullable<Settings['github']>;

export interface GithubRig {
  /** Git servers to close after the test. */
  servers: GitHttpServer[];
  /** The stand-in of the running test. */
  gh(): GithubStandIn;
  startGithub(options?: StandInOptions): Promise<GithubStandIn>;
  /** A daemon on the manifest repository at `url`, reporting to the stand-in. */
  daemon(url: string, options?: { github?: (gh: GithubStandIn) => GithubSettings; config?: Partial<Settings> }): Promise<{ d: TestDaemon; reporter: () => GithubReporter }>;
  /** Delivers a signed webhook and expects it accepted. */
  send(d: TestDaemon, event: string, payload: Record<string, unknown>): Promise<void>;
}

/** `repository`: owner/name of the manifest repository on the stand-in. Registers the file's hooks. */
export function githubRig(repository: string): GithubRig {
  let emulator: Emulator;
  let gh: GithubStandIn | undefined;
  const servers: GitHttpServer[] = [];
  const asApp = (standIn: GithubStandIn): GithubSettings =>
    ({ apiUrl: standIn.url, app: { id: standIn.app.id, privateKey: standIn.app.privateKey }, repository, comments: true, deployments: true });

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, token: waypointToken, stepMs: 20, concurrency: 8 });
  });
  afterEach(async () => {
    await stopAllDaemons();
    for (const server of servers.splice(0)) await server.close();
    await gh?.close();
    gh = undefined;
  });
  afterAll(async () => {
    await emulator?.stop();
    await removeTemporaryFolders();
  });

  return {
    servers,
    gh: () => gh!,
    async startGithub(options) {
      gh = await startGithubStandIn(options);
      return gh;
    },
    async daemon(url, options = {}) {
      let reporter: GithubReporter | undefined;
      const d = await startTestDaemon({
        emulator, repository: { url, branch: 'main', token: repoToken },
        config: { github: (options.github ?? asApp)(gh!), ...options.config },
        serve: { github: { pacing: 'none', retryAfterUnitMs: 10 }, onGithub: (made) => (reporter = made) },
      });
      return { d, reporter: () => reporter! };
    },
    async send(d, event, payload) {
      expect(await deliver(d.url, await signed(event, payload, { secret: webhookSecret }))).toMatchObject({ status: 202 });
    },
  };
}
