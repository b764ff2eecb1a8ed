// Parts of the status page: the app rows (state, URL, commit, when deployed, detail), the
// recent runs, and the word on the last run beside "Ready". Everything is escaped; times
// are ISO 8601 in a <time> element, shown as a person reads them, without JavaScript.

import type { AppStatus, DaemonStatus, RunStatus } from './status.js';

export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A link only to a web page: a javascript: or data: URL stays text. */
const link = (text: string, url: string | undefined) => (url && /^https?:\/\//i.test(url) ? `<a href="${escapeHtml(url)}">${escapeHtml(text)}</a>` : escapeHtml(text));

/** A commit as the page quotes it (12 characters), the whole in its title; a folder's revision (local-...) whole. */
export function shortCommit(commit: string): string {
  const shown = /^[0-9a-f]{40,64}$/.test(commit) ? commit.slice(0, 12) : commit;
  return `<code title="${escapeHtml(commit)}">${escapeHtml(shown)}</code>`;
}

/** 2026-11-25T14:03:07.123Z as "2026-11-25 14:03:07 UTC", the ISO time kept in `datetime`. */
export function readableTime(iso: string): string {
  const parts = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.\d+)?Z$/.exec(iso);
  return `<time datetime="${escapeHtml(iso)}">${escapeHtml(parts ? `${parts[1]} ${parts[2]} UTC` : iso)}</time>`;
}

export function readableDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '';
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

export function appRows(apps: readonly AppStatus[]): string {
  return apps
    .map((a) => [
      `<tr class="${escapeHtml(a.state)}"><td>${escapeHtml(a.project)}/${escapeHtml(a.app)}</td><td>${escapeHtml(a.state)}</td>`,
      `<td>${a.url ? link(a.url, a.url) : ''}</td><td>${a.commit ? shortCommit(a.commit) : ''}</td>`,
      `<td>${a.deployedAt ? readableTime(a.deployedAt) : ''}</td><td>${escapeHtml(a.detail)}</td></tr>`,
    ].join(''))
    .join('\n');
}

const outcomeClass = (outcome: string | undefined) =>
  outcome === 'converged' || outcome === 'no-changes' ? 'converged' : outcome === 'failed' || outcome === 'partial' ? 'failed' : 'attention';

/** The newest runs, newest first; empty when the store has none. */
export function runsSection(runs: readonly RunStatus[]): string {
  if (runs.length === 0) return '';
  const rows = runs
    .map((r) => [
      `<tr class="${outcomeClass(r.outcome)}"><td>${readableTime(r.startedAt)}</td><td>${escapeHtml(r.outcome ?? 'unfinished')}</td>`,
      `<td>${shortCommit(r.revision)}</td><td>${escapeHtml(r.triggers.join(', '))}</td>`,
      `<td>${r.jobsQueued ?? ''}</td><td>${r.durationMs === undefined ? '' : readableDuration(r.durationMs)}</td></tr>`,
    ].join(''))
    .join('\n');
  return `<h2>Recent runs</h2><table id="runs"><thead><tr><th>started</th><th>outcome</th><th>revision</th><th>trigger</th><th>jobs queued</th><th>duration</th></tr></thead><tbody>\n${rows}\n</tbody></table>`;
}

/** What follows "Ready" when the last run went wrong, so the headline does not contradict the line below it. */
export function lastRunCaveat(status: Pick<DaemonStatus, 'lastRun'>): string {
  const outcome = status.lastRun?.outcome;
  if (outcome === 'failed') return ' (the last run failed: see below)';
  if (outcome === 'partial') return ' (part of the last run failed: see below)';
  return '';
}
