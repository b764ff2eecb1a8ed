// `pilot serve --demo`: everything on one machine. A temporary state directory, a local
// git manifest repository made from examples/demo, an app source repository, and the
// Waypoint emulator; the daemon polls the manifest repository every few seconds, and
// takes GitHub webhooks signed with a secret made for the demo (or the one given), and
// reports to a GitHub stand-in whose page shows the comments, checks and deployments.

import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startGithubStandIn, type GithubStandIn } from './github-stand-in/index.js';
import { generateToken, startEmulator, type Emulator } from './waypoint-emulator/index.js';
import { sampleRepository } from './webhook-repository.js';
import type { Settings } from '../app/settings.js';
import { cloneRepository } from '../sources/git/clone.js';
import { commitAll, initBareRepository, pushBranch } from '../sources/git/local-repo.js';

const run = promisify(execFile);
const template = new URL('../../examples/demo/pilot.yaml', import.meta.url);

const identity = { name: 'Pilot demo', email: 'demo@pilot.invalid' };

/** A bare repository with one commit of `files`, and the work clone it was pushed from. */
async function repository(root: string, name: string, files: Record<string, string>): Promise<{ url: string; work: string }> {
  const url = await initBareRepository(path.join(root, `${name}.git`));
  const work = path.join(root, name);
  await cloneRepository(url, work);
  for (const [file, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(work, file)), { recursive: true });
    await writeFile(path.join(work, file), content);
  }
  await commitAll(work, `${name}: first commit`, identity);
  await pushBranch(work, 'main');
  return { url, work };
}

/** The demo's database needs terraform (run offline through the stand-in); without it, clouds stay off. */
async function hasTerraform(): Promise<boolean> {
  return run('terraform', ['version'], { timeout: 10_000 }).then(() => true, () => false);
}

/**
 * The GitHub the demo reports to: the stand-in, its one App installed on the manifest
 * repository, which has every commit the demo's bare repository has (read with git).
 */
async function demoGithub(manifestsUrl: string): Promise<{ standIn: GithubStandIn; repository: string }> {
  const standIn = await startGithubStandIn({ openapi: 'if-installed' });
  const repository = sampleRepository(manifestsUrl)!.full_name;
  const bare = fileURLToPath(manifestsUrl);
  standIn.world.addRepo(repository, { defaultBranch: 'main' });
  standIn.world.commitSource = (_repository, sha) => {
    try {
      execFileSync('git', ['cat-file', '-e', `${sha}^{commit}`], { cwd: bare, stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  };
  return { standIn, repository };
}

export interface Demo {
  config: Settings;
  /** Why the demo runs without cloud resources, when it does. */
  note?: string;
  emulator: Emulator;
  manifestWork: string;
  /** The secret to sign sample webhooks with: the first of config.webhookSecrets. */
  webhookSecret: string;
  /** It was made for this demo (and is thrown away with it), rather than given. */
  webhookSecretMade: boolean;
  /** The GitHub stand-in Pilot reports to: its API, and the page showing what was posted. */
  github: { url: string; page: string };
  stop(): Promise<void>;
}

/** `webhookSecrets`: the operator's (PILOT_WEBHOOK_SECRET); none, and the demo makes one. */
export async function setUpDemo(port: number, webhookSecrets: readonly string[] = []): Promise<Demo> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'pilot-demo-'));
  const source = await repository(root, 'app-source', {
    'index.js': "require('http').createServer((_, res) => res.end('hello from pilot')).listen(process.env.PORT || 8080);\n",
    'worker/Dockerfile': 'FROM public.ecr.aws/lambda/nodejs:20\nCOPY . .\nCMD ["index.handler"]\n',
  });
  const manifest = (await readFile(template, 'utf8')).replaceAll('{{sourceRepo}}', JSON.stringify(source.url));
  const manifests = await repository(root, 'manifests', { 'pilot.yaml': manifest });
  const token = generateToken();
  const given = webhookSecrets.filter((secret) => secret !== '');
  const secrets = given.length > 0 ? given : [randomBytes(32).toString('hex')];
  const emulator = await startEmulator({ port: 0, token, stepMs: 300 });
  const github = await demoGithub(manifests.url);
  const config: Settings = {
    repository: { url: manifests.url, branch: 'main' },
    pollMs: 3_000,
    driftMs: 120_000,
    selfHeal: true,
    concurrency: 4,
    stateDir: path.join(root, 'state'),
    waypoint: { address: emulator.address, tls: 'off', token },
    webhookSecrets: secrets,
    http: { host: '127.0.0.1', port },
    // Databases and static sites are "created" by terraform_data in place of the clouds.
    clouds: { mode: 'stand-in' },
    github: { apiUrl: github.standIn.url, app: { id: github.standIn.app.id, privateKey: github.standIn.app.privateKey }, repository: github.repository, comments: true, deployments: true },
  };
  const terraform = await hasTerraform();
  if (!terraform) config.clouds.mode = 'off';
  const note = terraform ? undefined : 'terraform is not on the PATH, so the demo database is not created and demo/api waits for it';
  return {
    config, emulator, manifestWork: manifests.work, webhookSecret: secrets[0]!, webhookSecretMade: given.length === 0,
    github: { url: github.standIn.url, page: `${github.standIn.webUrl}/_stand-in/` },
    ...(note ? { note } : {}),
    async stop() {
      await emulator.stop();
      await github.standIn.close();
    },
  };
}
