// The pull request comment of a large plan: how long rendering and splitting take, and
// how many comments it becomes (GitHub holds 65,536 characters in one).

import { performance } from 'node:perf_hooks';
import type { Action } from '../src/reconciler/plan-types.js';
import { renderComment } from '../src/sources/github/comment/index.js';

const revision = 'abcdef0123456789abcdef0123456789abcdef01';

function planOf(projects: number, appsPerProject: number): Action[] {
  const actions: Action[] = [];
  for (let p = 0; p < projects; p += 1) {
    const project = `project-${p}`;
    for (let i = 0; i < appsPerProject; i += 1) {
      const target = `${project}/app-${i}`;
      const base = { project, name: `app-${i}`, target, after: [], status: 'pending' as const };
      if (i % 4 === 0) actions.push({ ...base, id: `app:${target}`, kind: 'ensure-app', symbol: '+', reasons: ['new app'] });
      actions.push({ ...base, id: `deploy:${target}`, kind: 'deploy', symbol: i % 4 === 0 ? '+' : '~', reasons: [`memory 512 -> 1024`, `source moved 1a2b3c4 -> 5d6e7f8`] });
    }
  }
  return actions;
}

export function renderLargeComment(projects: number, appsPerProject: number) {
  const actions = planOf(projects, appsPerProject);
  const input = { plan: { outcome: 'planned' as const, revision, plan: { version: 1 as const, revision, actions }, problems: [], errors: [], notes: [], plannedAt: '2026-01-01T00:00:00Z' }, links: { repoHtmlUrl: 'https://github.com/acme/infra' } };
  renderComment(input);
  const start = performance.now();
  const bodies = renderComment(input);
  const ms = performance.now() - start;
  return {
    name: 'plan-comment',
    apps: projects * appsPerProject,
    actions: actions.length,
    ms: Math.round(ms),
    comments: bodies.length,
    characters: bodies.reduce((sum, body) => sum + body.length, 0),
    heapUsedMiB: Math.round(process.memoryUsage().heapUsed / 2 ** 20),
  };
}
