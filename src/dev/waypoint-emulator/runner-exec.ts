// The `exec` platform as the runner runs it (builtin/exec/platform.go 38-139): each
// argument rendered as a Go text/template over {Input, Env, Workspace}, the command
// looked up on the runner's PATH, run in the app folder (or `dir`) with the runner's
// environment, its output streamed into the job log. A non-zero exit fails the deploy.

import { spawn } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import path from 'node:path';

export interface TemplateData {
  /** exec.Input from the docker.Image mapper (builtin/exec/mapper.go). */
  Input: Record<string, string>;
  /** Only WAYPOINT_* entrypoint variables (deployConfig.Env()). */
  Env: Record<string, string>;
  Workspace: string;
}

/** `{{.A.B}}` and `{{"text"}}` actions; a missing map key prints Go's "<no value>". */
export function renderTemplate(text: string, data: TemplateData): { text: string } | { error: string } {
  let failure: string | undefined;
  const rendered = text.replace(/\{\{-?\s*(.*?)\s*-?\}\}/g, (_, action: string) => {
    const literal = /^"((?:[^"\\]|\\.)*)"$/.exec(action);
    if (literal) return JSON.parse(`"${literal[1]}"`) as string;
    const field = /^\.(\w+)(?:\.(\w+))?$/.exec(action);
    if (!field) {
      failure ??= `template: tpl:1: function "${action.split(/\s/)[0]}" not defined`;
      return '';
    }
    const [, top = '', key] = field;
    if (top === 'Workspace' && key === undefined) return data.Workspace;
    if ((top === 'Input' || top === 'Env') && key !== undefined) return data[top][key] ?? '<no value>';
    failure ??= `template: tpl:1:${text.indexOf(action)}: executing "tpl" at <${action}>: can't evaluate field ${key ?? top} in type *exec.tplData`;
    return '';
  });
  return failure ? { error: failure } : { text: rendered };
}

/** exec.LookPath over the runner's PATH. */
async function lookPath(command: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  if (path.isAbsolute(command)) return command;
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, command);
    if (await access(candidate, constants.X_OK).then(() => true, () => false)) return candidate;
  }
  return undefined;
}

export interface ExecRun {
  command: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  say(line: string): void;
}

/** Runs the rendered command; resolves to the deploy's error text, or undefined on success. */
export async function runCommand(run: ExecRun): Promise<string | undefined> {
  const [name, ...args] = run.command;
  if (!name) return 'exec: no command';
  const binary = await lookPath(name, run.env);
  if (!binary) return `exec: "${name}": executable file not found in $PATH`;
  const ended = await spawnLines(binary, args, { cwd: run.cwd, env: run.env }, run.say);
  if (ended.error) return ended.error;
  return ended.code === 0 ? undefined : ended.signal ? `signal: ${ended.signal}` : `exit status ${ended.code}`;
}

/** Runs a process, handing each line of its output (stdout and stderr) to `say`. */
export function spawnLines(
  binary: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
  say: (line: string) => void,
): Promise<{ code: number | null; signal: string | null; error?: string }> {
  return new Promise((resolve) => {
    const child = spawn(binary, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let pending = '';
    const onData = (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) say(line);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', (error) => resolve({ code: null, signal: null, error: error.message }));
    child.on('close', (code, signal) => {
      if (pending) say(pending);
      resolve({ code, signal });
    });
  });
}
