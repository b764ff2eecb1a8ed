// What the store remembers, in the status's terms: each app as its latest deployment left
// it (URL, commit, when) and the newest runs. Pure; the store reporter reads the store at
// start-up and after each run, so a restart loses neither.

import type { DeployedApp, ReleasePin, RunRecord } from '../reconciler/store-port.js';
import type { AppStatus, RunStatus } from './status.js';

/** How many of the newest runs the page shows. */
export const runsShown = 10;

/** The URL a person opens: the release's, else the app's (as appStatuses picks). */
function deployment(deployed: DeployedApp): Pick<AppStatus, 'url' | 'commit' | 'deployedAt'> {
  const url = deployed.urls?.release ?? deployed.urls?.app;
  return { commit: deployed.commit, deployedAt: deployed.at, ...(url ? { url } : {}) };
}

/** The apps before the first run: as the store last saw each deployed. */
export function restoredApps(deployed: readonly DeployedApp[], pins: readonly ReleasePin[]): AppStatus[] {
  return deployed.map((d) => {
    const pin = pins.find((p) => p.project === d.project && p.app === d.app);
    const detail = d.state === 'error' ? (d.error ?? 'the deployment failed').split('\n')[0]! : `deployed${pin ? ` release ${pin.tag}` : ''}`;
    return { project: d.project, app: d.app, state: d.state === 'success' ? 'converged' : 'failed', detail, ...deployment(d) };
  });
}

/** The apps as a run left them, each with its latest deployment; a URL the run reported stays. */
export function withDeployments(apps: readonly AppStatus[], deployed: readonly DeployedApp[]): AppStatus[] {
  const byKey = new Map(deployed.map((d) => [`${d.project}/${d.app}`, d]));
  return apps.map((app) => {
    const last = byKey.get(`${app.project}/${app.app}`);
    return last ? { ...app, ...deployment(last), ...(app.url ? { url: app.url } : {}) } : app;
  });
}

function jobsQueuedOf(summary: unknown): number | undefined {
  const value = typeof summary === 'object' && summary !== null ? (summary as { jobsQueued?: unknown }).jobsQueued : undefined;
  return typeof value === 'number' ? value : undefined;
}

/** Runs as the store recorded them; one without an end was cut short (a crash, a stop). */
export function runStatuses(runs: readonly RunRecord[]): RunStatus[] {
  return runs.map((run) => {
    const jobsQueued = jobsQueuedOf(run.summary);
    return {
      revision: run.revision,
      triggers: run.trigger.split(','),
      startedAt: run.startedAt,
      ...(run.finishedAt ? { finishedAt: run.finishedAt, durationMs: Date.parse(run.finishedAt) - Date.parse(run.startedAt) } : {}),
      ...(run.outcome ? { outcome: run.outcome } : {}),
      ...(jobsQueued === undefined ? {} : { jobsQueued }),
    };
  });
}
