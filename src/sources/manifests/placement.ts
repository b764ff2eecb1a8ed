// Where an app or database runs: its own provider/region/gcpProject, else the project's
// defaults; and whether a region fits its provider. The clouds' shapes come from the
// provider registry, so a registered cloud needs nothing here.

import type { ProviderFacts } from '../../drivers/facts.js';
import type { ProviderRegistry } from '../../drivers/registry.js';
import type { Placement, Provider } from '../../reconciler/desired-state.js';
import type { ProjectManifest } from './manifest.gen.js';
import type { PathSegment } from './problem.js';

export interface Placeable {
  provider?: Provider;
  region?: string;
  gcpProject?: string;
}

export interface ResolvedPlacement {
  placement: Partial<Placement>;
  /** Path of the key each value came from, for messages pointing at it. */
  from: { provider?: PathSegment[]; region?: PathSegment[]; gcpProject?: PathSegment[] };
}

export function resolvePlacement(manifest: ProjectManifest, item: Placeable, itemPath: PathSegment[], providers: ProviderRegistry): ResolvedPlacement {
  const placement: Partial<Placement> = {};
  const from: ResolvedPlacement['from'] = {};
  for (const key of ['provider', 'region', 'gcpProject'] as const) {
    const own = item[key];
    const inherited = manifest.defaults?.[key];
    if (own !== undefined) {
      (placement as Record<string, string>)[key] = own;
      from[key] = [...itemPath, key];
    } else if (inherited !== undefined) {
      (placement as Record<string, string>)[key] = inherited;
      from[key] = ['defaults', key];
    }
  }
  // An account field only belongs to the cloud that asks for it (gcpProject on gcp).
  const account = placement.provider === undefined ? undefined : providers.find(placement.provider)?.account;
  if (account?.field !== 'gcpProject') delete placement.gcpProject;
  return { placement, from };
}

/** A message when the region does not look like one of the provider's, else undefined. */
export function regionMismatch(provider: ProviderFacts, region: string, providers: ProviderRegistry): string | undefined {
  const shape = provider.regions;
  if (shape.pattern.test(region)) return undefined;
  const other = providers.all.find((p) => p !== provider && p.regions.pattern.test(region));
  const looksOther = other ? ` (${region} looks like ${other.regions.label})` : '';
  return `${region} is not ${shape.label}${looksOther}: use one such as ${shape.example}`;
}

export function describePlacement(p: Partial<Placement>): string {
  return [p.provider, p.region, p.gcpProject].filter(Boolean).join(' ');
}
