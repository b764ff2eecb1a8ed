import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { Prompter, PromptingIo } from '../src/cli/prompts.js';
import { runCli } from '../src/cli/run.js';
import { cli } from './support/cli.js';

async function pilot(argv: string[], options: { tty?: boolean; prompter?: Prompter } = {}): Promise<{ code: number; out: string; err: string }> {
  const result = await cli(argv, { ...options, cwd: os.tmpdir() });
  return { code: result.code, out: result.stdout, err: result.stderr };
}

/** A Prompter that answers from a script: each question must match the next pattern. */
function scripted(script: [RegExp, string | boolean][]): Prompter & { asked: string[] } {
  const asked: string[] = [];
  const next = (message: string): string | boolean => {
    asked.push(message);
    const step = script.shift();
    if (!step) throw new Error(`unexpected question: ${message}`);
    if (!step[0].test(message)) throw new Error(`asked ${JSON.stringify(message)}, expected ${step[0]}`);
    return step[1];
  };
  return {
    asked,
    async input(message, options = {}) {
      const typed = String(next(message));
      const answer = typed === '' ? (options.default ?? '') : typed;
      const verdict = options.validate?.(answer) ?? true;
      if (verdict !== true) throw new Error(`answer ${answer} refused: ${verdict}`);
      return answer;
    },
    async select(message, choices) {
      const answer = next(message);
      const choice = choices.find((c) => c.value === answer);
      if (!choice) throw new Error(`${String(answer)} is not among ${choices.map((c) => c.value).join(', ')}`);
      return choice.value;
    },
    async confirm(message) {
      return next(message) === true;
    },
  };
}

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pilot-new-'));
  dirs.push(dir);
  return dir;
}

async function initRepo(provider: 'aws' | 'gcp'): Promise<{ dir: string; manifest: string; original: string }> {
  const dir = await tempDir();
  const args = ['init', dir, '--name', 'acme', '--provider', provider, ...(provider === 'gcp' ? ['--gcp-project', 'acme-prod'] : [])];
  expect((await pilot(args)).code).toBe(0);
  const manifest = path.join(dir, 'pilot.yaml');
  return { dir, manifest, original: await readFile(manifest, 'utf8') };
}

function documents(text: string): Record<string, unknown>[] {
  return [...parseAllDocuments(text)].map((d) => d.toJS() as Record<string, unknown>);
}

function appsOf(text: string, project: string): Record<string, unknown>[] {
  const doc = documents(text).find((d) => d.name === project);
  return (doc?.apps as Record<string, unknown>[] | undefined) ?? [];
}

describe('pilot new app', () => {
  it('adds a Cloud Run app to a gcp init, keeping the file, and the repository validates', async () => {
    const { dir, manifest, original } = await initRepo('gcp');
    const result = await pilot(['new', 'app', dir, '--name', 'api2', '--platform', 'cloud-run', '--repo', 'https://github.com/acme/api2.git', '--memory', '1024', '--depends-on', 'api,web']);
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(result.out).toBe('added app api2 to project acme in pilot.yaml\n');
    const text = await readFile(manifest, 'utf8');
    for (const line of original.split('\n')) expect(text.split('\n')).toContain(line);
    const api2 = appsOf(text, 'acme').at(-1);
    // provider, region and gcpProject come from the project's defaults, so they are not written.
    expect(api2).toEqual({
      name: 'api2',
      source: { repo: 'https://github.com/acme/api2.git' },
      build: { builder: 'pack' },
      deploy: { platform: 'cloud-run', memory: 1024 },
      dependsOn: ['api', 'web'],
    });
    expect((await pilot(['validate', dir])).code).toBe(0);
  });

  it('prints { file, project, app } with --format json, and picks the builder from the platform', async () => {
    const { dir, manifest } = await initRepo('aws');
    const result = await pilot(['new', 'app', dir, '--name', 'fn', '--platform', 'lambda', '--repo', 'git@github.com:acme/fn.git', '--format', 'json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out)).toEqual({ file: 'pilot.yaml', project: 'acme', app: 'fn' });
    expect(appsOf(await readFile(manifest, 'utf8'), 'acme').at(-1)?.build).toEqual({ builder: 'docker' });
    expect((await pilot(['validate', dir])).code).toBe(0);
  });

  it('refuses a duplicate app name: exit 1, the file unchanged', async () => {
    const { dir, manifest, original } = await initRepo('aws');
    const result = await pilot(['new', 'app', dir, '--name', 'web', '--platform', 'static', '--repo', 'https://github.com/acme/web2.git']);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/pilot\.yaml:\d+:\d+: apps\[2\]\.name: app "web" is already declared/);
    expect(result.err).toContain('nothing was written');
    expect(await readFile(manifest, 'utf8')).toBe(original);
  });

  it('refuses an invalid size, naming the problem with file:line:col: exit 1, the file unchanged', async () => {
    const { dir, manifest, original } = await initRepo('aws');
    const result = await pilot(['new', 'app', dir, '--name', 'worker', '--platform', 'ecs', '--repo', 'https://github.com/acme/worker.git', '--memory', '3']);
    expect(result.code).toBe(1);
    const line = result.err.split('\n').find((l) => l.includes('deploy.memory'));
    expect(line).toMatch(/^ {2}pilot\.yaml:\d+:\d+: apps\[2\]\.deploy\.memory: 3 MiB is not a Fargate memory size/);
    // The position points at the value in the file as it would have been: the app goes after
    // the last app and a blank line, as `- name`, source, repo, build, builder, deploy, platform, memory.
    const lastAppLine = original.split('\n').findIndex((l) => l.startsWith('    dependsOn: [web]')) + 1;
    expect(lastAppLine).toBeGreaterThan(0);
    expect(line).toContain(`pilot.yaml:${lastAppLine + 9}:15: `);
    expect(result.err).toContain('nothing was written');
    expect(await readFile(manifest, 'utf8')).toBe(original);
  });

  it('needs --name when stdin is not a terminal: exit 2', async () => {
    const { dir, manifest, original } = await initRepo('aws');
    const result = await pilot(['new', 'app', dir, '--platform', 'ecs', '--repo', 'https://github.com/acme/x.git']);
    expect(result.code).toBe(2);
    expect(result.err).toContain('missing --name');
    expect(await readFile(manifest, 'utf8')).toBe(original);
  });

  it('names the projects when --project is unknown: exit 1', async () => {
    const { dir } = await initRepo('aws');
    const result = await pilot(['new', 'app', dir, '--project', 'nope', '--name', 'x', '--platform', 'ecs', '--repo', 'https://github.com/acme/x.git']);
    expect(result.code).toBe(1);
    expect(result.err).toContain('no project nope');
    expect(result.err).toContain('acme (pilot.yaml:8)');
  });

  it('needs --project when there are several (exit 2), and finds the file that declares it', async () => {
    const { dir, manifest, original } = await initRepo('aws');
    expect((await pilot(['new', 'project', dir, '--name', 'shop', '--provider', 'gcp', '--region', 'europe-west1', '--gcp-project', 'shop-prod', '--file', 'shop/shop.pilot.yaml'])).code).toBe(0);
    const args = ['new', 'app', dir, '--name', 'api', '--platform', 'cloud-run', '--repo', 'https://github.com/shop/api.git'];
    const ambiguous = await pilot(args);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.err).toMatch(/missing --project.*acme \(pilot\.yaml:8\), shop \(shop\/shop\.pilot\.yaml:3\)/);
    const added = await pilot([...args, '--project', 'shop']);
    expect(added.out).toBe('added app api to project shop in shop/shop.pilot.yaml\n');
    expect(await readFile(manifest, 'utf8')).toBe(original);
    expect(appsOf(await readFile(path.join(dir, 'shop/shop.pilot.yaml'), 'utf8'), 'shop').map((a) => a.name)).toEqual(['api']);
    expect((await pilot(['validate', dir])).code).toBe(0);
  });

  it('refuses when the repository was already invalid, and says so', async () => {
    const { dir, manifest, original } = await initRepo('aws');
    await writeFile(path.join(dir, 'broken.pilot.yaml'), 'apiVersion: pilot.dev/v1\nkind: Project\nname: Broken\n');
    const result = await pilot(['new', 'app', dir, '--project', 'acme', '--name', 'ok', '--platform', 'static', '--repo', 'https://github.com/acme/ok.git']);
    expect(result.code).toBe(1);
    expect(result.err).toContain('already invalid');
    expect(result.err).toContain('broken.pilot.yaml:3:7: name:');
    expect(await readFile(manifest, 'utf8')).toBe(original);
  });

  it('fails when there is no project to add to', async () => {
    const dir = await tempDir();
    const result = await pilot(['new', 'app', dir, '--name', 'x', '--platform', 'ecs', '--repo', 'https://github.com/acme/x.git']);
    expect(result.code).toBe(1);
    expect(result.err).toContain("pilot new project");
  });

  it('writes the provider the platform needs, and asks for a region flag, when the project has no defaults', async () => {
    const dir = await tempDir();
    expect((await pilot(['new', 'project', dir, '--name', 'bare'])).code).toBe(0);
    const args = ['new', 'app', dir, '--name', 'api', '--platform', 'ecs', '--repo', 'https://github.com/bare/api.git'];
    const noRegion = await pilot(args);
    expect(noRegion.code).toBe(2);
    expect(noRegion.err).toContain('missing --region: project bare has no defaults.region');
    expect((await pilot([...args, '--region', 'eu-west-1'])).code).toBe(0);
    const app = appsOf(await readFile(path.join(dir, 'pilot.yaml'), 'utf8'), 'bare')[0];
    expect(app).toMatchObject({ provider: 'aws', region: 'eu-west-1' });
    expect((await pilot(['validate', dir])).code).toBe(0);
  });

  it('rejects bad flag values as usage errors', async () => {
    const { dir } = await initRepo('aws');
    const base = ['new', 'app', dir, '--name', 'x', '--repo', 'https://github.com/acme/x.git'];
    expect((await pilot([...base, '--platform', 'heroku'])).err).toContain('--platform must be one of ecs, lambda, cloud-run, static');
    expect((await pilot([...base, '--platform', 'ecs', '--cpu', 'lots'])).code).toBe(2);
  });
});

describe('pilot new project', () => {
  it('appends a project document to an init, keeping the file before it byte for byte', async () => {
    const { dir, manifest, original } = await initRepo('aws');
    const result = await pilot(['new', 'project', dir, '--name', 'shop', '--provider', 'aws', '--region', 'eu-west-1']);
    expect(result.code).toBe(0);
    expect(result.out).toBe('added project shop in pilot.yaml\n');
    const text = await readFile(manifest, 'utf8');
    expect(text).toBe(`${original}---\napiVersion: pilot.dev/v1\nkind: Project\nname: shop\ndefaults:\n  provider: aws\n  region: eu-west-1\n`);
    expect((await pilot(['validate', dir])).code).toBe(0);
    // And an app goes into the second document, leaving the first alone.
    expect((await pilot(['new', 'app', dir, '--project', 'shop', '--name', 'web', '--platform', 'static', '--repo', 'https://github.com/shop/web.git'])).code).toBe(0);
    expect((await readFile(manifest, 'utf8')).startsWith(`${original}---\n`)).toBe(true);
    expect((await pilot(['validate', dir])).code).toBe(0);
  });

  it('creates the manifest when it is missing, and prints json', async () => {
    const dir = await tempDir();
    const result = await pilot(['new', 'project', dir, '--name', 'solo', '--format', 'json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out)).toEqual({ file: 'pilot.yaml', project: 'solo' });
    expect(await readFile(path.join(dir, 'pilot.yaml'), 'utf8')).toBe('apiVersion: pilot.dev/v1\nkind: Project\nname: solo\n');
  });

  it('refuses a project name that exists anywhere, saying where', async () => {
    const { dir, manifest, original } = await initRepo('aws');
    await mkdir(path.join(dir, 'more'));
    const result = await pilot(['new', 'project', dir, '--name', 'acme', '--file', 'more/pilot.yaml']);
    expect(result.code).toBe(1);
    expect(result.err).toContain('project acme already exists at pilot.yaml:8');
    expect(await readFile(manifest, 'utf8')).toBe(original);
  });

  it('refuses an invalid name with its position, and a --file Pilot would not read', async () => {
    const dir = await tempDir();
    const bad = await pilot(['new', 'project', dir, '--name', 'Bad_Name']);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/pilot\.yaml:3:7: name: /);
    const wrongFile = await pilot(['new', 'project', dir, '--name', 'ok', '--file', 'projects.yaml']);
    expect(wrongFile.code).toBe(2);
    expect(wrongFile.err).toContain('--file must be named pilot.yaml or NAME.pilot.yaml');
  });

  it('needs --name when stdin is not a terminal: exit 2', async () => {
    const dir = await tempDir();
    const result = await pilot(['new', 'project', dir]);
    expect(result.code).toBe(2);
    expect(result.err).toContain('missing --name');
  });
});

describe('prompts (a scripted Prompter on a terminal)', () => {
  it('asks new app what the flags do not say, in the order of the original generator', async () => {
    const { dir, manifest } = await initRepo('aws');
    const prompter = scripted([
      [/App name/, 'worker'],
      [/Source path/, 'services/worker'],
      [/Frontend-only/, false],
      [/Run it on/, 'ecs'],
      [/repository URL/, 'https://github.com/acme/worker.git'],
    ]);
    const result = await pilot(['new', 'app', dir], { tty: true, prompter });
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(prompter.asked).toHaveLength(5);
    expect(appsOf(await readFile(manifest, 'utf8'), 'acme').at(-1)).toEqual({
      name: 'worker',
      source: { repo: 'https://github.com/acme/worker.git', path: 'services/worker' },
      build: { builder: 'pack' },
      deploy: { platform: 'ecs' },
    });
    expect((await pilot(['validate', dir])).code).toBe(0);
  });

  it('asks for the project, provider, region and GCP project when nothing supplies them', async () => {
    const { dir } = await initRepo('aws');
    expect((await pilot(['new', 'project', dir, '--name', 'bare', '--file', 'bare.pilot.yaml'])).code).toBe(0);
    const prompter = scripted([
      [/Select a project/, 'bare'],
      [/Select a cloud provider/, 'gcp'],
      [/App name/, 'site'],
      [/Source path/, '.'],
      [/Frontend-only/, true],
      [/Region/, 'europe-west1'],
      [/GCP project id/, 'bare-prod'],
      [/repository URL/, 'https://github.com/bare/site.git'],
    ]);
    const result = await pilot(['new', 'app', dir], { tty: true, prompter });
    expect(result.code).toBe(0);
    expect(result.out).toBe('added app site to project bare in bare.pilot.yaml\n');
    expect(appsOf(await readFile(path.join(dir, 'bare.pilot.yaml'), 'utf8'), 'bare')).toEqual([
      {
        name: 'site',
        provider: 'gcp',
        region: 'europe-west1',
        gcpProject: 'bare-prod',
        source: { repo: 'https://github.com/bare/site.git' },
        build: { builder: 'yarn' },
        deploy: { platform: 'static' },
      },
    ]);
    expect((await pilot(['validate', dir])).code).toBe(0);
  });

  it('does not ask when the flags say everything, even on a terminal', async () => {
    const { dir } = await initRepo('aws');
    const prompter = scripted([]);
    const result = await pilot(['new', 'app', dir, '--name', 'x', '--platform', 'ecs', '--repo', 'https://github.com/acme/x.git'], { tty: true, prompter });
    expect(result.code).toBe(0);
    expect(prompter.asked).toEqual([]);
  });

  it('asks new project for its name and defaults', async () => {
    const dir = await tempDir();
    const prompter = scripted([
      [/Project name/, 'shop'],
      [/Select a cloud provider/, 'gcp'],
      [/Region/, ''],
      [/GCP project id/, 'shop-prod'],
    ]);
    const result = await pilot(['new', 'project', dir], { tty: true, prompter });
    expect(result.code).toBe(0);
    expect(documents(await readFile(path.join(dir, 'pilot.yaml'), 'utf8'))).toEqual([
      { apiVersion: 'pilot.dev/v1', kind: 'Project', name: 'shop', defaults: { provider: 'gcp', region: 'us-central1', gcpProject: 'shop-prod' } },
    ]);
  });
});

describe('prompts (real inquirer prompts on a pseudo-terminal)', () => {
  it('drives new project through keystrokes, answering each question once it is drawn', async () => {
    const dir = await tempDir();
    const stdin = Object.assign(new PassThrough(), { isTTY: true });
    const script: [RegExp, string][] = [
      [/Project name/, 'shop\r'],
      [/Select a cloud provider/, '\u001b[B\r'], // arrow down to GCP
      [/Region/, '\r'], // the default, us-central1
      [/GCP project id/, 'shop-prod\r'],
    ];
    let screen = '';
    let drawn = '';
    const stderr = {
      isTTY: true,
      write(text: string) {
        screen += text;
        drawn += text;
        const step = script[0];
        if (step && step[0].test(drawn)) {
          script.shift();
          drawn = '';
          setImmediate(() => stdin.write(step[1]));
        }
        return true;
      },
    };
    let out = '';
    const io: PromptingIo = { stdout: { write: (t: string) => (out += t) }, stderr, stdin, env: {}, cwd: dir };
    const code = await runCli(['new', 'project', dir], io);
    expect(script).toEqual([]);
    expect(code).toBe(0);
    expect(out).toBe('added project shop in pilot.yaml\n');
    expect(screen).toContain('GCP project id');
    expect(await readFile(path.join(dir, 'pilot.yaml'), 'utf8')).toBe(
      'apiVersion: pilot.dev/v1\nkind: Project\nname: shop\ndefaults:\n  provider: gcp\n  region: us-central1\n  gcpProject: shop-prod\n',
    );
  });
});

describe('help', () => {
  it('lists flags, defaults, exit codes and an example', async () => {
    for (const word of ['project', 'app']) {
      const result = await pilot(['new', word, '--help']);
      expect(result.code).toBe(0);
      expect(result.out).toContain(`Usage: pilot new ${word}`);
      expect(result.out).toContain('--name NAME');
      expect(result.out).toContain('default');
      expect(result.out).toContain('Exit codes: 0');
      expect(result.out).toContain(`Example:\n  pilot new ${word}`);
    }
  });
});
