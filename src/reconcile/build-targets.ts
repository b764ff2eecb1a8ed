// Desired state -> reconciler targets: each app's commit resolved, its rendered
// configuration hashed, the fingerprints of the config values Pilot can compute.

import { appKey } from '../reconciler/actual-state.js';
import type { DesiredApp, DesiredState } from '../reconciler/desired-state.js';
import { isPilotError } from '../reconciler/errors.js';
import type { ConfigValue, SourcePort } from '../reconciler/ports.js';
import type { ReleasePin } from '../reconciler/store-port.js';
import { specOf, type AppTarget, type Targets } from '../reconciler/targets.js';
import { renderWaypointHcl } from '../waypoint/render/app.js';
import type { AppWiring } from '../reconciler/wiring.js';
import { configFingerprint } from '../waypoint/fingerprint.js';
import { configHash } from './config-hash.js';

export { configHash };

/** fromSecret references as Waypoint dynamic config sources. */
export function externalConfig(ref: string): ConfigValue {
  if (ref.startsWith('aws-ssm:')) return { kind: 'dynamic', value: 'aws-ssm', config: { path: ref.slice('aws-ssm:'.length) } };
  const [path, key] = ref.slice('vault:'.length).split('#');
  return { kind: 'dynamic', value: 'vault', config: { path: path!, key: key ?? '' } };
}

export function renderApp(app: DesiredApp, commit?: string, wiring?: AppWiring): string {
  return renderWaypointHcl(app, { ...(commit ? { commit } : {}), ...(wiring ? { wiring } : {}) });
}

export interface TargetOptions {
  drivers?: Targets['drivers'];
  /** Published releases deployed in place of the branch an app tracks. */
  pins?: readonly ReleasePin[];
  /** Only the apps of these projects (the ones a run plans); all when absent. */
  onlyProjects?: ReadonlySet<string>;
}

/** The commit to deploy: the ref's, or a pinned release's while the ref has not moved since. */
async function resolveSource(target: AppTarget, source: SourcePort, pin: ReleasePin | undefined): Promise<void> {
  const { repo, ref } = target.app.source;
  const commit = await source.resolveCommit(repo, ref);
  target.commit = commit;
  if (!pin) return;
  if (pin.trackedRef !== ref || pin.baseCommit !== commit) {
    target.stalePin = true;
    return;
  }
  target.commit = await source.resolveCommit(repo, pin.tag);
  target.release = pin.tag;
}

export async function buildTargets(state: DesiredState, source: SourcePort, options: TargetOptions = {}): Promise<Targets> {
  const apps: Record<string, AppTarget> = {};
  const pins = new Map((options.pins ?? []).map((pin) => [appKey(pin.project, pin.app), pin]));
  const only = options.onlyProjects;
  const planned = only ? state.projects.filter((project) => only.has(project.name)) : state.projects;
  const work = planned.flatMap((project) => project.apps).map(async (app) => {
    const target: AppTarget = { app, configHash: configHash(app), configFingerprints: {}, spec: specOf(app) };
    for (const [name, value] of Object.entries(app.env)) {
      if (value.kind === 'external') target.configFingerprints[name] = configFingerprint(externalConfig(value.ref));
    }
    try {
      await resolveSource(target, source, pins.get(appKey(app.project, app.name)));
    } catch (error) {
      delete target.commit;
      target.sourceError = isPilotError(error) ? error.message : String(error);
    }
    apps[appKey(app.project, app.name)] = target;
  });
  await Promise.all(work);
  return { state, apps, drivers: options.drivers ?? [], stacks: [] };
}
