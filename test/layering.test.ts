// The folder rules of ../shared/design.md ("Folders"), checked on the import graph:
// each folder imports only the folders the design allows it; only the composition
// root (src/app/) and the CLI wire everything; local-development code (src/dev/)
// stays out of the product; and loading manifests never loads the CDKTF stacks.

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importGraph, loadedBy, type ImportEdge } from './support/import-graph.js';

const root = path.resolve(fileURLToPath(new URL('..', import.meta.url)));

/** Facts the manifests and the renderer may read: plain data, no stacks. */
const providerFacts = /^src\/drivers\/((registry|facts)\.ts|[^/]+\/facts\.ts)$/;

type Rule = { folder: RegExp; may: RegExp[]; mayType?: RegExp[] };

const rules: Record<string, Rule> = {
  reconciler: { folder: /^src\/reconciler\//, may: [] },
  store: { folder: /^src\/store\//, may: [/^src\/reconciler\//] },
  'sources/git': { folder: /^src\/sources\/git\//, may: [/^src\/reconciler\//] },
  'sources/github': { folder: /^src\/sources\/github\//, may: [/^src\/reconciler\//] },
  'sources/manifests': { folder: /^src\/sources\/manifests\//, may: [/^src\/reconciler\//, providerFacts] },
  waypoint: { folder: /^src\/waypoint\//, may: [/^src\/reconciler\//, providerFacts] },
  // The VM stacks read what `pilot bootstrap` was asked for, and the names its parts share.
  drivers: { folder: /^src\/drivers\//, may: [/^src\/reconciler\//, /^src\/bootstrap\/options\.ts$/] },
  bootstrap: { folder: /^src\/bootstrap\//, may: [/^src\/reconciler\//, /^src\/drivers\//, /^src\/sources\/manifests\/git-url\.ts$/] },
  reconcile: { folder: /^src\/reconcile\//, may: [/^src\/reconciler\//, /^src\/drivers\//, /^src\/waypoint\/(render|fingerprint)/], mayType: [/^src\/sources\/manifests\//] },
  daemon: { folder: /^src\/daemon\//, may: [/^src\/reconcile\//, /^src\/reconciler\//, /^src\/sources\//], mayType: [/^src\/app\//] },
  dev: { folder: /^src\/dev\//, may: [/^src\/waypoint\/(proto|client)\//, /^src\/sources\/git\//], mayType: [/^src\/app\//] },
  app: { folder: /^src\/app\//, may: [/^src\/(daemon|drivers|reconcile|reconciler|sources|store|waypoint)\//] },
  cli: { folder: /^src\/cli\//, may: [/^src\/(app|bootstrap|daemon|drivers|reconcile|reconciler|sources|store|waypoint)\//] },
};

/** `pilot dev waypoint`, `pilot dev webhook` and `pilot serve --demo` are the CLI's doors to local development. */
const devDoors = new Set(['src/cli/commands/dev-waypoint.ts', 'src/cli/commands/dev-webhook.ts', 'src/cli/commands/serve.ts']);

const edges = importGraph(root);
const internal = (edge: ImportEdge) => edge.to.startsWith('src/');
const folderOf = (file: string) => Object.entries(rules).find(([, rule]) => rule.folder.test(file));

/** Edges that break the rules, as "from -> to" lines. */
export function violations(all: readonly ImportEdge[]): string[] {
  const broken: string[] = [];
  for (const edge of all.filter(internal)) {
    const [name, rule] = folderOf(edge.from) ?? ['', undefined];
    if (!rule || rule.folder.test(edge.to)) continue;
    if (edge.from.startsWith('src/cli/') && edge.to.startsWith('src/dev/') && devDoors.has(edge.from)) continue;
    const allowed = rule.may.some((re) => re.test(edge.to)) || (edge.typeOnly && (rule.mayType ?? []).some((re) => re.test(edge.to)));
    if (!allowed) broken.push(`${edge.from} -> ${edge.to} (${name} may not import it${edge.typeOnly ? ', even as a type' : ''})`);
  }
  return broken;
}

describe('the folder rules of design.md', () => {
  it('reads a real graph', () => {
    expect(edges.length).toBeGreaterThan(500);
    expect(edges.some((e) => e.from === 'src/main.ts' && e.to.startsWith('src/cli/'))).toBe(true);
  });

  it('every file under src/ is in a folder the rules know', () => {
    const unknown = [...new Set(edges.map((e) => e.from))].filter((file) => file !== 'src/main.ts' && !folderOf(file));
    expect(unknown).toEqual([]);
  });

  it('each folder imports only what it may', () => {
    expect(violations(edges)).toEqual([]);
  });

  it('the reconciler touches no file system, network, git or SDK', () => {
    const packages = edges.filter((e) => e.from.startsWith('src/reconciler/') && !internal(e)).map((e) => e.to);
    expect(packages.filter((p) => p !== 'node:timers')).toEqual([]);
  });

  it('nothing but the CLI imports the composition root for values, and nothing imports the CLI', () => {
    const intoApp = edges.filter((e) => e.to.startsWith('src/app/') && !e.typeOnly && !/^src\/(app|cli)\//.test(e.from));
    const intoCli = edges.filter((e) => e.to.startsWith('src/cli/') && !/^src\/(cli\/|main\.ts)/.test(e.from));
    expect([...intoApp, ...intoCli].map((e) => `${e.from} -> ${e.to}`)).toEqual([]);
  });

  it('loading manifests or rendering never loads CDKTF', () => {
    for (const start of ['src/sources/manifests/load.ts', 'src/waypoint/render/app.ts']) {
      const loaded = [...loadedBy(edges, start)];
      expect(loaded.filter((file) => /^(cdktf|@cdktf\/|constructs)/.test(file)), start).toEqual([]);
    }
  });

  it('catches a broken rule', () => {
    const broken = [...edges, { from: 'src/reconciler/plan.ts', to: 'src/store/open-store.ts', typeOnly: false, dynamic: false }];
    expect(violations(broken)).toEqual(['src/reconciler/plan.ts -> src/store/open-store.ts (reconciler may not import it)']);
  });
});
