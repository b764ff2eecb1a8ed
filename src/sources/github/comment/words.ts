// The small words of a plan comment: outcomes, revisions, times, durations and counts,
// all derived from the model (never the clock).

import type { ReportOutcome } from '../../../reconciler/reporting.js';
import { inline, safeUrl } from './escape.js';

const outcomeWords: Record<ReportOutcome, string> = {
  planned: 'planned',
  'no-changes': 'no changes',
  invalid: 'invalid manifests',
  unavailable: 'unavailable',
  failed: 'failed',
  converged: 'applied',
  partial: 'partly applied',
  interrupted: 'interrupted',
  'drift-reported': 'drift reported',
  closed: 'outdated',
};

export function outcomeWord(outcome: ReportOutcome): string {
  return outcomeWords[outcome] ?? inline(outcome);
}

/** A sentence under the header for outcomes that need one. */
export function outcomeSentence(outcome: ReportOutcome): string | undefined {
  if (outcome === 'invalid') return 'The manifests are invalid: nothing can be applied until the errors below are fixed.';
  if (outcome === 'unavailable') return 'Pilot could not plan this revision: a service it needs was unavailable (see the errors below).';
  if (outcome === 'failed') return 'Pilot could not plan this revision (see the errors below).';
  return undefined;
}

const commit = /^[0-9a-f]{40}([0-9a-f]{24})?$/i;

/** A commit's first 7 characters, as GitHub shows it; other revisions (local-…) whole. */
export function shortRevision(revision: string): string {
  return commit.test(revision) ? revision.slice(0, 7) : revision;
}

/** The revision as inert text, linked to its commit page when there is a repository URL. */
export function revisionText(revision: string, repoHtmlUrl?: string): string {
  const short = inline(shortRevision(revision), 80);
  const base = repoHtmlUrl === undefined ? undefined : safeUrl(repoHtmlUrl.replace(/\/+$/, ''));
  return base && commit.test(revision) ? `[${short}](${base}/commit/${revision.toLowerCase()})` : short;
}

/** "2024-05-01 12:00 UTC" from an ISO time; what cannot be read is shown as given. */
export function timeText(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return inline(iso, 40);
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** "850 ms", "12 s", "2 min 5 s", "1 h 2 min". */
export function durationText(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return 'unknown';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return seconds % 60 ? `${minutes} min ${seconds % 60} s` : `${minutes} min`;
  return minutes % 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${Math.floor(minutes / 60)} h`;
}

/** The milliseconds between two ISO times, when both can be read. */
export function between(startedAt: string, finishedAt: string): number | undefined {
  const ms = Date.parse(finishedAt) - Date.parse(startedAt);
  return Number.isNaN(ms) ? undefined : ms;
}

/** "1 app", "3 apps". */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}
