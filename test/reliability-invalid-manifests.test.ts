// Reliability: invalid revisions committed one after the other on top of a converged
// repository that prunes (test/support/reliability/invalid-commits.ts, variants from
// invalid-manifests.ts; `npm run soak` commits 200 through the daemon). Here every one
// of the 200 is read by the loader, and 30 of them go through the daemon.

import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDesiredStateFromDirectory } from '../src/sources/manifests/load.js';
import { formatProblem } from '../src/sources/manifests/problem.js';
import { removeTemporaryFolders, temporaryFolder } from './support/git-repos.js';
import { manifestFiles } from './support/reconcile-manifests.js';
import { found, invalidSizes, runInvalidCommits, steadyFiles, steadyProjects } from './support/reliability/invalid-commits.js';
import { invalidVariants } from './support/reliability/invalid-manifests.js';
import { seeded } from './support/reliability/random.js';

afterAll(async () => {
  await removeTemporaryFolders();
});

describe('invalid revisions on top of a converged repository', () => {
  it('the 200 of the soak: each is refused by the loader, naming the expected file:line:column', { timeout: 60_000 }, async () => {
    const { variants, seed } = invalidSizes.full;
    const projects = steadyProjects('file:///srv/git/app.git');
    const good = manifestFiles(...projects);
    const all = invalidVariants(steadyFiles(projects), variants, seeded(seed));
    expect(new Set(all.map((v) => v.name)).size).toBe(variants);
    const wrong: string[] = [];
    for (const variant of all) {
      const dir = await temporaryFolder('pilot-invalid-variant-');
      for (const [file, text] of Object.entries({ ...good, ...variant.files })) {
        if (text === null) continue;
        await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
        await writeFile(path.join(dir, file), text);
      }
      const loaded = await loadDesiredStateFromDirectory(dir);
      const errors = loaded.problems.filter((p) => p.severity === 'error').map(formatProblem);
      if (loaded.state) wrong.push(`${variant.name}: loaded as valid`);
      for (const want of variant.expected) if (!found(errors, want)) wrong.push(`${variant.name}: no error at ${want.file}:${want.line ?? '?'}:${want.col ?? '?'} (got ${errors.join(' | ')})`);
    }
    expect(wrong, `seed ${seed}`).toEqual([]);
  });

  it('through the daemon: apply nothing, delete nothing, keep the converged revision, and name file:line:column', { timeout: 150_000 }, async () => {
    const size = invalidSizes.small;
    const result = await runInvalidCommits(size);
    const context = `seed ${size.seed}`;
    expect(result.violations, context).toEqual([]);
    expect(result.refused, context).toBe(size.variants);
    expect(result.unlocated.map((o) => o.variant), context).toEqual([]);
    expect(result.calledWaypoint.map((o) => o.variant), context).toEqual([]);
    expect(result.appliedInstead.map((o) => o.variant), context).toEqual([]);
    expect(result.destroyJobs).toBe(0);
    expect(result.upJobs).toBe(result.appsDeclared);
    expect(result.fixApplied).toBe(true);
  });
});
