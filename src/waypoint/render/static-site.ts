// Static sites (on every cloud that hosts them). What Waypoint's built-ins can chain
// (../shared/waypoint/static-sites.md): a `docker` build with Pilot's Dockerfile,
// whose image holds only the built site, then an `exec` deploy of pilot-sync, which
// gets that image through exec's docker.Image mapper, copies the site into the
// bucket and invalidates the CDN. Bucket and CDN belong to Terraform (the drivers).

import { builtInProviders } from '../../drivers/registry.js';
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

/** pilot-sync's arguments, addressed as the provider's facts say (`--region` or `--project`, `--distribution` or `--url-map`). */
function syncCommand(app: DesiredApp, options: RenderOptions): string[] {
  const wiring = options.wiring ?? {};
  const bucket = wiring.bucket ?? appResourceName(app);
  const { scope, cdn } = (options.providers ?? builtInProviders).get(app.provider).staticSync;
  const where = ['--provider', app.provider, scope.flag, required(app[scope.from], app, scope.from)];
  const invalidate = wiring[cdn.wiring];
  const cdnArgs = typeof invalidate === 'string' ? [cdn.flag, invalidate] : [];
  return [syncTool, ...[...where, '--bucket', bucket, ...cdnArgs].map(templateLiteral), '--image', builtImage];
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
