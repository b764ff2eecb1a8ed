// Labels that say which Pilot project, app or database a resource belongs to, so
// billing reports and `gcloud ... --filter=labels.pilot-project=shop` find them.

import type { DesiredApp, DesiredDatabase } from '../../reconciler/desired-state.js';

export type Labels = Record<string, string>;

/** GCP label values: lower case, [a-z0-9_-], at most 63 characters. */
export function labelValue(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9_-]/g, '-').slice(0, 63);
}

export function projectLabels(project: string): Labels {
  return { 'pilot-project': labelValue(project) };
}

/** Set on the provider as default_labels, so a resource that forgets its labels still carries these. */
export function defaultLabels(project: string): Labels {
  return { ...projectLabels(project), 'pilot-managed-by': 'pilot' };
}

export function appLabels(app: DesiredApp): Labels {
  return { ...projectLabels(app.project), 'pilot-app': labelValue(app.name) };
}

export function databaseLabels(database: DesiredDatabase): Labels {
  return { ...projectLabels(database.project), 'pilot-database': labelValue(database.name) };
}
