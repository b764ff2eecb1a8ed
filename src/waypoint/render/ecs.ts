// ECS Fargate (aws): image in ECR, `aws-ecs` service behind Waypoint's ALB.

import type { DesiredApp } from '../../reconciler/desired-state.js';
import { attribute, block, optionalAttribute } from './hcl.js';
import { required, type RenderOptions } from './options.js';
import { buildStage, containerBuilder, ecrRegistry, stage, use, type Stages } from './stages.js';

/** The plugin's `cpu` is in CPU units (1024 per vCPU) and must fit the memory on Fargate. */
function cpuUnits(vcpu: number): number {
  return Math.round(vcpu * 1024);
}

export function ecsStages(app: DesiredApp, options: RenderOptions): Stages {
  const { deploy } = app;
  const wiring = options.wiring ?? {};
  const cpu = deploy.cpu === undefined ? undefined : cpuUnits(deploy.cpu);
  const subnets = wiring.subnets?.length ? wiring.subnets : undefined;
  const securityGroups = wiring.securityGroupIds?.length ? wiring.securityGroupIds : undefined;
  return [
    buildStage(containerBuilder(app), ecrRegistry(app, options)),
    stage(
      'deploy',
      use('aws-ecs', [
        attribute('region', app.region),
        attribute('memory', required(deploy.memory, app, 'deploy.memory')),
        optionalAttribute('cpu', cpu),
        // No autoscaling key in the plugin: the service runs the minimum, always; the
        // plugin reads 0 as "unset" and runs 1, so say 1.
        optionalAttribute('count', deploy.instances ? Math.max(1, deploy.instances.min) : undefined),
        optionalAttribute('service_port', deploy.port),
        optionalAttribute('subnets', subnets),
        optionalAttribute('security_group_ids', securityGroups),
        deploy.healthCheck ? block('health_check', [], [attribute('path', deploy.healthCheck.path)]) : undefined,
      ]),
    ),
    // The release moves the ALB listener to the new target group (also the plugin's default).
    stage('release', use('aws-ecs')),
  ];
}
