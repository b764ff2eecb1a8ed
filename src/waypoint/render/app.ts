// One app's waypoint.hcl: `project`, then `app "<name>"` with its stages and plain config.

import type { DesiredApp, Platform } from '../../reconciler/desired-state.js';
import { cloudRunStages } from './cloud-run.js';
import { ecsStages } from './ecs.js';
import { attribute, block, hclMap, printHcl, type HclBlock } from './hcl.js';
import { lambdaStages } from './lambda.js';
import type { RenderOptions } from './options.js';
import type { Stages } from './stages.js';
import { staticSiteStages } from './static-site.js';

const platforms: Record<Platform, (app: DesiredApp, options: RenderOptions) => Stages> = {
  ecs: ecsStages,
  lambda: lambdaStages,
  'cloud-run': cloudRunStages,
  static: staticSiteStages,
};

/**
 * Only plain values go into the file. Secrets, database values and external refs
 * reach the app through Waypoint's config store at deploy time and must never be
 * written here, not even by name.
 */
function configBlock(app: DesiredApp): HclBlock | undefined {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(app.env)) if (value.kind === 'plain') env[name] = value.value;
  if (Object.keys(env).length === 0) return undefined;
  return block('config', [], [attribute('env', hclMap(env))]);
}

/** The waypoint.hcl of one app. Deterministic: the same app and options give the same bytes. */
export function renderWaypointHcl(app: DesiredApp, options: RenderOptions = {}): string {
  const stages = platforms[app.deploy.platform](app, options);
  return printHcl([
    attribute('project', app.project),
    block('app', [app.name], [attribute('path', app.source.path), ...stages, configBlock(app)]),
  ]);
}
