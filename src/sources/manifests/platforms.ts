// What each platform accepts and what it gets by default: the one table the rules
// and the normalizer share. Sizes follow the Waypoint plugins and the platforms; which
// cloud hosts a platform is in that cloud's facts (src/drivers/*/facts.ts).

import type { Platform } from '../../reconciler/desired-state.js';

export const platformLabel: Record<Platform, string> = {
  ecs: 'ECS Fargate',
  lambda: 'Lambda',
  'cloud-run': 'Cloud Run',
  static: 'a static site',
};

export type DeployField = 'port' | 'cpu' | 'memory' | 'instances' | 'healthCheck';

export const deployFields: Record<Platform, readonly DeployField[]> = {
  ecs: ['port', 'cpu', 'memory', 'instances', 'healthCheck'],
  'cloud-run': ['port', 'cpu', 'memory', 'instances', 'healthCheck'],
  lambda: ['memory'],
  static: [],
};

const range = (from: number, to: number, step: number): number[] =>
  Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, i) => from + i * step);

/** Fargate task sizes: vCPU -> the memory values (MiB) it allows. */
export const fargateMemory: ReadonlyMap<number, readonly number[]> = new Map([
  [0.25, [512, 1024, 2048]],
  [0.5, range(1024, 4096, 1024)],
  [1, range(2048, 8192, 1024)],
  // Fargate itself allows 16384 with 2 vCPU, but Waypoint's aws-ecs plugin refuses it
  // (builtin/aws/utils/validations.go: the loop for 2048 CPU units stops before 16384).
  [2, range(4096, 15360, 1024)],
  [4, range(8192, 30720, 1024)],
]);

export const cloudRunCpu: readonly number[] = [1, 2];
export const cloudRunMemory = { min: 128, max: 4096 } as const;
export const lambdaMemory = { min: 128, max: 10240 } as const;

export interface DeployDefaults {
  port?: number;
  cpu?: number;
  memory?: number;
  instances?: { min: number; max: number };
}

export const deployDefaults: Record<Platform, DeployDefaults> = {
  ecs: { port: 8080, cpu: 0.25, memory: 512, instances: { min: 1, max: 1 } },
  'cloud-run': { port: 8080, cpu: 1, memory: 512, instances: { min: 0, max: 10 } },
  lambda: { memory: 512 },
  static: {},
};

/** Which builders a platform can use. */
export const platformBuilders: Record<Platform, readonly ('pack' | 'docker' | 'yarn')[]> = {
  ecs: ['pack', 'docker'],
  'cloud-run': ['pack', 'docker'],
  // Lambda runs container images built for its runtime interface: a Dockerfile.
  lambda: ['docker'],
  static: ['yarn'],
};

/** The smallest Fargate vCPU that allows `memory` MiB, if any. */
export function fargateCpuFor(memory: number): number | undefined {
  for (const [cpu, memories] of fargateMemory) if (memories.includes(memory)) return cpu;
  return undefined;
}

/** "512, 1024 or 2048" */
export function listAlternatives(values: readonly (number | string)[]): string {
  if (values.length <= 1) return values.join('');
  return `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}`;
}
