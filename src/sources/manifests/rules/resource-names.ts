// Cloud resource names are built as pilot-<project>-<name>; each must fit its cloud's limit.

import type { Platform, Provider } from '../../../reconciler/desired-state.js';
import { resolvePlacement } from '../placement.js';
import type { Rule } from './rule.js';

export function resourceName(project: string, name: string): string {
  return `pilot-${project}-${name}`;
}

interface Limit {
  what: string;
  max: number;
}

const appLimits: Record<Platform, Partial<Record<Provider, Limit>>> = {
  'cloud-run': { gcp: { what: 'Cloud Run service names', max: 49 } },
  lambda: { aws: { what: 'Lambda function names', max: 64 } },
  ecs: { aws: { what: 'ECS service names', max: 255 } },
  static: { aws: { what: 'S3 bucket names', max: 63 }, gcp: { what: 'Cloud Storage bucket names', max: 63 } },
};

const databaseLimits: Record<Provider, Limit> = {
  aws: { what: 'RDS instance identifiers', max: 63 },
  gcp: { what: 'Cloud SQL instance names', max: 84 },
};

export const resourceNameRule: Rule = (docs, report) => {
  for (const doc of docs) {
    const { manifest } = doc;
    const check = (path: (string | number)[], name: string, limit: Limit | undefined) => {
      const full = resourceName(manifest.name, name);
      if (!limit || full.length <= limit.max) return;
      report(doc, [...path, 'name'], 'names.too-long', `the cloud name ${full} is ${full.length} characters, but ${limit.what} allow ${limit.max}: shorten the project or this name by ${full.length - limit.max}`);
    };
    (manifest.apps ?? []).forEach((app, i) => {
      const provider = resolvePlacement(manifest, app, ['apps', i]).placement.provider;
      if (provider) check(['apps', i], app.name, appLimits[app.deploy.platform][provider]);
    });
    (manifest.databases ?? []).forEach((db, i) => {
      const provider = resolvePlacement(manifest, db, ['databases', i]).placement.provider;
      if (provider) check(['databases', i], db.name, databaseLimits[provider]);
    });
  }
};
