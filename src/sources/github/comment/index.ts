// The one renderer of a plan as GitHub-flavoured markdown: the pull request comment
// (split into numbered bodies when too long), the check run's title and summary, and
// `pilot plan --format markdown`.

import { appliedBlocks } from './applied.js';
import type { Block } from './blocks.js';
import { countComment, titleLine } from './counts.js';
import { inline } from './escape.js';
import { headerBlock, problemsBlock } from './header.js';
import type { CommentInput } from './model.js';
import { planBlocks } from './projects.js';
import { pack, type Frame } from './split.js';
import { outcomeWord, shortRevision } from './words.js';

export type { AppliedResult, AppliedSection, CommentInput, CommentLinks, CommentProblem, PlanSection } from './model.js';

/** What every body of a Pilot plan comment starts with: how Pilot finds its own comments. */
export const commentMarker = '<!-- pilot:plan';

/** GitHub refuses comment bodies longer than this. */
export const maxCommentLength = 65_536;

/** A check run's summary may hold at most this many characters. */
const maxSummaryLength = 65_535;

/** The part number of a Pilot plan comment body (1-based), or undefined for any other comment. */
export function partOf(body: string): number | undefined {
  const match = /^\s*<!-- pilot:plan part=(\d+) -->/.exec(body);
  const part = match ? Number(match[1]) : NaN;
  return Number.isSafeInteger(part) && part >= 1 ? part : undefined;
}

function blocksOf(input: CommentInput): Block[] {
  const problems = problemsBlock(input);
  return [headerBlock(input), ...appliedBlocks(input.applied, input.links), ...(problems ? [problems] : []), ...planBlocks(input.plan.plan)];
}

/** The comment bodies, usually one; more only when one would pass maxLength characters. */
export function renderComment(input: CommentInput, options: { maxLength?: number } = {}): string[] {
  const revision = inline(shortRevision(input.plan.revision), 80);
  const frame: Frame = {
    top: (index, total) => [
      `${commentMarker} part=${index + 1} -->`,
      ...(index > 0 ? ['', `_Pilot plan for ${revision}, continued from part 1: this is part ${index + 1} of ${total}._`] : []),
    ],
    footer: '_Continued in the next comment._',
  };
  return pack(blocksOf(input), options.maxLength ?? maxCommentLength, frame);
}

/** A check run's title (e.g. "3 apps to deploy, 1 error") and summary. */
export function renderPlanSummary(input: CommentInput): { title: string; summary: string } {
  const section = input.plan;
  const counted = titleLine(countComment(section));
  const outcome = outcomeWord(section.outcome);
  const title = section.outcome === 'planned' ? (counted ?? 'No changes') : `${outcome[0]!.toUpperCase()}${outcome.slice(1)}${counted ? `: ${counted}` : ''}`;
  const frame: Frame = { top: () => [], footer: '_The rest of the plan does not fit in a check run summary._' };
  const [summary] = pack(blocksOf(input), maxSummaryLength, frame);
  return { title, summary: summary! };
}
