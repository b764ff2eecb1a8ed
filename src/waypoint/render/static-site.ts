// Static sites (aws and gcp). What Waypoint's built-ins can chain
// (../shared/waypoint/static-sites.md): a `docker` build with Pilot's Dockerfile,
// whose image holds only the built site, then an `exec` deploy of pilot-sync, which
// gets that image through exec's docker.Image mapper, copies the site into the
// bucket and invalidates the CDN. Bucket and CDN belong to Terraform (the drivers).

import type { DesiredApp } from '../../reconciler/desired-state.js';
import { attribute, block, hclMap } from './hcl.js';
import { appResourceName, required, type RenderOptions } from './options.js';
import { stage, use, type Stages } from './stages.js';

/** The runner-side tool (plugins/pilot-sync, shipped in the runner image). */
export const syncTool = 'pilot-sync';

/**
 * Where the runner image ships runner-image/static-site.Dockerfile. Waypoint's docker
 * builder copies a Dockerfile from outside the app folder into the build context
 * (builtin/docker/builder.go 238-253), so the app repository needs no Dockerfile.
 */
export const staticSiteDockerfile = '/opt/pilot/static-site.Dockerfile';

/** exec renders each argument as a Go template (builtin/exec/platform.go 91-99): keep `{{` in values literal. */
function templateLiteral(value: string): string {
  return value.replaceAll('{{', '{{"{{"}}');
}

/** exec's template data: the image the docker build produced, as `name:tag`. */
const builtImage = '{{.Input.DockerImageFull}}';

function syncCommand(app: DesiredApp, options: RenderOptions): string[] {
  const wiring = options.wiring ?? {};
  const bucket = wiring.bucket ?? appResourceName(app);
  const where =
    app.provider === 'aws'
      ? ['--provider', 'aws', '--region', app.region]
      : ['--provider', 'gcp', '--project', required(app.gcpProject, app, 'gcpProject')];
  const cdn =
    app.provider === 'aws'
      ? wiring.distributionId ? ['--distribution', wiring.distributionId] : []
      : wiring.urlMap ? ['--url-map', wiring.urlMap] : [];
  return [syncTool, ...[...where, '--bucket', bucket, ...cdn].map(templateLiteral), '--image', builtImage];
}

export function staticSiteStages(app: DesiredApp, options: RenderOptions): Stages {
  const outputDir = required(app.build.outputDir, app, 'build.outputDir');
  return [
    // No registry: the image stays on the runner's Docker, where pilot-sync reads it.
    block('build', [], [
      use('docker', [
        attribute('dockerfile', staticSiteDockerfile),
        attribute('disable_entrypoint', true),
        attribute('build_args', hclMap({ OUTPUT_DIR: outputDir })),
      ]),
    ]),
    stage('deploy', use('exec', [attribute('command', syncCommand(app, options))])),
  ];
}
