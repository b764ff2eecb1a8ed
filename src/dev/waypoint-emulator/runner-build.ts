// The build stage on the runner: `docker` needs its Dockerfile (in the app folder, or
// an absolute path on the runner, which the builder copies into the context:
// builtin/docker/builder.go 230-262) and builds the image; `pack` needs the app folder;
// `files` only points at it. Images go to the runner's Docker (the engine stand-in).

import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { status } from './errors.js';
import { buildImage } from './runner-dockerfile.js';
import type { Stage } from './runner-pipeline.js';
import { line, say } from './runner-steps.js';
import type { EmulatorState, JobRecord } from './state.js';

export interface Built {
  /** The image the artifact names, as docker.Image's Image and Tag. */
  image?: { name: string; tag: string };
}

type BuildResult = Built | { code: status; error: string };

function dockerfilePath(state: EmulatorState, given: string, appDir: string): string | undefined {
  if (!path.isAbsolute(given)) return path.join(appDir, given);
  return state.runner.files[given] ?? (existsSync(given) ? given : undefined);
}

async function dockerBuild(state: EmulatorState, record: JobRecord, stage: Stage, appDir: string): Promise<BuildResult> {
  const given = typeof stage.config.dockerfile === 'string' ? stage.config.dockerfile : 'Dockerfile';
  const dockerfile = dockerfilePath(state, given, appDir);
  if (!dockerfile || !existsSync(dockerfile)) {
    return { code: status.FAILED_PRECONDITION, error: `unable to create Docker context: Cannot locate specified Dockerfile: ${given}` };
  }
  const context = typeof stage.config.context === 'string' ? path.resolve(appDir, stage.config.context) : appDir;
  const buildArgs = Object.fromEntries(Object.entries((stage.config.build_args ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
  const scratch = await mkdtemp(path.join(state.docker?.dir ?? state.runner.workDir, 'build-'));
  const built = await buildImage({
    dockerfile, context, buildArgs, env: state.runner.env(), scratch, runSteps: state.runner.buildImages,
    say: (text) => say(record, line(text)),
  });
  if ('error' in built) {
    await rm(scratch, { recursive: true, force: true });
    return { code: status.UNKNOWN, error: built.error };
  }
  return register(state, record, built.root);
}

/** The builders name the image after the app (builtin/docker/builder.go 295-296). */
function register(state: EmulatorState, record: JobRecord, root: string): Built {
  const image = { name: `waypoint.local/${record.job.application!.application}`, tag: 'latest' };
  state.docker?.images.set(`${image.name}:${image.tag}`, root);
  return { image };
}

export async function buildStage(state: EmulatorState, record: JobRecord, stage: Stage, appDir: string): Promise<BuildResult> {
  if (stage.plugin === 'docker') return dockerBuild(state, record, stage, appDir);
  if (stage.plugin === 'pack') {
    say(record, line(`Creating an image from ${path.basename(appDir)} with buildpacks`));
    return register(state, record, appDir);
  }
  return {};
}

/** What a registry's push makes of the image: its own name and tag. */
export function pushedImage(state: EmulatorState, stage: Stage | undefined, built: Built): Built {
  if (!stage || !built.image) return built;
  const config = stage.config as Record<string, string | undefined>;
  const name =
    stage.plugin === 'aws-ecr'
      ? `123456789012.dkr.ecr.${config.region ?? 'us-east-1'}.amazonaws.com/${config.repository ?? built.image.name}`
      : config.image ?? built.image.name;
  const image = { name, tag: config.tag ?? built.image.tag };
  const root = state.docker?.images.get(`${built.image.name}:${built.image.tag}`);
  if (root) state.docker?.images.set(`${image.name}:${image.tag}`, root);
  return { image };
}
