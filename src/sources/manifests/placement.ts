// Where an app or database runs: its own provider/region/gcpProject, else the project's defaults.

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

export function resolvePlacement(manifest: ProjectManifest, item: Placeable, itemPath: PathSegment[]): ResolvedPlacement {
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
  if (placement.provider !== 'gcp') delete placement.gcpProject;
  return { placement, from };
}

const regionShapes: Record<Provider, { pattern: RegExp; example: string; label: string }> = {
  aws: { pattern: /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d+$/, example: 'us-east-1', label: 'an AWS region' },
  gcp: { pattern: /^[a-z]+-[a-z]+\d+$/, example: 'us-central1', label: 'a GCP location' },
};

/** A message when the region does not look like one of the provider's, else undefined. */
export function regionMismatch(provider: Provider, region: string): string | undefined {
  const shape = regionShapes[provider];
  if (shape.pattern.test(region)) return undefined;
  const other = provider === 'aws' ? regionShapes.gcp : regionShapes.aws;
  const looksOther = other.pattern.test(region) ? ` (${region} looks like ${other.label})` : '';
  return `${region} is not ${shape.label}${looksOther}: use one such as ${shape.example}`;
}

export function describePlacement(p: Partial<Placement>): string {
  return [p.provider, p.region, p.gcpProject].filter(Boolean).join(' ');
}
