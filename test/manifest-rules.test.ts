// Focused checks of the loader's pieces; the fixture corpus covers each rule end to end.

import { describe, expect, it } from 'vitest';
import { findCycles } from '../src/sources/manifests/rules/dependencies.js';
import { formatPath, formatProblem } from '../src/sources/manifests/problem.js';
import { closest } from '../src/sources/manifests/suggest.js';
import { loadDesiredState } from '../src/sources/manifests/load.js';
import { fargateCpuFor } from '../src/sources/manifests/platforms.js';

const project = (body: string) => `apiVersion: pilot.dev/v1\nkind: Project\nname: acme\ndefaults: { provider: aws, region: us-east-1 }\n${body}`;

describe('paths and messages', () => {
  it('formats JSON paths the way the spec prints them', () => {
    expect(formatPath(['apps', 1, 'deploy', 'memory'])).toBe('apps[1].deploy.memory');
    expect(formatPath(['apps', 0, 'env', 'DATABASE_URL'])).toBe('apps[0].env.DATABASE_URL');
    expect(formatPath(['weird key'])).toBe('["weird key"]');
    expect(formatPath([])).toBe('');
  });

  it('prints file:line:col: path: message', () => {
    const line = formatProblem({ severity: 'error', file: 'a/pilot.yaml', line: 12, col: 7, path: 'apps[1].deploy.memory', message: 'too small', rule: 'x' });
    expect(line).toBe('a/pilot.yaml:12:7: apps[1].deploy.memory: too small');
  });

  it('suggests the closest known word', () => {
    expect(closest('memroy', ['memory', 'cpu', 'port'])).toBe('memory');
    expect(closest('Provider', ['provider', 'region'])).toBe('provider');
    expect(closest('zzzzzz', ['memory', 'cpu'])).toBeUndefined();
  });
});

describe('dependency cycles', () => {
  it('finds each cycle once, starting at its smallest name', () => {
    const graph = new Map([
      ['web', ['api']],
      ['api', ['worker']],
      ['worker', ['web']],
      ['solo', []],
    ]);
    expect(findCycles(graph)).toEqual([['api', 'worker', 'web']]);
  });

  it('finds no cycle in a chain', () => {
    expect(findCycles(new Map([['a', ['b']], ['b', ['c']], ['c', []]]))).toEqual([]);
  });
});

describe('Fargate sizes', () => {
  it('picks the smallest CPU that allows a memory size', () => {
    expect(fargateCpuFor(512)).toBe(0.25);
    expect(fargateCpuFor(3072)).toBe(0.5);
    expect(fargateCpuFor(15360)).toBe(2);
    // Fargate allows 16384 with 2 vCPU, Waypoint's aws-ecs plugin does not: 4 vCPU is the smallest it takes.
    expect(fargateCpuFor(16384)).toBe(4);
    expect(fargateCpuFor(30720)).toBe(4);
    expect(fargateCpuFor(700)).toBeUndefined();
  });
});

describe('loadDesiredState', () => {
  it('reports problems from every file and every document, not just the first', () => {
    const bad = project('apps:\n  - name: Web\n    source: { repo: http://x }\n    build: { builder: pack }\n    deploy: { platform: ecs }\n');
    const result = loadDesiredState([
      { path: 'a/pilot.yaml', content: bad },
      { path: 'b/pilot.yaml', content: `${bad.replace('acme', 'other')}---\nkind: Projekt\n` },
    ]);
    expect(result.state).toBeNull();
    const where = result.problems.map((p) => `${p.file}:${p.line}:${p.col}`);
    expect(where).toEqual(expect.arrayContaining(['a/pilot.yaml:6:11', 'a/pilot.yaml:7:21', 'b/pilot.yaml:6:11', 'b/pilot.yaml:7:21', 'b/pilot.yaml:11:7']));
  });

  it('applies defaults and adds implicit database dependencies', () => {
    const result = loadDesiredState([
      {
        path: 'pilot.yaml',
        content: project(
          'apps:\n  - name: api\n    source: { repo: "git@github.com:acme/api.git", path: ./svc/ }\n    build: { builder: pack }\n    deploy: { platform: ecs, memory: 3072 }\n    env:\n      Z: "1"\n      DATABASE_URL: { fromDatabase: main, property: url }\n      KEY: { secret: true }\ndatabases:\n  - name: main\n',
        ),
      },
    ]);
    expect(result.problems).toEqual([]);
    const app = result.state!.projects[0]!.apps[0]!;
    expect(app).toMatchObject({
      provider: 'aws',
      region: 'us-east-1',
      source: { ref: 'main', path: 'svc' },
      deploy: { platform: 'ecs', port: 8080, cpu: 0.5, memory: 3072, instances: { min: 1, max: 1 } },
      databases: ['main'],
      dependsOn: [],
    });
    expect(Object.keys(app.env)).toEqual(['DATABASE_URL', 'KEY', 'Z']);
    expect(app.env.KEY).toEqual({ kind: 'secret' });
    expect(result.state!.projects[0]!.databases[0]).toMatchObject({ engine: 'postgres', version: '16', size: 'small', storageGB: 20, deletionProtection: true });
  });

  it('gives the same state for the same manifests in any file order', () => {
    const a = { path: 'a.pilot.yaml', content: project('apps: []\n') };
    const b = { path: 'b.pilot.yaml', content: project('apps: []\n').replace('acme', 'beta') };
    expect(JSON.stringify(loadDesiredState([a, b]).state)).toBe(JSON.stringify(loadDesiredState([b, a]).state));
  });

  it('treats no manifests as an empty, valid state (the reconciler never prunes on it)', () => {
    const result = loadDesiredState([]);
    expect(result.state).toEqual({ projects: [] });
    expect(result.files).toBe(0);
  });

  it('never repeats an env value in a message, since it may be a secret pasted by mistake', () => {
    const secret = 'sk_live_51HxYzSECRETvalue';
    const content = project(
      `apps:\n  - name: api\n    source: { repo: "https://github.com/acme/api.git" }\n    build: { builder: pack }\n    deploy: { platform: ecs }\n    env:\n      STRIPE_KEY: { secret: "${secret}" }\n      OTHER: { fromSecret: "${secret}" }\n      PLAIN_TOKEN: "${secret}"\n`,
    );
    const result = loadDesiredState([{ path: 'pilot.yaml', content }]);
    expect(result.problems.map((p) => p.path)).toEqual(['apps[0].env.STRIPE_KEY.secret', 'apps[0].env.OTHER.fromSecret']);
    for (const problem of result.problems) expect(formatProblem(problem)).not.toContain(secret);
  });

  it('warns about secret-looking plain values and still accepts them', () => {
    const content = project('apps:\n  - name: api\n    source: { repo: "https://github.com/acme/api.git" }\n    build: { builder: pack }\n    deploy: { platform: ecs }\n    env:\n      API_TOKEN: abc\n');
    const result = loadDesiredState([{ path: 'pilot.yaml', content }]);
    expect(result.state).not.toBeNull();
    expect(result.problems).toEqual([expect.objectContaining({ severity: 'warning', rule: 'env.plain-secret', line: 11, col: 18 })]);
  });
});
