// Every app of every valid fixture deploys through the strict emulator: `pilot apply` with
// the clouds' stand-in (real terraform), a runner that clones, builds and syncs for real,
// and each fixture's source repositories replaced by local ones holding what the app
// needs (its folder, its Dockerfile, a yarn site). Secrets are set as a user would.

import { cp, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DesiredApp } from '../src/reconciler/desired-state.js';
import { loadDesiredStateFromDirectory } from '../src/sources/manifests/load.js';
import { fixtureDir, fixtureNames } from './support/fixtures.js';
import { appFiles, createSourceRepo, git, removeTemporaryFolders, temporaryFolder, type FileChanges } from './support/git-repos.js';
import { startRig } from './support/reconcile-harness.js';
import { siteFiles, startStaticRunner, type StaticRunner } from './support/static-runner.js';

let sites: StaticRunner;

beforeAll(async () => {
  sites = await startStaticRunner('docs-prod-123');
});

afterAll(async () => {
  await sites?.close();
  await removeTemporaryFolders();
});

/** What one app needs in its repository for a runner to build it. */
function filesFor(app: DesiredApp): FileChanges {
  const folder = app.source.path === '.' ? '' : `${app.source.path}/`;
  const inFolder = (files: FileChanges) => Object.fromEntries(Object.entries(files).map(([name, text]) => [`${folder}${name}`, text]));
  if (app.build.builder === 'yarn') return inFolder(siteFiles({ 'index.html': `<h1>${app.name}</h1>` }, app.build.outputDir ?? 'build'));
  const files = inFolder(appFiles(app.name));
  if (app.build.builder === 'docker') files[`${folder}${app.build.dockerfile ?? 'Dockerfile'}`] = 'FROM node:20-slim\nCOPY . /app\n';
  return files;
}

/** The fixture copied, with each source repository replaced by a local one. */
async function localFixture(name: string): Promise<{ dir: string; apps: DesiredApp[] }> {
  const dir = await temporaryFolder(`pilot-fixture-${name}-`);
  await cp(fixtureDir('valid', name), dir, { recursive: true });
  const loaded = await loadDesiredStateFromDirectory(dir);
  const apps = loaded.state!.projects.flatMap((p) => p.apps);
  const byRepo = new Map<string, DesiredApp[]>();
  for (const app of apps) byRepo.set(app.source.repo, [...(byRepo.get(app.source.repo) ?? []), app]);
  const urls = new Map<string, string>();
  for (const [repo, users] of byRepo) {
    const files = Object.assign({}, ...users.map(filesFor)) as FileChanges;
    const local = await createSourceRepo(path.basename(repo, '.git'), files);
    // Apps may pin a tag: the local repository has it on its one commit.
    for (const ref of new Set(users.map((u) => u.source.ref).filter((ref) => ref !== 'main'))) await git(local.bare, ['tag', ref, local.first]);
    urls.set(repo, local.url);
  }
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.yaml')) continue;
    const file = path.join(entry.parentPath, entry.name);
    let text = await readFile(file, 'utf8');
    for (const [from, to] of urls) text = text.replaceAll(from, to);
    await writeFile(file, text);
  }
  await git(dir, ['init', '--quiet', '--initial-branch=main']);
  await git(dir, ['add', '-A']);
  await git(dir, ['commit', '--quiet', '-m', 'fixture']);
  return { dir, apps };
}

describe('every valid fixture deploys through the strict emulator', () => {
  it.each(fixtureNames('valid'))('%s', { timeout: 180_000 }, async (name) => {
    const { dir, apps } = await localFixture(name);
    for (const app of apps.filter((a) => a.deploy.platform === 'static')) sites.addSite(app);
    const rig = await startRig({ stepMs: 5, runner: sites.runner });
    try {
      const home = await rig.home();
      const first = await rig.apply(dir, home, '--clouds', 'stand-in');
      // Secrets are set out of band, as `pilot secret set` tells the user to.
      for (const action of first.json.actions.filter((a) => a.kind === 'missing-secret')) {
        for (const reason of action.reasons) {
          const secret = /pilot secret set (\S+) (\S+)/.exec(reason)!;
          const set = await rig.run(['secret', 'set', secret[1]!, secret[2]!, dir], home, { stdin: 'a-secret-value\n' });
          expect(set.code, set.stderr).toBe(0);
        }
      }
      const done = first.json.actions.some((a) => a.kind === 'missing-secret') ? await rig.apply(dir, home, '--clouds', 'stand-in') : first;
      expect(done.json.errors, JSON.stringify(done.json.errors, null, 1)).toEqual([]);
      const deployed = [...first.json.actions, ...done.json.actions].filter((a) => a.kind === 'deploy' && a.status === 'done').map((a) => a.target);
      expect(new Set(deployed)).toEqual(new Set(apps.map((a) => `${a.project}/${a.name}`)));
    } finally {
      await rig.stop();
    }
  });
});
