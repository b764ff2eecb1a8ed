// ECS Fargate (aws): image in ECR, `aws-ecs` service behind the plugin's ALB.

import type { DesiredApp } from '../../reconciler/desired-state.js';
import { attribute, block, optionalAttribute, type HclNode } from './hcl.js';
import { required, type RenderOptions } from './options.js';
import { buildStage, containerBuilder, ecrRegistry, stage, use, type Stages } from './stages.js';

/** The plugin's `cpu` is in CPU units (1024 per vCPU) and must fit the memory on Fargate. */
function cpuUnits(vcpu: number): number {
  return Math.round(vcpu * 1024);
}

/**
 * An app that reads a database runs in the database's VPC. Without `alb.subnets` the
 * plugin puts the load balancer and target group in the default VPC
 * (builtin/aws/ecs/platform.go 2117-2122), where it cannot reach the tasks; so both go
 * into the stack's app subnets. `security_group_ids` replaces the group the plugin
 * would make for the tasks (2238-2245): the stack's app group admits the service port
 * only from those subnets, where the load balancer is. The app subnets have no NAT, so
 * tasks keep a public address to pull from ECR (the plugin's default, 744-746, said
 * here on purpose); the app group refuses every inbound connection from outside.
 */
function networkSettings(wiring: RenderOptions['wiring']): HclNode[] {
  const subnets = wiring?.subnets?.length ? wiring.subnets : undefined;
  const groups = wiring?.securityGroupIds?.length ? wiring.securityGroupIds : undefined;
  if (!subnets || !groups) return [];
  return [
    attribute('subnets', subnets),
    attribute('security_group_ids', groups),
    attribute('assign_public_ip', true),
    block('alb', [], [attribute('subnets', subnets)]),
  ];
}

export function ecsStages(app: DesiredApp, options: RenderOptions): Stages {
  const { deploy } = app;
  const cpu = deploy.cpu === undefined ? undefined : cpuUnits(deploy.cpu);
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
        ...networkSettings(options.wiring),
        deploy.healthCheck ? block('health_check', [], [attribute('path', deploy.healthCheck.path)]) : undefined,
      ]),
    ),
    // No `release` block: aws-ecs implements no release manager; an explicit block
    // fails the job ("plugin does not implement: release manager") and turns off the
    // platform's default releaser, which is how ECS releases (runner-facts.md).
  ];
}
