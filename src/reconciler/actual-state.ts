// What is running, as observed from Waypoint and the state store. Plain data.

import type { DesiredApp, DesiredDatabase, Provider } from './desired-state.js';

/** A finished `up` job of Pilot's for one app. */
export interface DeployRecord {
  jobId: string;
  configHash: string;
  commit: string;
  state: 'success' | 'error';
}

export interface ActualApp {
  project: string;
  name: string;
  /** Waypoint knows the application. */
  registered: boolean;
  /**
   * Names in Waypoint's config store for this app, each with a fingerprint of its value
   * (compared in memory, never stored, printed or logged).
   */
  config: Record<string, string>;
  /** The latest finished Pilot deployment. */
  deployed?: DeployRecord;
  /** A Pilot job still queued or running (left by a restart, or by another run). */
  inFlight?: { jobId: string; configHash: string; commit: string };
  /** The app as last applied (from the store), to say what changed. */
  previous?: AppSpec;
}

/** The parts of an app a person cares about when it changes, for plan reasons. */
export type AppSpec = Record<string, string | number | boolean>;

export interface ActualProject {
  name: string;
  registered: boolean;
}

/** Something Pilot created and therefore may delete when pruning. */
export interface InventoryItem {
  kind: 'app' | 'database';
  project: string;
  name: string;
  provider: Provider;
  region: string;
  deletionProtection?: boolean;
  /**
   * The app or database as last declared, so its cloud resources stay in its stack
   * after it leaves the manifests, until pruning may delete them.
   */
  declared?: DesiredApp | DesiredDatabase;
}

export interface ActualState {
  /** Keyed by project name. */
  projects: Record<string, ActualProject>;
  /** Keyed by "project/app". */
  apps: Record<string, ActualApp>;
  inventory: InventoryItem[];
}

export function appKey(project: string, app: string): string {
  return `${project}/${app}`;
}

export function emptyActualState(): ActualState {
  return { projects: {}, apps: {}, inventory: [] };
}
