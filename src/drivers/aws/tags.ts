// The tags every Pilot resource on AWS carries, so a bill or a console search can be
// traced back to the project, app or database of the manifests.

import type { DesiredApp, DesiredDatabase } from '../../reconciler/desired-state.js';

export type Tags = Record<string, string>;

/** Provider-level default tags: every resource gets them, even ones Pilot forgets to tag. */
export function defaultTags(project: string): Tags {
  return { 'pilot:project': project, 'pilot:managed-by': 'pilot' };
}

/** Shared resources of the stack (network); `name` fills the console's Name column. */
export function projectTags(project: string, name?: string): Tags {
  return { 'pilot:project': project, ...(name === undefined ? {} : { Name: name }) };
}

export function appTags(app: DesiredApp): Tags {
  return { 'pilot:project': app.project, 'pilot:app': app.name };
}

export function databaseTags(database: DesiredDatabase): Tags {
  return { 'pilot:project': database.project, 'pilot:database': database.name };
}
