// POST /_stand-in/setup: what GitHub would know before it sends a webhook (a pushed
// commit, a pull request opened, pushed to, closed or merged), told by `pilot dev
// webhook --github URL` in the local demo. Loopback only; not part of GitHub's API.

import type { World } from './world.js';

interface Setup {
  repository: string;
  commit?: { sha: string; branch?: string };
  pullRequest?: { action: string; number: number; headSha: string; headRef: string; baseRef: string; merged?: boolean; mergeSha?: string };
}

function isSetup(value: unknown): value is Setup {
  const setup = value as Partial<Setup> | null;
  return typeof setup === 'object' && setup !== null && typeof setup.repository === 'string' && /^[\w.-]+\/[\w.-]+$/.test(setup.repository);
}

/** Applies a setup body to the world; the answer's status and message. */
export function applySetup(world: World, rawBody: string): { status: number; message: string } {
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    return { status: 400, message: 'the body is not JSON' };
  }
  if (!isSetup(body)) return { status: 422, message: 'repository (owner/name) is required' };
  if (!world.repo(body.repository)) world.addRepo(body.repository, { defaultBranch: 'main' });
  try {
    if (body.commit) world.addCommit(body.repository, body.commit.sha, body.commit.branch ? { branch: body.commit.branch } : {});
    if (body.pullRequest) world.syncPullRequest(body.repository, body.pullRequest);
  } catch (error) {
    return { status: 422, message: error instanceof Error ? error.message : String(error) };
  }
  return { status: 200, message: 'ok' };
}
