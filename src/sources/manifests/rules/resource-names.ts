// Cloud resource names are built as pilot-<project>-<name>; each must fit its cloud's
// limit, as the provider's facts state it.

import type { NameLimit } from '../../../drivers/facts.js';
import { resolvePlacement } from '../placement.js';
import type { Rule } from './rule.js';

export function resourceName(project: string, name: string): string {
  return `pilot-${project}-${name}`;
}

export const resourceNameRule: Rule = (docs, report, providers) => {
  for (const doc of docs) {
    const { manifest } = doc;
    const check = (path: (string | number)[], name: string, limit: NameLimit | undefined) => {
      const full = resourceName(manifest.name, name);
      if (!limit || full.length <= limit.max) return;
      report(doc, [...path, 'name'], 'names.too-long', `the cloud name ${full} is ${full.length} characters, but ${limit.what} allow ${limit.max}: shorten the project or this name by ${full.length - limit.max}`);
    };
    const namesOf = (item: { provider?: string; region?: string; gcpProject?: string }, path: (string | number)[]) => {
      const provider = resolvePlacement(manifest, item, path, providers).placement.provider;
      return provider === undefined ? undefined : providers.find(provider)?.names;
    };
    (manifest.apps ?? []).forEach((app, i) => check(['apps', i], app.name, namesOf(app, ['apps', i])?.apps[app.deploy.platform]));
    (manifest.databases ?? []).forEach((db, i) => check(['databases', i], db.name, namesOf(db, ['databases', i])?.database));
  }
};
