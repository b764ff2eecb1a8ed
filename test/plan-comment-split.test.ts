// A plan too long for one comment: split into bodies under GitHub's limit, between
// project sections and app blocks, each body balanced on its own, nothing lost or repeated.

import { describe, expect, it } from 'vitest';
import type { Action } from '../src/reconciler/plan-types.js';
import { partOf, renderComment, type CommentInput } from '../src/sources/github/comment/index.js';
import { structureOf } from './fixtures/plan-comment/structure.js';

const revision = 'abcdef0123456789abcdef0123456789abcdef01';
const pad = (n: number, width: number) => String(n).padStart(width, '0');

function app(project: string, i: number): Action[] {
  const target = `${project}/app-${pad(i, 4)}`;
  const base = { project, name: `app-${pad(i, 4)}`, target, after: [], status: 'pending' as const };
  // Every seventh app has many long reasons (a folded block); the rest are short.
  const reasons = i % 7 === 0 ? Array.from({ length: 14 }, (_, r) => `config changed: ${'VARIABLE_'.repeat(12)}${r}`) : ['source moved'];
  return [
    ...(i % 3 === 0 ? [{ ...base, id: `app:${target}`, kind: 'ensure-app' as const, symbol: '+' as const, reasons: ['new app'] }] : []),
    { ...base, id: `deploy:${target}`, kind: 'deploy', symbol: i % 3 === 0 ? '+' : '~', reasons: [...reasons, `end of ${project} number ${i}`] },
  ];
}

function bigInput(): CommentInput {
  const actions: Action[] = [];
  for (let p = 0; p < 20; p += 1) {
    const project = `p${pad(p, 2)}`;
    const changes = Array.from({ length: p % 4 === 0 ? 60 : 2 }, (_, c) => ({ address: `aws_ecs_service.svc-${c}`, action: c % 10 === 0 ? ('replace' as const) : ('update' as const), destructive: c % 10 === 0, attributes: ['task_definition'] }));
    actions.push({ id: `stack:${project}/aws/us-east-1`, kind: 'provision-stack', symbol: '-', project, target: `${project} aws us-east-1`, reasons: ['many changes'], after: [], status: 'pending', changes });
    for (let i = 0; i < 100; i += 1) actions.push(...app(project, i));
  }
  return { links: { repoHtmlUrl: 'https://github.com/acme/infra' }, plan: { outcome: 'planned', revision, plan: { version: 1, revision, actions }, problems: [], errors: [], notes: [], plannedAt: '2025-03-04T05:06:07Z' } };
}

function expectBalanced(bodies: readonly string[], maxLength: number): void {
  bodies.forEach((body, i) => {
    expect(body.length).toBeLessThanOrEqual(maxLength);
    expect(partOf(body)).toBe(i + 1);
    const s = structureOf(body);
    expect({ openDetails: s.openDetails, closedTooSoon: s.closedTooSoon, openFence: s.openFence, evenFences: s.fenceLines % 2 === 0 }).toEqual({ openDetails: 0, closedTooSoon: false, openFence: false, evenFences: true });
    if (i > 0) expect(body.split('\n')[2]).toBe(`_Pilot plan for abcdef0, continued from part 1: this is part ${i + 1} of ${bodies.length}._`);
  });
}

describe('a plan of 2,000 apps in 20 projects', () => {
  const input = bigInput();
  const bodies = renderComment(input);

  it('becomes several bodies, each under 65,536 characters, numbered and balanced', () => {
    expect(bodies.length).toBeGreaterThan(2);
    expectBalanced(bodies, 65_536);
  });

  it('shows every app exactly once, with its whole block in one body', () => {
    for (let p = 0; p < 20; p += 1) {
      for (let i = 0; i < 100; i += 1) {
        const target = `p${pad(p, 2)}/app-${pad(i, 4)}`;
        const holding = bodies.filter((body) => body.includes(target));
        expect(holding.map((body) => body.split(target).length - 1)).toEqual([1]);
        expect(holding[0]).toContain(`end of p${pad(p, 2)} number ${i}`);
      }
    }
  });

  it('keeps projects in name order, and names the project again where a body continues it', () => {
    const all = bodies.join('\n');
    const headings = [...all.matchAll(/^#### Project (p\d\d)$/gm)].map((m) => m[1]);
    expect(headings).toEqual(Array.from({ length: 20 }, (_, p) => `p${pad(p, 2)}`));
    for (const body of bodies.slice(1)) expect(body.split('\n')[4]).toMatch(/^#### Project p\d\d( \(continued\))?$/);
  });

  it('renders the same bodies every time', () => {
    expect(renderComment(bigInput())).toEqual(bodies);
  });
});

describe('a block longer than one body', () => {
  const long = Array.from({ length: 40 }, (_, r) => `reason ${pad(r, 2)}: ${'the image tag moved '.repeat(5)}`);
  const log = Array.from({ length: 200 }, (_, n) => `log line ${pad(n, 3)} ${'x'.repeat(30)}`);
  const input: CommentInput = {
    plan: {
      outcome: 'planned', revision, problems: [], errors: [], notes: [], plannedAt: '2025-03-04T05:06:07Z',
      plan: { version: 1, revision, actions: [{ id: 'deploy:acme/web', kind: 'deploy', symbol: '~', project: 'acme', name: 'web', target: 'acme/web', reasons: long, after: [], status: 'pending' }] },
    },
    applied: { revision, outcome: 'failed', startedAt: '2025-03-04T06:00:00Z', finishedAt: '2025-03-04T06:01:00Z', errors: [], results: [{ target: 'acme/web', kind: 'deploy', status: 'failed', error: 'the build failed', lastLines: log }] },
  };
  const bodies = renderComment(input, { maxLength: 2000 });

  it('is cut inside, closing and reopening <details> and the code fence in each body', () => {
    expect(bodies.length).toBeGreaterThan(5);
    expectBalanced(bodies, 2000);
    expect(bodies.some((body) => body.includes('<details><summary>acme/web: deploy (41 lines) (continued)</summary>'))).toBe(true);
    expect(bodies.filter((body) => body.includes('```text')).length).toBeGreaterThan(2);
  });

  it('loses and repeats nothing: every reason and every log line once, in order', () => {
    const outside = bodies.flatMap((body) => structureOf(body).outside).filter((line) => line.startsWith('  - reason '));
    expect(outside).toEqual(long.map((reason) => `  - ${reason.trim()}`));
    expect(bodies.flatMap((body) => structureOf(body).fencedLines)).toEqual(log);
  });

  it('says where a section continues', () => {
    expect(bodies.filter((body) => body.includes('### Applied in abcdef0 (continued)')).length).toBeGreaterThan(1);
    expect(bodies.filter((body) => body.includes('#### Project acme (continued)')).length).toBeGreaterThan(0);
  });
});
