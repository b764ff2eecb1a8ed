// What the emulator's runner has on its machine: a folder for checkouts, its
// environment (PATH, cloud credentials), the files its image ships, and Docker.

import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';

export interface RunnerOptions {
  /** Where checkouts go (default: the system's temp folder). */
  workDir?: string;
  /** The runner's environment, added to this process's (PATH with pilot-sync and yarn, cloud endpoints). */
  env?: Record<string, string>;
  /** Files of the runner image: absolute path on the runner -> file here. Pilot's own are there by default. */
  files?: Record<string, string>;
  /**
   * Run a Dockerfile's RUN steps (on the host, without isolation) so images hold what
   * they build. Off: COPY steps still run, RUN steps are skipped and said so.
   */
  buildImages?: boolean;
}

export interface RunnerSettings {
  workDir: string;
  /** What the runner's machine adds to this process's environment (options.env, DOCKER_HOST). */
  extraEnv: Record<string, string>;
  /** The runner's environment now: read at each use, as a runner process reads its own. */
  env(): NodeJS.ProcessEnv;
  files: Record<string, string>;
  buildImages: boolean;
}

/** The runner image Pilot ships (runner-image/) puts these files at these paths. */
const pilotRunnerFiles: Record<string, string> = {
  '/opt/pilot/static-site.Dockerfile': fileURLToPath(new URL('../../../runner-image/static-site.Dockerfile', import.meta.url)),
};

export function runnerSettings(options: RunnerOptions = {}): RunnerSettings {
  const extraEnv = { ...options.env };
  return {
    workDir: options.workDir ?? tmpdir(),
    extraEnv,
    env: () => ({ ...process.env, ...extraEnv }),
    files: { ...pilotRunnerFiles, ...options.files },
    buildImages: options.buildImages ?? false,
  };
}
