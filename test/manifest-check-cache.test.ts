// Files checked once per text (sources/manifests/check-cache.ts): a later load of the
// same text must find exactly what a first load finds, and hand out data nobody can change.

import { describe, expect, it } from 'vitest';
import { builtInProviders, providerRegistry } from '../src/drivers/registry.js';
import { checkFile } from '../src/sources/manifests/check-file.js';
import { loadDesiredState } from '../src/sources/manifests/load.js';
import type { ManifestFile } from '../src/sources/manifests/manifest-file.js';
import { fakeFacts } from './fakes/provider-fake/facts.js';

let unique = 0;
/** A project of its own name, so no two tests share cache entries by accident. */
function project(name: string, apps = 2): string {
  const lines = ['apiVersion: pilot.dev/v1', 'kind: Project', `name: ${name}`, 'defaults: { provider: aws, region: us-east-1 }', 'databases:', '  - name: main', 'apps:'];
  for (let i = 0; i < apps; i++) {
    lines.push(
      `  - name: app-${i}`,
      `    source: { repo: "https://github.com/acme/app-${i}.git" }`,
      `    build: { builder: ${i % 2 === 0 ? 'pack' : 'docker'} }`,
      // Lambda with a database is a warning, found by a rule that points at a line.
      `    deploy: { platform: ${i % 2 === 0 ? 'ecs' : 'lambda'} }`,
      '    env:',
      '      DATABASE_URL: { fromDatabase: main, property: url }',
    );
  }
  return `${lines.join('\n')}\n`;
}

const files = (...contents: string[]): ManifestFile[] => contents.map((content, i) => ({ path: `p${unique}-${i}/pilot.yaml`, content }));
const fresh = () => `cache-${++unique}`;

describe('loading the same text again', () => {
  it('finds the same problems, at the same lines, and the same state', () => {
    const set = files(project(fresh(), 4), project(fresh(), 3));
    const first = loadDesiredState(set);
    const again = loadDesiredState(set);
    expect(first.problems.filter((p) => p.rule === 'env.lambda-database')).toHaveLength(3);
    expect(first.state).not.toBeNull();
    expect(again).toEqual(first);
    // And what checking the file on its own, with no cache, finds.
    const direct = set.flatMap((file) => checkFile(file, builtInProviders).problems);
    expect(again.problems).toEqual(expect.arrayContaining(direct));
    expect(again.problems).toHaveLength(direct.length);
  });

  it('keeps errors with the file: an invalid file stays invalid on every load', () => {
    const name = fresh();
    const set = files(project(name).replace('platform: ecs', 'platform: ecss'));
    const first = loadDesiredState(set);
    expect(first.state).toBeNull();
    const again = loadDesiredState(set);
    expect(again.state).toBeNull();
    expect(again.problems).toEqual(first.problems);
    expect(again.problems.some((p) => p.severity === 'error' && p.line === 11)).toBe(true);
  });

  it('runs the repository rules on every load: a duplicate project is found whichever file came first', () => {
    const name = fresh();
    const [a, b] = files(project(name), `# moved down\n${project(name)}`);
    loadDesiredState([a!]);
    loadDesiredState([b!]);
    const both = loadDesiredState([a!, b!]);
    const duplicate = both.problems.find((p) => p.rule === 'names.duplicate-project');
    expect(duplicate).toMatchObject({ file: b!.path, line: 4, col: 7 });
    expect(duplicate?.message).toContain(`${a!.path}:3`);
    expect(both.state).toBeNull();
  });

  it('checks a changed text again, and points at its new lines', () => {
    const name = fresh();
    const [before] = files(project(name));
    const after = { ...before!, content: `# a comment\n# another\n${before!.content}` };
    const lines = (content: ManifestFile) => loadDesiredState([content]).problems.map((p) => p.line);
    expect(lines(after)).toEqual(lines(before!).map((line) => line + 2));
  });

  it('hands out the same frozen project while a file is unchanged, and a new one when it changes', () => {
    const [a, b] = files(project(fresh()), project(fresh()));
    const loadedFirst = loadDesiredState([a!, b!]);
    expect(loadedFirst.problems.filter((p) => p.severity === 'error')).toEqual([]);
    const first = loadedFirst.state!;
    const again = loadDesiredState([a!, b!]).state!;
    const byName = (state: typeof first, name: string) => state.projects.find((p) => p.name === name)!;
    const [nameA, nameB] = first.projects.map((p) => p.name).sort();
    expect(byName(again, nameA!)).toBe(byName(first, nameA!));
    const app = byName(again, nameA!).apps[0]!;
    expect(() => {
      (app.env as Record<string, unknown>).EXTRA = { kind: 'plain', value: 'x' };
    }).toThrow(TypeError);
    expect(() => (byName(again, nameA!).apps as unknown[]).push(app)).toThrow(TypeError);

    const changedB = { ...b!, content: b!.content.replace('app-1', 'app-9') };
    const third = loadDesiredState([a!, changedB]).state!;
    expect(byName(third, nameA!)).toBe(byName(first, nameA!));
    expect(byName(third, nameB!)).not.toBe(byName(first, nameB!));
    expect(byName(third, nameB!).apps.map((x) => x.name)).toEqual(['app-0', 'app-9']);
  });

  it('does not share what was found under one set of providers with another', () => {
    const name = fresh();
    const fake = fakeFacts.name;
    const set = files(
      ['apiVersion: pilot.dev/v1', 'kind: Project', `name: ${name}`, `defaults: { provider: ${fake}, region: ${fakeFacts.regions.example} }`, 'apps:',
        '  - name: site', '    source: { repo: "https://github.com/acme/site.git" }', '    build: { builder: yarn }', '    deploy: { platform: static }', ''].join('\n'),
    );
    const builtIn = loadDesiredState(set);
    expect(builtIn.state).toBeNull();
    expect(builtIn.problems.some((p) => p.severity === 'error' && p.message.includes(fake))).toBe(true);
    const withFake = loadDesiredState(set, [], providerRegistry([...builtInProviders.all, fakeFacts]));
    expect(withFake.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(withFake.state?.projects[0]?.apps[0]?.provider).toBe(fake);
  });
});
