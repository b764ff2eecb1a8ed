// The plan comment for a small realistic pull request, written out in full so a reviewer
// can read what users see; the check run's title, a closed pull request and what the
// apply after the merge did.

import { describe, expect, it } from 'vitest';
import { commentMarker, partOf, renderComment, renderPlanSummary, type CommentInput } from '../src/sources/github/comment/index.js';
import { invalidInput, smallInput } from './fixtures/plan-comment/small-plan.js';

const blob = 'https://github.com/acme/infra/blob/9f8e7d6c5b4a39281706f5e4d3c2b1a098765432/acme/pilot.yaml';

const planBody = [
  '#### Project acme',
  '',
  '**Cloud stack acme aws us-east-1** — 1 to create, 1 to replace',
  '',
  '- **Destructive:** replaces the database instance aws_db_instance db-main (forced by engine)',
  '- creates aws_s3_bucket static-docs',
  '',
  '**acme/api**',
  '',
  '- create the app in Waypoint — new app',
  '- update its config — set DATABASE_URL, LOG_LEVEL',
  '- deploy commit 1a2b3c4 — new app',
  '',
  '**acme/web**',
  '',
  '- deploy commit 1a2b3c4',
  '  - source moved to 1a2b3c4',
  '  - config changed: memory',
  '',
  '**acme/worker**',
  '',
  '- **needs attention:** no longer in the manifests — orphaned: prune is off, so it is left running',
];

describe('the plan comment of a small pull request', () => {
  it('shows the outcome, counts, revision, linked problems and each project, app and stack change', () => {
    expect(renderComment(smallInput)).toEqual([[
      '<!-- pilot:plan part=1 -->',
      '',
      '### Pilot plan: planned',
      '',
      '**1 app to deploy, 1 to update, 1 orphaned, 0 errors, 2 warnings; 1 destructive cloud change**',
      '',
      'Revision [9f8e7d6](https://github.com/acme/infra/commit/9f8e7d6c5b4a39281706f5e4d3c2b1a098765432) · planned 2025-03-04 05:06 UTC',
      '',
      '#### Manifest problems',
      '',
      `- **warning** [acme/pilot.yaml:9:5](${blob}#L9): apps&#91;0&#93;.env.LOG_LEVEL: a plain value; use a secret for anything private (env.plain)`,
      `- **warning** [acme/pilot.yaml:14:7](${blob}#L14): apps&#91;1&#93;.deploy.memory: 3000 is not a multiple of 512; Fargate rounds it up (aws.memory)`,
      '',
      ...planBody,
    ].join('\n')]);
  });

  it('shows an invalid file\'s two problems, errors first, as file:line:col without links for the CLI', () => {
    const { links: _links, ...cli } = invalidInput;
    expect(renderComment(cli)).toEqual([[
      '<!-- pilot:plan part=1 -->',
      '',
      '### Pilot plan: invalid manifests',
      '',
      '**1 error, 1 warning**',
      '',
      'Revision 9f8e7d6 · planned 2025-03-04 05:06 UTC',
      '',
      'The manifests are invalid: nothing can be applied until the errors below are fixed.',
      '',
      '#### Manifest problems',
      '',
      '- **error** acme/pilot.yaml:12:15: apps&#91;0&#93;.deploy.platform: must be one of ecs, lambda, static (schema.enum)',
      '- **warning** acme/pilot.yaml:3:1: defaults.region: us-east-1 is assumed (defaults.region)',
    ].join('\n')]);
    expect(renderComment(invalidInput)[0]).toContain(`[acme/pilot.yaml:12:15](${blob}#L12)`);
  });

  it('gives the check run a short title and the comment as its summary, without the marker', () => {
    expect(renderPlanSummary(smallInput).title).toBe('1 app to deploy, 1 to update, 1 orphaned, 1 destructive cloud change, 2 warnings');
    expect(renderPlanSummary(invalidInput).title).toBe('Invalid manifests: 1 error, 1 warning');
    const { summary } = renderPlanSummary(smallInput);
    expect(summary.startsWith('### Pilot plan: planned\n')).toBe(true);
    expect(summary).not.toContain(commentMarker);
    expect(summary.endsWith(planBody.join('\n'))).toBe(true);
  });

  it('says at the top when the pull request was closed without merging', () => {
    const [body] = renderComment({ ...smallInput, state: 'closed' });
    expect(body!.split('\n').slice(0, 4)).toEqual([
      '<!-- pilot:plan part=1 -->',
      '',
      '**Outdated:** the pull request was closed without merging; this plan no longer applies.',
      '',
    ]);
    expect(renderComment(smallInput)[0]).not.toContain('Outdated');
  });

  it('puts notes and the run\'s errors under the header, and says so when nothing changes', () => {
    const input: CommentInput = {
      plan: { ...smallInput.plan, outcome: 'unavailable', plan: { version: 1, revision: 'local-0123456789ab', actions: [] }, problems: [], revision: 'local-0123456789ab',
        notes: ['From a fork: planned without credentials; cloud stacks not planned.'], errors: ['waypoint.unavailable: Waypoint at localhost:9701 did not answer'] },
    };
    expect(renderComment(input)[0]!.split('\n').slice(2)).toEqual([
      '### Pilot plan: unavailable',
      '',
      '**no app changes, 1 error**',
      '',
      'Revision local-0123456789ab · planned 2025-03-04 05:06 UTC',
      '',
      'Pilot could not plan this revision: a service it needs was unavailable (see the errors below).',
      '',
      '_Note:_ From a fork: planned without credentials; cloud stacks not planned.',
      '',
      '**Errors**',
      '',
      '- waypoint.unavailable: Waypoint at localhost:9701 did not answer',
    ]);
    expect(renderComment({ plan: { ...input.plan, outcome: 'planned', errors: [], notes: [] } })[0]).toContain('**No changes: the clouds and Waypoint match the manifests.**');
  });

  it('finds its own bodies by their marker and part number', () => {
    expect(partOf(renderComment(smallInput)[0]!)).toBe(1);
    expect(partOf('<!-- pilot:plan part=12 -->\nrest')).toBe(12);
    expect(partOf('a comment quoting <!-- pilot:plan part=2 -->')).toBeUndefined();
    expect(partOf('<!-- pilot:plan part=0 -->')).toBeUndefined();
  });
});

describe('what the apply after the merge did', () => {
  it('shows each result with its status, link and duration, and a failure\'s error and last log lines', () => {
    const input: CommentInput = {
      ...smallInput,
      applied: {
        revision: 'abcdef0123456789abcdef0123456789abcdef01', outcome: 'partial', startedAt: '2025-03-04T06:00:00Z', finishedAt: '2025-03-04T06:02:05Z', errors: [],
        results: [
          { target: 'acme/api', kind: 'deploy', status: 'done', url: 'https://api.acme.example/', durationMs: 62_000 },
          { target: 'acme/web', kind: 'deploy', status: 'failed', durationMs: 30_000, error: 'the build failed', lastLines: ['Step 3/5 : RUN npm ci', 'npm ERR! code ENOENT'] },
          { target: 'acme/worker', kind: 'orphaned', status: 'reported' },
        ],
      },
    };
    const [body] = renderComment(input);
    expect(body).toContain([
      '### Applied in [abcdef0](https://github.com/acme/infra/commit/abcdef0123456789abcdef0123456789abcdef01)',
      '',
      '**partly applied** · 1 done · 1 failed · 1 reported · took 2 min 5 s · finished 2025-03-04 06:02 UTC',
      '',
      '**acme/web** deploy: **failed** after 30 s',
      '',
      'Error: the build failed',
      '',
      'Last 2 log lines:',
      '',
      '```text',
      'Step 3/5 : RUN npm ci',
      'npm ERR! code ENOENT',
      '```',
      '',
      '- **acme/api** deploy: done in 1 min 2 s · [https://api.acme.example/](https://api.acme.example/)',
      '- **acme/worker** orphaned: reported',
      '',
      '#### Manifest problems',
    ].join('\n'));
  });
});
