// What the renderer needs beyond the manifest: the commit being deployed and the
// names of cloud resources that the drivers (Terraform) created for the app.

import type { ProviderRegistry } from '../../drivers/registry.js';
import type { DesiredApp } from '../../reconciler/desired-state.js';
import type { AppWiring } from '../../reconciler/wiring.js';

export interface RenderOptions {
  /** The source commit being deployed: image tags are its first 12 characters (else `latest`). */
  commit?: string;
  wiring?: AppWiring;
  /** The registered clouds (the built-in ones when absent): how each addresses a static site. */
  providers?: ProviderRegistry;
}

const commitPattern = /^[0-9a-f]{7,64}$/i;

/** The image tag for a build: stable for a commit, so the same input renders the same bytes. */
export function imageTag(commit: string | undefined): string {
  if (commit === undefined) return 'latest';
  if (!commitPattern.test(commit)) throw new Error(`not a commit id: ${JSON.stringify(commit)}`);
  return commit.slice(0, 12).toLowerCase();
}

/** Pilot's name for an app's own cloud resources (bucket, ECR repository). */
export function appResourceName(app: DesiredApp): string {
  return `pilot-${app.project}-${app.name}`;
}

/** Pilot's name for a project's shared resources (Artifact Registry repository). */
export function projectResourceName(app: DesiredApp): string {
  return `pilot-${app.project}`;
}

/** A deploy setting the normalizer always fills for this platform; missing means a bug upstream. */
export function required<T>(value: T | undefined, app: DesiredApp, what: string): T {
  if (value === undefined) throw new Error(`${app.project}/${app.name}: desired state has no ${what}`);
  return value;
}
