// Correctness at the size the issue names; how long it takes is measured by `npm run bench`.

import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeManifestRepository } from '../bench/manifests.js';
import { loadDesiredStateFromDirectory } from '../src/sources/manifests/load.js';

describe('a large manifest repository', () => {
  it('validates 5,000 apps in 500 files, every one normalized', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'pilot-scale-'));
    await writeManifestRepository(root, 500, 10);
    const result = await loadDesiredStateFromDirectory(root);
    expect(result.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(result.summary).toEqual({ projects: 500, apps: 5000, databases: 500 });
    const last = result.state!.projects.find((p) => p.name === 'project-499')!.apps.find((a) => a.name === 'app-9')!;
    expect(last).toMatchObject({ dependsOn: ['app-8'], origin: { file: 'team-9/project-499/pilot.yaml' } });
  }, 60_000);
});
