// A small Docker build for the emulator's runner, so the image a `docker` build makes
// holds real files (a static site's build output, which pilot-sync then copies out).
// It knows FROM, ARG, ENV, WORKDIR, COPY (with --from) and RUN; base images are empty
// folders, and RUN runs on the host with `sh -c`, without isolation: the emulator is
// for tests and local tries, on repositories you trust. Other instructions only
// configure the container that would run, so they are read and skipped.

import { cp, mkdir, mkdtemp, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { spawnLines } from './runner-exec.js';

export interface DockerBuild {
  dockerfile: string;
  context: string;
  buildArgs: Record<string, string>;
  /** The runner's environment (PATH with yarn, node). */
  env: NodeJS.ProcessEnv;
  scratch: string;
  /** Run RUN steps; off, they are skipped and said so. */
  runSteps: boolean;
  say(line: string): void;
}

interface Stage {
  name?: string;
  root: string;
  workdir: string;
  vars: Record<string, string>;
}

/** Instructions, continuation lines joined, comments dropped. */
function instructions(text: string): { op: string; args: string }[] {
  const joined = text.replace(/\\\r?\n/g, ' ');
  return joined
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [op = '', ...rest] = line.split(/\s+/);
      return { op: op.toUpperCase(), args: line.slice(op.length).trim() };
    });
}

function substitute(text: string, vars: Record<string, string>): string {
  return text.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a: string | undefined, b: string | undefined) => vars[(a ?? b)!] ?? '');
}

function inStage(stage: Stage, target: string): string {
  const absolute = path.posix.isAbsolute(target) ? target : path.posix.join(stage.workdir, target);
  return path.join(stage.root, path.posix.normalize(absolute));
}

/** Builds the Dockerfile; the image is the last stage's folder. */
export async function buildImage(build: DockerBuild): Promise<{ root: string } | { error: string }> {
  const steps = instructions(await readFile(build.dockerfile, 'utf8'));
  const stages: Stage[] = [];
  const globalArgs: Record<string, string> = {};
  let stage: Stage | undefined;
  for (const [index, { op, args }] of steps.entries()) {
    build.say(`Step ${index + 1}/${steps.length} : ${op} ${args}`);
    const vars = stage?.vars ?? globalArgs;
    if (op === 'ARG') {
      const [name = '', value] = args.split('=', 2) as [string, string | undefined];
      vars[name] = build.buildArgs[name] ?? (value !== undefined ? substitute(value, vars) : globalArgs[name] ?? '');
    } else if (op === 'FROM') {
      const alias = /\s+AS\s+(\S+)$/i.exec(args)?.[1];
      stage = { root: await mkdtemp(path.join(build.scratch, 'stage')), workdir: '/', vars: { ...globalArgs }, ...(alias ? { name: alias } : {}) };
      stages.push(stage);
    } else if (!stage) {
      return { error: `failed to solve: dockerfile parse error: ${op} before FROM` };
    } else if (op === 'WORKDIR') {
      stage.workdir = path.posix.resolve(stage.workdir, substitute(args, stage.vars));
      await mkdir(inStage(stage, '.'), { recursive: true });
    } else if (op === 'ENV') {
      const [, name = '', value = ''] = /^(\w+)[=\s]+(.*)$/.exec(args) ?? [];
      stage.vars[name] = substitute(value.replace(/^"(.*)"$/, '$1'), stage.vars);
    } else if (op === 'COPY' || op === 'ADD') {
      const words = substitute(args, stage.vars).split(/\s+/);
      const from = words[0]?.startsWith('--from=') ? words.shift()!.slice('--from='.length) : undefined;
      const source = from ? stages.find((s) => s.name === from) : undefined;
      if (from && !source) return { error: `failed to solve: stage ${from} not found` };
      const target = words.pop() ?? '.';
      const dest = inStage(stage, target);
      for (const item of words) {
        const origin = source ? inStage(source, item) : path.join(build.context, item);
        try {
          // A file copied to a folder ("COPY package.json ./") keeps its name.
          const into = target.endsWith('/') && !(await stat(origin)).isDirectory() ? path.join(dest, path.basename(origin)) : dest;
          await cp(origin, into, { recursive: true, force: true });
        } catch {
          return { error: `failed to compute cache key: "${item}" not found` };
        }
      }
    } else if (op === 'RUN' && !build.runSteps) {
      build.say('  (RUN skipped: the emulator runs build steps only with runner.buildImages on)');
    } else if (op === 'RUN') {
      const cwd = inStage(stage, '.');
      await mkdir(cwd, { recursive: true });
      const { code } = await spawnLines('sh', ['-c', args], { cwd, env: { ...build.env, ...stage.vars } }, build.say);
      if (code !== 0) return { error: `The command '/bin/sh -c ${args}' returned a non-zero code: ${code}` };
    }
  }
  if (!stage) return { error: 'the Dockerfile has no FROM' };
  return { root: stage.root };
}
