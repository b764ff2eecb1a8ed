// Every app and database resolves to a registered provider and a region of its shape
// (and the account field the provider asks for, a GCP project on gcp), and every
// platform runs on a provider that hosts it. What differs by cloud is in its facts.

import type { ProviderFacts } from '../../../drivers/facts.js';
import type { Platform } from '../../../reconciler/desired-state.js';
import { listAlternatives, platformLabel } from '../platforms.js';
import { regionMismatch, resolvePlacement, type Placeable } from '../placement.js';
import type { PathSegment } from '../problem.js';
import type { Report, Rule, ValidDocument } from './rule.js';

const kebab = (field: string) => field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

export const placementRule: Rule = (docs, report, providers) => {
  for (const doc of docs) {
    const { manifest } = doc;
    const items: { path: PathSegment[]; item: Placeable; noun: string }[] = [
      ...(manifest.apps ?? []).map((item, i) => ({ path: ['apps', i] as PathSegment[], item, noun: 'app' })),
      ...(manifest.databases ?? []).map((item, i) => ({ path: ['databases', i] as PathSegment[], item, noun: 'database' })),
    ];
    const reportedRegions = new Set<string>();
    // One stack holds a project's resources in one provider and region: one account there.
    const accountOf = new Map<string, { account: string; noun: string; name: string }>();
    for (const { path, item, noun } of items) {
      const { placement, from } = resolvePlacement(manifest, item, path, providers);
      if (!placement.provider) {
        report(doc, path, 'placement.provider', `this ${noun} has no provider: set provider (${listAlternatives(providers.names)}) on it, or defaults.provider on the project`);
        continue;
      }
      // The schema refused a provider that is not registered, naming the known ones.
      const facts = providers.find(placement.provider);
      if (!facts) continue;
      if (!placement.region) {
        report(doc, path, 'placement.region', `this ${noun} has no region: set region on it, or defaults.region on the project`);
      } else if (from.region) {
        const mismatch = regionMismatch(facts, placement.region, providers);
        const key = from.region.join('.');
        if (mismatch && !reportedRegions.has(key)) {
          reportedRegions.add(key);
          report(doc, from.region, 'placement.region', `${mismatch} (this ${noun} runs on ${placement.provider})`);
        }
      }
      const account = facts.account;
      const accountValue = account ? placement[account.field] : undefined;
      if (account && !accountValue) {
        report(doc, path, `placement.${kebab(account.field)}`, `this ${noun} runs on ${facts.name} but has no ${account.label}: set ${account.field} on it, or defaults.${account.field} on the project`);
      }
      if (account && accountValue && placement.region) {
        const stack = `${facts.name}/${placement.region}`;
        const first = accountOf.get(stack);
        const name = String((item as { name?: unknown }).name ?? '');
        if (!first) accountOf.set(stack, { account: accountValue, noun, name });
        else if (first.account !== accountValue) {
          report(doc, from[account.field] ?? path, `placement.${kebab(account.field)}`, `this ${noun} is in ${account.label} ${accountValue}, but ${first.noun} ${first.name} of ${manifest.name} in ${placement.region} is in ${first.account}: a project's resources in one region share one stack, so use one ${account.label} there (or another region, or another Pilot project)`);
        }
      }
      if (noun === 'app') checkPlatform(doc, report, [...path, 'deploy', 'platform'], (item as { deploy: { platform: Platform } }).deploy.platform, facts, providers.hosting.bind(providers));
    }
  }
};

/** The platform is one the provider hosts; else the message names a cloud that does, and a platform of this one. */
function checkPlatform(doc: ValidDocument, report: Report, at: PathSegment[], platform: Platform, facts: ProviderFacts, hosting: (p: Platform) => ProviderFacts[]): void {
  if (facts.platforms.includes(platform)) return;
  const hosts = hosting(platform).map((p) => p.name);
  const alternative = facts.platforms[0];
  const instead = [hosts[0] ? `set provider: ${hosts[0]}` : undefined, alternative ? `use platform: ${alternative}` : undefined].filter(Boolean).join(', or ');
  const where = hosts.length > 0 ? `runs on ${listAlternatives(hosts)}` : 'runs on no registered provider';
  report(doc, at, 'placement.platform', `${platform} (${platformLabel[platform]}) ${where}, but this app's provider is ${facts.name}: ${instead}`);
}
