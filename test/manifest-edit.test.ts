import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { addApp, addProject, EditError } from '../src/sources/manifests/edit.js';
import { loadDesiredState } from '../src/sources/manifests/load.js';
import type { App } from '../src/sources/manifests/manifest.gen.js';

const api2: App = {
  name: 'api2',
  source: { repo: 'https://github.com/acme/api2.git', path: 'services/api2' },
  build: { builder: 'pack' },
  deploy: { platform: 'ecs', cpu: 0.5, memory: 1024 },
  dependsOn: ['web'],
};

function template(provider: 'aws' | 'gcp'): string {
  const text = readFileSync(new URL(`../templates/init/pilot.${provider}.yaml`, import.meta.url), 'utf8');
  return text.replace(/\{\{project\}\}/g, 'acme').replace(/\{\{region\}\}/g, provider === 'aws' ? 'us-east-1' : 'us-central1').replace(/\{\{gcpProject\}\}/g, 'acme-prod');
}

/** The one change is an insertion: `after` is `before` with a single run of text added (returned, from its leftmost position). */
function insertion(before: string, after: string): string {
  let start = 0;
  while (start < before.length && before[start] === after[start]) start += 1;
  const added = after.length - before.length;
  expect(added).toBeGreaterThan(0);
  expect(after.slice(0, start) + after.slice(start + added)).toBe(before);
  return after.slice(start, start + added);
}

/** Every line of `before` appears in `after`, unchanged and in order. */
function keepsLines(before: string, after: string): void {
  const lines = after.split('\n');
  let at = 0;
  for (const line of before.split('\n')) {
    const found = lines.indexOf(line, at);
    expect(found, `line kept: ${JSON.stringify(line)}`).toBeGreaterThanOrEqual(0);
    at = found + 1;
  }
}

function apps(text: string, index = 0): { name: string }[] {
  const docs = parseAllDocuments(text);
  const value = [...docs][index]?.toJS() as { apps?: { name: string }[] };
  return value.apps ?? [];
}

describe('addApp', () => {
  it('edits a file with exactly as many aliases as validation allows (100)', () => {
    const before = readFileSync(new URL('./fixtures/valid/yaml-aliases-at-limit/pilot.yaml', import.meta.url), 'utf8');
    const after = addApp(before, 0, { ...api2, dependsOn: [] });
    const { state, problems } = loadDesiredState([{ path: 'pilot.yaml', content: after }]);
    expect(problems).toEqual([]);
    expect(state?.projects[0]?.apps.map((a) => a.name)).toEqual(['api', 'api2']);
  });

  it('keeps every comment and blank line of the commented init template', () => {
    const before = template('aws');
    const after = addApp(before, 0, api2);
    keepsLines(before, after);
    const comments = before.split('\n').filter((l) => l.includes('#'));
    expect(comments.length).toBeGreaterThan(10);
    for (const line of comments) expect(after.split('\n')).toContain(line);
    expect(after.split('\n').filter((l) => l.trim() === '').length).toBe(before.split('\n').filter((l) => l.trim() === '').length + 1);
    const added = insertion(before, after);
    expect(added).toContain('  - name: api2\n');
    expect(added).toContain('    dependsOn: [web]');
    expect(apps(after).map((a) => a.name)).toEqual(['web', 'api', 'api2']);
    // The new item goes after the last app (and its comments), before the blank line and `databases:`.
    expect(after).toMatch(/# deploy after web succeeds\n\n {2}- name: api2\n[\s\S]*\n\ndatabases:/);
    const result = loadDesiredState([{ path: 'pilot.yaml', content: after }]);
    expect(result.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(result.summary.apps).toBe(3);
  });

  it('appends to a block list written level with its key, in that style', () => {
    const before = 'name: acme\napps:\n- name: web\n  source: { repo: https://x/web.git }\n# about databases\ndatabases:\n- name: main\n';
    const after = addApp(before, 0, api2);
    const added = insertion(before, after);
    expect(added).toMatch(/^- name: api2\n {2}source:\n {4}repo: [^\n]*\n[\s\S]*\n {2}dependsOn: \[web\]\n$/);
    expect(after).toContain('    repo: https://github.com/acme/api2.git\n    path: services/api2\n  build:');
    expect(after.indexOf('# about databases')).toBeGreaterThan(after.indexOf('api2'));
    expect(apps(after).map((a) => a.name)).toEqual(['web', 'api2']);
  });

  it('follows the indentation of the file (4 spaces)', () => {
    const before = 'name: acme\ndefaults:\n    provider: aws\napps:\n    - name: web\n      source:\n          repo: https://x/web.git\n';
    const after = addApp(before, 0, api2);
    insertion(before, after);
    expect(after).toContain('\n    - name: api2\n      source:\n          repo: https://github.com/acme/api2.git\n');
  });

  it('appends to a one-line flow list as a flow mapping', () => {
    const before = 'name: acme\napps: [ {name: web, source: {repo: https://x/web.git}} ]   # all apps\n';
    const after = addApp(before, 0, api2);
    const added = insertion(before, after);
    expect(added).toMatch(/^, \{name: api2, source: \{repo: https:\/\/github\.com\/acme\/api2\.git, path: services\/api2\}/);
    expect(after.endsWith('} ]   # all apps\n')).toBe(true);
    expect(apps(after).map((a) => a.name)).toEqual(['web', 'api2']);
  });

  it('appends to a multi-line flow list on a line of its own, keeping comments on their line', () => {
    const before = 'name: acme\napps: [\n  { name: web },   # the site\n  { name: api }    # the api\n]\n';
    const after = addApp(before, 0, api2);
    expect(after).toBe(
      'name: acme\napps: [\n  { name: web },   # the site\n  { name: api },    # the api\n' +
        '  { name: api2, source: { repo: https://github.com/acme/api2.git, path: services/api2 }, build: { builder: pack }, ' +
        'deploy: { platform: ecs, cpu: 0.5, memory: 1024 }, dependsOn: [ web ] }\n]\n',
    );
  });

  it('keeps a trailing comma of a flow list', () => {
    const after = addApp('name: acme\napps: [\n  {name: web},\n]\n', 0, api2);
    expect(after).toMatch(/^name: acme\napps: \[\n {2}\{name: web\},\n {2}\{name: api2, .*\},\n\]\n$/);
    expect(apps(after).map((a) => a.name)).toEqual(['web', 'api2']);
  });

  it('adds flow mappings to a block list of flow mappings', () => {
    const before = 'name: acme\napps:\n  - { name: web }\n';
    const after = addApp(before, 0, api2);
    expect(insertion(before, after)).toMatch(/^ {2}- \{ name: api2, source: \{ .* \}, dependsOn: \[ web \] \}\n$/);
  });

  it('creates apps: in a document without one, after the last key and its lines', () => {
    const before = '# acme\napiVersion: pilot.dev/v1\nkind: Project\nname: acme\ndefaults:   # inherited\n  provider: aws\n  region: us-east-1\n# the end\n';
    const after = addApp(before, 0, api2);
    expect(insertion(before, after)).toMatch(/^apps:\n {2}- name: api2\n[\s\S]*\n {4}dependsOn: \[web\]\n$/);
    expect(after.endsWith('  region: us-east-1\napps:\n  - name: api2\n    source:\n      repo: https://github.com/acme/api2.git\n      path: services/api2\n    build:\n      builder: pack\n    deploy:\n      platform: ecs\n      cpu: 0.5\n      memory: 1024\n    dependsOn: [web]\n# the end\n')).toBe(true);
    // Valid but for the dependency on a `web` this project does not have.
    const result = loadDesiredState([{ path: 'pilot.yaml', content: after }]);
    expect(result.problems.map((p) => p.rule)).toEqual(['deps.unknown']);
  });

  it('fills an empty apps: and turns apps: [] into a block list', () => {
    const empty = addApp('name: acme\napps:   # none yet\nkind: Project\n', 0, api2);
    expect(empty).toMatch(/^name: acme\napps: {3}# none yet\n {2}- name: api2\n[\s\S]*\nkind: Project\n$/);
    const flow = addApp('name: acme\napps: []\nkind: Project\n', 0, api2);
    expect(flow).toMatch(/^name: acme\napps:\n {2}- name: api2\n[\s\S]*\nkind: Project\n$/);
    expect(apps(flow).map((a) => a.name)).toEqual(['api2']);
  });

  it('still adds the app, through the Document API, where splicing cannot (apps: ~)', () => {
    const after = addApp('name: acme\napps: ~\n', 0, api2);
    expect(apps(after).map((a) => a.name)).toEqual(['api2']);
  });

  it('edits the second document of a file and leaves the others byte for byte', () => {
    const first = '# first project\napiVersion: pilot.dev/v1\nkind: Project\nname: one\napps:\n  - name: web   # keep me\n    source: {repo: https://x/web.git}\n';
    const second = '---\n# second project\napiVersion: pilot.dev/v1\nkind: Project\nname: two\napps:\n  - name: web\n    source: {repo: https://x/web.git}\n';
    const third = '---\nname: three\napps:\n  - name: other\n';
    const after = addApp(first + second + third, 1, api2);
    expect(after.startsWith(first + second)).toBe(true);
    expect(after.endsWith(third)).toBe(true);
    expect(apps(after, 0).map((a) => a.name)).toEqual(['web']);
    expect(apps(after, 1).map((a) => a.name)).toEqual(['web', 'api2']);
    expect(apps(after, 2).map((a) => a.name)).toEqual(['other']);
  });

  it('handles a file without a final newline', () => {
    const after = addApp('name: acme\napps:\n  - name: web', 0, api2);
    expect(after.startsWith('name: acme\napps:\n  - name: web\n  - name: api2\n')).toBe(true);
  });

  it('omits keys that are not set', () => {
    const after = addApp('name: acme\n', 0, { name: 'site', source: { repo: 'https://x/s.git', ref: undefined }, build: { builder: 'yarn' }, deploy: { platform: 'static' } });
    expect(after).toBe('name: acme\napps:\n  - name: site\n    source:\n      repo: https://x/s.git\n    build:\n      builder: yarn\n    deploy:\n      platform: static\n');
  });

  it('refuses files it cannot edit safely', () => {
    expect(() => addApp('name: acme\napps: [\n', 0, api2)).toThrow(EditError);
    expect(() => addApp('name: acme\n', 1, api2)).toThrow(/no document number 2/);
    expect(() => addApp('- a\n- b\n', 0, api2)).toThrow(/not a project/);
    expect(() => addApp('name: acme\napps: web\n', 0, api2)).toThrow(/apps is not a list/);
  });
});

describe('addProject', () => {
  const beta = { apiVersion: 'pilot.dev/v1' as const, kind: 'Project' as const, name: 'beta', defaults: { provider: 'gcp' as const, region: 'us-central1', gcpProject: undefined } };

  it('appends a --- document and keeps the file before it byte for byte', () => {
    const before = template('gcp');
    const after = addProject(before, beta);
    expect(after).toBe(`${before}---\napiVersion: pilot.dev/v1\nkind: Project\nname: beta\ndefaults:\n  provider: gcp\n  region: us-central1\n`);
  });

  it('writes a lone document into an empty or comment-only file', () => {
    expect(addProject('', beta)).toBe('apiVersion: pilot.dev/v1\nkind: Project\nname: beta\ndefaults:\n  provider: gcp\n  region: us-central1\n');
    expect(addProject('# projects', beta)).toMatch(/^# projects\napiVersion: pilot\.dev\/v1\n/);
  });

  it('adds the missing final newline before ---', () => {
    expect(addProject('name: a', { apiVersion: 'pilot.dev/v1', kind: 'Project', name: 'b' })).toBe('name: a\n---\napiVersion: pilot.dev/v1\nkind: Project\nname: b\n');
  });

  it('refuses a file with YAML errors', () => {
    expect(() => addProject('name: [a\n', beta)).toThrow(/YAML errors/);
  });
});
