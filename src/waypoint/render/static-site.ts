// Static sites (aws and gcp): `yarn build` on the runner, then Pilot's sync tool
// uploads the output folder and invalidates the CDN. Bucket and CDN belong to
// Terraform (the drivers); Waypoint has no built-in plugin for them.

import type { DesiredApp } from '../../reconciler/desired-state.js';
import { attribute, block, expression, type HclBlock } from './hcl.js';
import { appResourceName, required, type RenderOptions } from './options.js';
import { stage, use, type Stages } from './stages.js';

/** The runner-side tool (plugins/, shipped in the runner image). */
export const syncTool = 'pilot-sync';

/**
 * Hooks run in the runner's working directory, not the app's (Waypoint's execHook
 * sets no Dir), so yarn is pointed at `path.app`, the app folder in the checkout.
 */
function yarnHook(args: readonly string[]): HclBlock {
  return block('hook', [], [
    attribute('when', 'before'),
    attribute('command', ['yarn', '--cwd', expression('path.app'), ...args]),
    attribute('on_failure', 'fail'),
  ]);
}

/** exec renders each argument as a Go template: keep `{{` in values literal. */
function templateLiteral(value: string): string {
  return value.replaceAll('{{', '{{"{{"}}');
}

/**
 * Without a CDN id from the driver the flag is left out and pilot-sync finds the
 * distribution or URL map by the bucket. (exec's `.Env` holds only Waypoint's own
 * WAYPOINT_* entrypoint variables, so it cannot carry the id.)
 */
function syncCommand(app: DesiredApp, options: RenderOptions): string[] {
  const wiring = options.wiring ?? {};
  const bucket = wiring.bucket ?? appResourceName(app);
  const outputDir = required(app.build.outputDir, app, 'build.outputDir');
  const where =
    app.provider === 'aws'
      ? ['--provider', 'aws', '--region', app.region]
      : ['--provider', 'gcp', '--project', required(app.gcpProject, app, 'gcpProject')];
  const cdn =
    app.provider === 'aws'
      ? wiring.distributionId ? ['--distribution', wiring.distributionId] : []
      : wiring.urlMap ? ['--url-map', wiring.urlMap] : [];
  // exec runs in the app folder, so the output folder is relative to it.
  return [syncTool, ...where, '--bucket', bucket, '--dir', outputDir, ...cdn].map(templateLiteral);
}

export function staticSiteStages(app: DesiredApp, options: RenderOptions): Stages {
  return [
    block('build', [], [use('files'), yarnHook(['install', '--frozen-lockfile']), yarnHook(['build'])]),
    stage('deploy', use('exec', [attribute('command', syncCommand(app, options))])),
  ];
}
