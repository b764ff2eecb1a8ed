// The top of a plan comment: outcome, counts, revision and time, notes and the run's
// errors; then the manifest problems, each linked to its line in the head commit.

import type { Block } from './blocks.js';
import { paragraphs } from './blocks.js';
import { countComment, summaryLine } from './counts.js';
import { encodePath, inline, safeUrl } from './escape.js';
import type { CommentInput, CommentProblem } from './model.js';
import { outcomeSentence, outcomeWord, revisionText, timeText } from './words.js';

export function headerBlock(input: CommentInput): Block {
  const section = input.plan;
  const repo = input.links?.repoHtmlUrl;
  const closed = input.state === 'closed' || section.outcome === 'closed' ? ['**Outdated:** the pull request was closed without merging; this plan no longer applies.'] : [];
  const empty = section.plan && section.plan.actions.length === 0 && section.problems.length === 0 && section.errors.length === 0;
  const summary = empty ? 'No changes: the clouds and Waypoint match the manifests.' : summaryLine(countComment(section), section.plan);
  const sentence = outcomeSentence(section.outcome);
  return {
    lines: paragraphs(
      closed,
      [`### Pilot plan: ${outcomeWord(section.outcome)}`],
      [`**${summary}**`],
      [`Revision ${revisionText(section.revision, repo)} · planned ${timeText(section.plannedAt)}`],
      sentence ? [sentence] : [],
      ...section.notes.map((note) => [`_Note:_ ${inline(note)}`]),
      section.errors.length ? ['**Errors**', '', ...section.errors.map((error) => `- ${inline(error)}`)] : [],
    ),
  };
}

/** `<repo>/blob/<sha>/<file>#L<line>`, when the repository URL is one to link to. */
function problemUrl(problem: CommentProblem, revision: string, repoHtmlUrl: string | undefined): string | undefined {
  const base = repoHtmlUrl === undefined ? undefined : safeUrl(repoHtmlUrl.replace(/\/+$/, ''));
  if (!base || !Number.isInteger(problem.line) || problem.line < 1) return undefined;
  return safeUrl(`${base}/blob/${encodePath(revision)}/${encodePath(problem.file)}#L${problem.line}`);
}

function problemLine(problem: CommentProblem, revision: string, repoHtmlUrl: string | undefined): string {
  const where = inline(`${problem.file}:${problem.line}:${problem.col}`, 500);
  const url = problemUrl(problem, revision, repoHtmlUrl);
  const rule = problem.rule ? ` (${inline(problem.rule, 100)})` : '';
  return `- **${problem.severity === 'error' ? 'error' : 'warning'}** ${url ? `[${where}](${url})` : where}: ${inline(problem.message)}${rule}`;
}

const heading = '#### Manifest problems';

/** Errors before warnings, each in file, line and column order. */
export function problemsBlock(input: CommentInput): Block | undefined {
  const { problems, revision } = input.plan;
  if (problems.length === 0) return undefined;
  const rank = (p: CommentProblem) => (p.severity === 'error' ? 0 : 1);
  const sorted = [...problems].sort((a, b) => rank(a) - rank(b) || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || a.col - b.col);
  return { heading, lines: [heading, '', ...sorted.map((p) => problemLine(p, revision, input.links?.repoHtmlUrl))] };
}
