// The commit a branch or tag of a remote repository points at, read with
// `git ls-remote` (nothing is cloned).

import { PilotError } from '../../reconciler/errors.js';
import { openGit, type GitSetup } from './git.js';

const fullCommit = /^[0-9a-f]{40}$/;

export function pickCommit(listing: string, ref: string): string | undefined {
  const refs = new Map<string, string>();
  for (const line of listing.split('\n')) {
    const [sha, name] = line.split('\t');
    if (sha && name) refs.set(name, sha);
  }
  for (const name of [`refs/heads/${ref}`, `refs/tags/${ref}^{}`, `refs/tags/${ref}`, ref]) {
    const sha = refs.get(name);
    if (sha) return sha;
  }
  return undefined;
}

/** A full commit id is returned as it is; a branch or tag the remote lacks is `source.ref-not-found`. */
export async function remoteCommit(url: string, ref: string, setup: Omit<GitSetup, 'url'> = {}): Promise<string> {
  if (fullCommit.test(ref)) return ref;
  const git = openGit({ ...setup, url });
  if (git.url.startsWith('-')) throw new PilotError('stalled', 'source.invalid-url', `${JSON.stringify(git.shown)} is not a git URL: fix source.repo`);
  if (ref.startsWith('-')) throw new PilotError('stalled', 'source.ref-not-found', `${JSON.stringify(ref)} is not a branch or tag: fix source.ref`);
  const listing = await git.must(['ls-remote', '--heads', '--tags', git.url, ref], 'read', ref);
  const commit = pickCommit(listing, ref);
  if (!commit) throw new PilotError('stalled', 'source.ref-not-found', `${git.shown} has no branch or tag ${JSON.stringify(ref)}: fix source.ref, or push it`);
  return commit;
}
