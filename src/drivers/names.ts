// Cloud resource names: `pilot-<project>-<name>` made to fit each cloud's limits. A
// name too long is cut and given a short hash of the whole, so it stays unique and
// the same on every run.

import { createHash } from 'node:crypto';

/** Joins the parts with '-', lower case; over `max` characters it becomes `<prefix>-<6 hex>`. */
export function fitName(parts: readonly string[], max: number): string {
  const whole = parts.join('-').toLowerCase();
  if (whole.length <= max) return whole;
  const hash = createHash('sha256').update(whole).digest('hex').slice(0, 6);
  const prefix = whole.slice(0, max - hash.length - 1).replace(/-+$/, '');
  return `${prefix}-${hash}`;
}

/** The stack of a project in one provider and region. */
export function stackName(project: string, provider: string, region: string): string {
  return fitName(['pilot', project, provider, region], 63);
}
