// Before `pilot dev webhook --github URL` sends a delivery, the demo's GitHub stand-in
// learns what GitHub would already know: the commit pushed, or the pull request opened,
// pushed to, closed or merged. Then Pilot's comments, checks and deployments about it
// are accepted there, as GitHub accepts them about its own pull requests.

import type { SampleChange } from './webhook-payload.js';

function setupOf(repository: string, change: SampleChange): object | undefined {
  if (change.event === 'push') {
    const branch = change.ref.startsWith('refs/heads/') ? change.ref.slice('refs/heads/'.length) : undefined;
    return { repository, commit: { sha: change.sha, ...(branch ? { branch } : {}) } };
  }
  if (change.event !== 'pull_request') return undefined;
  const { action, number, headSha, headRef, base, merged, baseSha } = change;
  // A merge the user made and pushed: the base's commit is the merge commit.
  return { repository, pullRequest: { action, number, headSha, headRef, baseRef: base, merged, ...(merged && baseSha ? { mergeSha: baseSha } : {}) } };
}

/** Tells the stand-in at `githubUrl` about `change`; throws with the stand-in's answer when it refuses. */
export async function announceToStandIn(githubUrl: string, repository: string, change: SampleChange): Promise<void> {
  const setup = setupOf(repository, change);
  if (!setup) return;
  const response = await fetch(new URL('/_stand-in/setup', githubUrl), {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(setup), signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new Error(`the GitHub stand-in at ${githubUrl} refused the setup: ${response.status} ${await response.text()}`);
}
