// One revision id for manifests, whether they come from a commit or a folder: a clean
// git work tree is its HEAD commit; anything else (changes not committed, not a git
// folder) is `local-` and a hash of the manifest files, so unchanged files keep their id.

import { createHash } from 'node:crypto';
import { openGit } from './git.js';

export interface RevisionFile {
  /** Relative to the folder, with forward slashes. */
  path: string;
  content: string;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Path -> sha256 of the content. */
export function manifestHashes(files: readonly RevisionFile[]): Map<string, string> {
  return new Map(files.map((file) => [file.path, sha256(file.content)]));
}

/** `local-<12 hex>`: a sha256 over the sorted (path, sha256(content)) pairs. */
export function contentRevision(files: readonly RevisionFile[]): string {
  return `local-${sha256(JSON.stringify([...manifestHashes(files)].sort())).slice(0, 12)}`;
}

/** The HEAD commit when `dir` is in a git work tree with nothing uncommitted under it and every manifest tracked. */
export async function cleanHead(dir: string, files: readonly RevisionFile[]): Promise<string | undefined> {
  const git = openGit({ cwd: dir, url: dir, timeoutMs: 30_000 });
  const head = await git.run(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']);
  if (head.code !== 0) return undefined;
  const status = await git.run(['status', '--porcelain', '--untracked-files=all', '--', '.']);
  if (status.code !== 0 || status.stdout.trim() !== '') return undefined;
  const tracked = await git.run(['ls-files', '-z', '--', '.']);
  const paths = new Set(tracked.stdout.split('\0'));
  if (tracked.code !== 0 || files.some((file) => !paths.has(file.path))) return undefined;
  return head.stdout.trim();
}

export async function folderRevision(dir: string, files: readonly RevisionFile[]): Promise<string> {
  return (await cleanHead(dir, files)) ?? contentRevision(files);
}
