// "Applied in <sha>": what the apply after the merge did, per action its status, link and
// duration; failures with their error and the job's last log lines.

import type { Block } from './blocks.js';
import { paragraphs } from './blocks.js';
import { fenced, inline, urlLink } from './escape.js';
import type { AppliedResult, AppliedSection, CommentLinks } from './model.js';
import { between, durationText, outcomeWord, revisionText, timeText } from './words.js';

const statuses: readonly AppliedResult['status'][] = ['done', 'failed', 'interrupted', 'blocked', 'unsupported', 'reported'];

function resultHead(result: AppliedResult): string {
  const took = result.durationMs === undefined ? '' : result.status === 'failed' ? ` after ${durationText(result.durationMs)}` : ` in ${durationText(result.durationMs)}`;
  const url = result.url ? ` · ${urlLink(result.url)}` : '';
  return `**${inline(result.target, 300)}** ${inline(result.kind, 40)}: ${result.status === 'failed' ? '**failed**' : result.status}${took}${url}`;
}

function failureBlock(result: AppliedResult, heading: string): Block {
  const lines = result.lastLines ?? [];
  return {
    heading,
    lines: paragraphs(
      [resultHead(result)],
      result.error ? [`Error: ${inline(result.error)}`] : [],
      lines.length ? [`Last ${lines.length === 1 ? 'log line' : `${lines.length} log lines`}:`, '', ...fenced(lines)] : [],
    ),
  };
}

export function appliedBlocks(applied: AppliedSection | undefined, links: CommentLinks | undefined): Block[] {
  if (!applied) return [];
  const heading = `### Applied in ${revisionText(applied.revision, links?.repoHtmlUrl)}`;
  const tally = statuses.map((s) => [s, applied.results.filter((r) => r.status === s).length] as const).filter(([, n]) => n > 0).map(([s, n]) => `${n} ${s}`);
  const took = between(applied.startedAt, applied.finishedAt);
  const facts = [`**${outcomeWord(applied.outcome)}**`, ...tally, ...(took === undefined ? [] : [`took ${durationText(took)}`]), `finished ${timeText(applied.finishedAt)}`];
  const header: Block = {
    lines: paragraphs(
      [heading],
      [facts.join(' · ')],
      applied.errors.length ? ['**Errors**', '', ...applied.errors.map((error) => `- ${inline(error)}`)] : [],
    ),
  };
  // Failures first, each with room for its log; the rest as one list.
  const failed = applied.results.filter((r) => r.status === 'failed').map((r) => failureBlock(r, heading));
  const others = applied.results.filter((r) => r.status !== 'failed').map((r) => `- ${resultHead(r)}`);
  return [header, ...failed, ...(others.length ? [{ heading, lines: others }] : [])];
}
