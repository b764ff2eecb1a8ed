// Deploy settings apply to the platform and fit its sizes.

import type { Deploy } from '../manifest.gen.js';
import {
  cloudRunCpu, cloudRunMemory, deployFields, fargateCpuFor, fargateMemory, lambdaMemory, listAlternatives, platformLabel, type DeployField,
} from '../platforms.js';
import type { PathSegment } from '../problem.js';
import type { Rule } from './rule.js';

type Finding = { field: DeployField; message: string };

function compressRange(values: readonly number[]): string {
  const step = values.length > 3 ? values[1]! - values[0]! : 0;
  if (step > 0 && values.every((v, i) => i === 0 || v - values[i - 1]! === step)) {
    return `${values[0]} to ${values[values.length - 1]} in steps of ${step}`;
  }
  return listAlternatives(values);
}

function checkFargate(deploy: Deploy): Finding[] {
  const cpus = [...fargateMemory.keys()];
  if (deploy.cpu !== undefined && !fargateMemory.has(deploy.cpu)) {
    return [{ field: 'cpu', message: `${deploy.cpu} is not a Fargate CPU size: use ${listAlternatives(cpus)} (vCPU)` }];
  }
  if (deploy.memory === undefined) return [];
  if (deploy.cpu !== undefined) {
    const allowed = fargateMemory.get(deploy.cpu)!;
    if (allowed.includes(deploy.memory)) return [];
    return [{ field: 'memory', message: `${deploy.memory} MiB does not fit Fargate with ${deploy.cpu} vCPU: use ${compressRange(allowed)} MiB, or change cpu` }];
  }
  if (fargateCpuFor(deploy.memory) !== undefined) return [];
  return [{ field: 'memory', message: `${deploy.memory} MiB is not a Fargate memory size: use 512, 1024, 2048, or a multiple of 1024 up to 30720` }];
}

function checkRange(field: DeployField, value: number | undefined, bounds: { min: number; max: number }, label: string): Finding[] {
  if (value === undefined) return [];
  const span = `${label} memory is ${bounds.min}–${bounds.max} MiB`;
  if (value < bounds.min) return [{ field, message: `${value} is below ${bounds.min} (${span})` }];
  if (value > bounds.max) return [{ field, message: `${value} is above ${bounds.max} (${span})` }];
  return [];
}

function checkSizes(deploy: Deploy): Finding[] {
  switch (deploy.platform) {
    case 'ecs':
      return checkFargate(deploy);
    case 'cloud-run': {
      const findings = checkRange('memory', deploy.memory, cloudRunMemory, 'Cloud Run');
      if (deploy.cpu !== undefined && !cloudRunCpu.includes(deploy.cpu)) {
        findings.unshift({ field: 'cpu', message: `${deploy.cpu} is not a Cloud Run CPU count: use ${listAlternatives(cloudRunCpu)}` });
      }
      return findings;
    }
    case 'lambda':
      return checkRange('memory', deploy.memory, lambdaMemory, 'Lambda');
    default:
      return [];
  }
}

export const deployRule: Rule = (docs, report) => {
  for (const doc of docs) {
    (doc.manifest.apps ?? []).forEach((app, i) => {
      const { deploy } = app;
      const at: PathSegment[] = ['apps', i, 'deploy'];
      const allowed = deployFields[deploy.platform];
      let misplaced = false;
      for (const field of ['port', 'cpu', 'memory', 'instances', 'healthCheck'] as const) {
        if (deploy[field] === undefined || allowed.includes(field)) continue;
        misplaced = true;
        const why = deploy.platform === 'lambda' && field === 'cpu' ? ' (Lambda CPU follows memory)' : '';
        report(doc, [...at, field], 'deploy.field', `${field} does not apply to ${platformLabel[deploy.platform]}${why}: remove it`, { target: 'key' });
      }
      if (misplaced) return;
      for (const finding of checkSizes(deploy)) {
        report(doc, [...at, finding.field], 'deploy.size', finding.message);
      }
      const { instances } = deploy;
      if (instances?.min !== undefined && instances.max !== undefined && instances.min > instances.max) {
        report(doc, [...at, 'instances', 'min'], 'deploy.instances', `min (${instances.min}) is above max (${instances.max}): lower min or raise max`);
      }
    });
  }
};
