// The runner's Docker: the engine stand-in on a unix socket of its own, whose images
// are the folders the emulator's docker builds make; the runner's processes (an exec
// deploy's pilot-sync) reach it through DOCKER_HOST, as on a runner with the socket mounted.

import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { startDockerEngine } from './docker-engine.js';
import type { EmulatorState } from './state.js';

export async function startRunnerDocker(state: EmulatorState): Promise<() => Promise<void>> {
  const dir = await mkdtemp(path.join(state.runner.workDir, 'waypoint-docker-'));
  const socketPath = path.join(dir, 'docker.sock');
  const engine = await startDockerEngine({ socketPath });
  // Images are folders under `dir` too, so they go when the emulator stops.
  state.docker = { images: engine.images, dir };
  state.runner.extraEnv.DOCKER_HOST = `unix://${socketPath}`;
  return async () => {
    await engine.close();
    await rm(dir, { recursive: true, force: true });
  };
}
