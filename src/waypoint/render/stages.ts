// Pieces shared by the platforms: `use` blocks, container builds and the ECR registry.

import type { DesiredApp } from '../../reconciler/desired-state.js';
import { attribute, block, type HclBlock, type HclBodyItem } from './hcl.js';
import { appResourceName, imageTag, type RenderOptions } from './options.js';

/** The build, deploy and release stages of one app, in file order. */
export type Stages = readonly HclBlock[];

/** `use "<plugin>" { ... }`: the plugin names are Waypoint built-ins. */
export function use(plugin: string, body: readonly HclBodyItem[] = []): HclBlock {
  return block('use', [plugin], body);
}

/** `pack {}` (Cloud Native Buildpacks) or `docker { dockerfile }`; the Waypoint entrypoint stays in the image, it delivers config and secrets at run time. */
export function containerBuilder(app: DesiredApp): HclBlock {
  if (app.build.builder === 'pack') return use('pack');
  if (app.build.builder === 'docker') return use('docker', [attribute('dockerfile', app.build.dockerfile ?? 'Dockerfile')]);
  throw new Error(`${app.project}/${app.name}: ${app.deploy.platform} apps build images with pack or docker, not ${app.build.builder}`);
}

/** Push to Amazon ECR, one repository per app. */
export function ecrRegistry(app: DesiredApp, options: RenderOptions): HclBlock {
  return block('registry', [], [
    use('aws-ecr', [
      attribute('region', app.region),
      attribute('repository', options.wiring?.ecrRepository ?? appResourceName(app)),
      attribute('tag', imageTag(options.commit)),
    ]),
  ]);
}

export function buildStage(builder: HclBlock, registry: HclBlock): HclBlock {
  return block('build', [], [builder, registry]);
}

export function stage(name: 'deploy' | 'release', plugin: HclBlock): HclBlock {
  return block(name, [], [plugin]);
}
