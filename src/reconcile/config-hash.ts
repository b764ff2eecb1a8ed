// An app's config hash: what says "this app must be deployed again". It is the hash of
// the rendered waypoint.hcl, so any change of the file (the manifest's, the wiring's or
// the renderer's) redeploys. Rendering every app on every reconcile only to hash it
// cost ~9% of a 10,000-app plan: the hash is kept by what the rendering is made of
// (the app and its wiring), so an unchanged app is never rendered again in a process.
// An app without wiring is kept by the object itself instead: a load hands out the same
// frozen app while its file is unchanged (sources/manifests/check-cache.ts), so most
// plans build no key at all.

import { createHash } from 'node:crypto';
import type { DesiredApp } from '../reconciler/desired-state.js';
import type { AppWiring } from '../reconciler/wiring.js';
import { renderWaypointHcl } from '../waypoint/render/app.js';

/** Hashes kept: more than the apps of the largest repository measured (10,000). */
const kept = 20_000;
const hashes = new Map<string, string>();
const byApp = new WeakMap<DesiredApp, string>();

/** Hash of the rendered file (with its wiring, without the commit) and of the config-store names and sources. */
export function configHash(app: DesiredApp, wiring?: AppWiring): string {
  if (!wiring && Object.isFrozen(app)) {
    let hash = byApp.get(app);
    if (hash === undefined) byApp.set(app, (hash = render(app)));
    return hash;
  }
  // `origin` says where the app was read from, which the rendering never uses.
  const { origin: _origin, ...rendered } = app as DesiredApp & { origin?: unknown };
  const key = JSON.stringify([rendered, wiring ?? null]);
  const known = hashes.get(key);
  if (known !== undefined) return known;
  const hash = render(app, wiring);
  if (hashes.size >= kept) hashes.delete(hashes.keys().next().value!);
  hashes.set(key, hash);
  return hash;
}

function render(app: DesiredApp, wiring?: AppWiring): string {
  const stored = Object.entries(app.env).filter(([, v]) => v.kind !== 'plain');
  return createHash('sha256').update(renderWaypointHcl(app, wiring ? { wiring } : {})).update(JSON.stringify(stored)).digest('hex').slice(0, 16);
}
