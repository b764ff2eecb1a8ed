// Pure plan fixtures: desired state from manifest text, targets with commits from a
// table (no git), and an actual state that matches the targets until a test says otherwise.

import { buildTargets } from '../../src/reconcile/build-targets.js';
import { appKey, type ActualState, type InventoryItem } from '../../src/reconciler/actual-state.js';
import type { DesiredState } from '../../src/reconciler/desired-state.js';
import { diff } from '../../src/reconciler/diff.js';
import { PilotError } from '../../src/reconciler/errors.js';
import { plan, policyFor } from '../../src/reconciler/plan.js';
import type { Action, Plan } from '../../src/reconciler/plan-types.js';
import type { Targets } from '../../src/reconciler/targets.js';
import { loadDesiredState } from '../../src/sources/manifests/load.js';

export const revision = '0123456789abcdef0123456789abcdef01234567';
export const commitA = 'aaaaaaa111111111111111111111111111111111';
export const commitB = 'bbbbbbb222222222222222222222222222222222';

/** Desired state from `path -> pilot.yaml text`; fails the test on any error. */
export function desired(files: Record<string, string>): DesiredState {
  const loaded = loadDesiredState(Object.entries(files).map(([path, content]) => ({ path, content })));
  if (!loaded.state) throw new Error(`invalid fixture:\n${loaded.problems.map((p) => `${p.file}:${p.line}:${p.col}: ${p.message}`).join('\n')}`);
  return loaded.state;
}

/** Targets with every source resolved from `commits` (repo URL -> commit), else commitA. */
export async function targetsOf(state: DesiredState, options: { commits?: Record<string, string>; drivers?: Targets['drivers']; unresolved?: string[] } = {}): Promise<Targets> {
  const source = {
    async resolveCommit(repo: string, ref: string) {
      if (options.unresolved?.includes(repo)) throw new PilotError('stalled', 'source.ref-not-found', `${repo} has no branch or tag "${ref}"`);
      return options.commits?.[repo] ?? commitA;
    },
  };
  return buildTargets(state, source, { drivers: options.drivers ?? [] });
}

/** What runs when every app of `targets` was deployed as it is now, and Pilot manages it. */
export function converged(targets: Targets): ActualState {
  const actual: ActualState = { projects: {}, apps: {}, inventory: [] };
  for (const project of targets.state.projects) {
    actual.projects[project.name] = { name: project.name, registered: true };
    for (const db of project.databases) {
      actual.inventory.push({ kind: 'database', project: project.name, name: db.name, provider: db.provider, region: db.region, deletionProtection: db.deletionProtection });
    }
  }
  for (const [key, target] of Object.entries(targets.apps)) {
    const { app } = target;
    actual.apps[key] = {
      project: app.project, name: app.name, registered: true, config: { ...target.configFingerprints },
      deployed: { jobId: `job-${app.name}`, configHash: target.configHash, commit: target.commit ?? commitA, state: 'success' },
      previous: { ...target.spec },
    };
    for (const name of Object.keys(app.env).filter((n) => app.env[n]!.kind === 'secret')) actual.apps[key]!.config[name] = 'fingerprint-of-secret';
    actual.inventory.push({ kind: 'app', project: app.project, name: app.name, provider: app.provider, region: app.region });
  }
  return actual;
}

export function nothingRuns(): ActualState {
  return { projects: {}, apps: {}, inventory: [] };
}

export function planOf(targets: Targets, actual: ActualState, options: { retryFailed?: boolean } = {}): Plan {
  return plan(diff(targets, actual), policyFor(targets, revision, options.retryFailed ?? false));
}

export function byId(p: Plan, id: string): Action {
  const action = p.actions.find((a) => a.id === id);
  if (!action) throw new Error(`no action ${id} in the plan: ${p.actions.map((a) => a.id).join(', ')}`);
  return action;
}

export const appItem = (project: string, name: string): InventoryItem => ({ kind: 'app', project, name, provider: 'aws', region: 'us-east-1' });

export const databaseItem = (project: string, name: string, deletionProtection?: boolean): InventoryItem => ({
  kind: 'database', project, name, provider: 'aws', region: 'us-east-1', ...(deletionProtection === undefined ? {} : { deletionProtection }),
});

export { appKey };

/** A project document in pilot.yaml form. `apps` and `extra` are YAML text, indented as list items / top-level keys. */
export function manifest(name: string, apps: string, extra = ''): string {
  return `apiVersion: pilot.dev/v1\nkind: Project\nname: ${name}\ndefaults: { provider: aws, region: us-east-1 }\n${extra}apps:\n${apps}`;
}

/** One app as a YAML list item. */
export function appYaml(name: string, fields: { repo?: string; platform?: string; builder?: string; memory?: number; env?: string; dependsOn?: string[]; provider?: string } = {}): string {
  const platform = fields.platform ?? 'ecs';
  const builder = fields.builder ?? (platform === 'static' ? 'yarn' : platform === 'lambda' ? 'docker' : 'pack');
  const lines = [
    `  - name: ${name}`,
    ...(fields.provider === 'gcp' ? ['    provider: gcp', '    region: us-central1', '    gcpProject: acme-prod-123'] : []),
    `    source: { repo: ${fields.repo ?? `https://git.example.com/${name}.git`} }`,
    `    build: { builder: ${builder} }`,
    `    deploy: { platform: ${platform}${fields.memory ? `, cpu: 0.25, memory: ${fields.memory}` : ''} }`,
  ];
  if (fields.env) lines.push('    env:', ...fields.env.split('\n').map((l) => `      ${l}`));
  if (fields.dependsOn) lines.push(`    dependsOn: [${fields.dependsOn.join(', ')}]`);
  return `${lines.join('\n')}\n`;
}
