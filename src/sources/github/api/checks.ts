// The outcome of a plan or an apply on its commit: a check run named pilot/plan or
// pilot/apply when Pilot is a GitHub App (with an annotation per manifest problem, on
// its file and line), a commit status of that name with a token. What was last sent
// for a commit is remembered, and an identical repeat is not sent again.

import type { GithubClient } from './client.js';
import { repoRef } from './repository.js';

export interface CheckAnnotation {
  path: string;
  line: number;
  col: number;
  level: 'failure' | 'warning';
  message: string;
  title?: string;
}

export interface CheckReport {
  name: string;
  sha: string;
  status: 'in_progress' | 'completed';
  conclusion?: 'success' | 'failure' | 'neutral';
  title: string;
  summary: string;
  annotations?: CheckAnnotation[];
  /** The status page. */
  detailsUrl?: string;
}

/** GitHub takes 50 annotations per request; more go in later updates of the run. */
export const annotationsPerRequest = 50;
/** A commit status's description holds 140 characters. */
const descriptionLength = 140;
/** Commits whose checks are remembered (for repeats and updates); the oldest are forgotten. */
const remembered = 1_000;

function remember<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > remembered) map.delete(map.keys().next().value!);
}

export interface Checks {
  publish(repository: string, report: CheckReport): Promise<'sent' | 'unchanged'>;
}

function annotationOf(a: CheckAnnotation) {
  return {
    path: a.path, start_line: a.line, end_line: a.line, start_column: a.col, end_column: a.col,
    annotation_level: a.level, message: a.message, ...(a.title ? { title: a.title } : {}),
  };
}

export function checks(client: GithubClient): Checks {
  const sent = new Map<string, string>();
  const runs = new Map<string, number>();

  async function checkRun(repository: string, report: CheckReport, key: string): Promise<void> {
    const { octokit } = client;
    const ref = repoRef(repository);
    const annotations = (report.annotations ?? []).map(annotationOf);
    const output = (batch: typeof annotations) => ({ title: report.title, summary: report.summary, ...(batch.length ? { annotations: batch } : {}) });
    const state = report.status === 'completed'
      ? { status: 'completed' as const, conclusion: report.conclusion ?? 'neutral', completed_at: new Date().toISOString() }
      : { status: 'in_progress' as const };
    const common = { ...state, ...(report.detailsUrl ? { details_url: report.detailsUrl } : {}), output: output(annotations.slice(0, annotationsPerRequest)) };
    let id = runs.get(key);
    if (id === undefined) {
      id = (await octokit.rest.checks.create({ ...ref, name: report.name, head_sha: report.sha, started_at: new Date().toISOString(), ...common })).data.id;
      remember(runs, key, id);
    } else {
      await octokit.rest.checks.update({ ...ref, check_run_id: id, ...common });
    }
    for (let from = annotationsPerRequest; from < annotations.length; from += annotationsPerRequest) {
      await octokit.rest.checks.update({ ...ref, check_run_id: id, output: output(annotations.slice(from, from + annotationsPerRequest)) });
    }
  }

  async function commitStatus(repository: string, report: CheckReport): Promise<void> {
    const state = report.status === 'in_progress' ? 'pending' : report.conclusion === 'failure' ? 'failure' : 'success';
    const description = report.title.length > descriptionLength ? `${report.title.slice(0, descriptionLength - 1)}…` : report.title;
    await client.octokit.rest.repos.createCommitStatus({
      ...repoRef(repository), sha: report.sha, state, context: report.name, description, ...(report.detailsUrl ? { target_url: report.detailsUrl } : {}),
    });
  }

  return {
    async publish(repository, report) {
      const key = `${repository}@${report.sha}/${report.name}`;
      const fingerprint = JSON.stringify(report);
      if (sent.get(key) === fingerprint) return 'unchanged';
      // A new check run each time the commit is planned again from the start.
      if (report.status === 'in_progress') runs.delete(key);
      if (client.kind === 'app') await checkRun(repository, report, key);
      else await commitStatus(repository, report);
      remember(sent, key, fingerprint);
      return 'sent';
    },
  };
}
