// Every app and database resolves to a provider and region (and a GCP project on gcp),
// and every platform runs on a provider that offers it.

import { platformLabel, platformProvider } from '../platforms.js';
import { regionMismatch, resolvePlacement, type Placeable } from '../placement.js';
import type { PathSegment } from '../problem.js';
import type { Rule } from './rule.js';

export const placementRule: Rule = (docs, report) => {
  for (const doc of docs) {
    const { manifest } = doc;
    const items: { path: PathSegment[]; item: Placeable; noun: string }[] = [
      ...(manifest.apps ?? []).map((item, i) => ({ path: ['apps', i] as PathSegment[], item, noun: 'app' })),
      ...(manifest.databases ?? []).map((item, i) => ({ path: ['databases', i] as PathSegment[], item, noun: 'database' })),
    ];
    const reportedRegions = new Set<string>();
    // One stack holds a project's resources in one region: on gcp, that is one GCP project.
    const gcpProjectOf = new Map<string, { gcpProject: string; noun: string; name: string }>();
    for (const { path, item, noun } of items) {
      const { placement, from } = resolvePlacement(manifest, item, path);
      if (!placement.provider) {
        report(doc, path, 'placement.provider', `this ${noun} has no provider: set provider (aws or gcp) on it, or defaults.provider on the project`);
        continue;
      }
      if (!placement.region) {
        report(doc, path, 'placement.region', `this ${noun} has no region: set region on it, or defaults.region on the project`);
      } else if (from.region) {
        const mismatch = regionMismatch(placement.provider, placement.region);
        const key = from.region.join('.');
        if (mismatch && !reportedRegions.has(key)) {
          reportedRegions.add(key);
          report(doc, from.region, 'placement.region', `${mismatch} (this ${noun} runs on ${placement.provider})`);
        }
      }
      if (placement.provider === 'gcp' && !placement.gcpProject) {
        report(doc, path, 'placement.gcp-project', `this ${noun} runs on gcp but has no GCP project: set gcpProject on it, or defaults.gcpProject on the project`);
      }
      if (placement.provider === 'gcp' && placement.gcpProject && placement.region) {
        const first = gcpProjectOf.get(placement.region);
        const name = String((item as { name?: unknown }).name ?? '');
        if (!first) gcpProjectOf.set(placement.region, { gcpProject: placement.gcpProject, noun, name });
        else if (first.gcpProject !== placement.gcpProject) {
          report(doc, from.gcpProject ?? path, 'placement.gcp-project', `this ${noun} is in GCP project ${placement.gcpProject}, but ${first.noun} ${first.name} of ${manifest.name} in ${placement.region} is in ${first.gcpProject}: a project's resources in one region share one stack, so use one GCP project there (or another region, or another Pilot project)`);
        }
      }
      if (noun === 'app') {
        const platform = (item as { deploy: { platform: keyof typeof platformProvider } }).deploy.platform;
        const needs = platformProvider[platform];
        if (needs && needs !== placement.provider) {
          const alternative = needs === 'aws' ? 'cloud-run' : 'ecs';
          report(
            doc,
            [...path, 'deploy', 'platform'],
            'placement.platform',
            `${platform} (${platformLabel[platform]}) runs on ${needs}, but this app's provider is ${placement.provider}: set provider: ${needs}, or use platform: ${alternative}`,
          );
        }
      }
    }
  }
};
