// Finds the manifest files of a repository on disk, by the spec's rules.

import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileTooLarge, limits } from './limits.js';
import { isManifestName, isNearMissName, isSkippedDirectory, type ManifestFile } from './manifest-file.js';
import type { Problem } from './problem.js';
import { readManifestFile } from './read-manifest.js';
import { createLimiter } from '../../reconciler/limiter.js';

/** What a folder listing says an entry is ('unknown': some file systems do not say, or it is a special file). */
type Listed = 'file' | 'symlink' | 'unknown';

/** Manifest files read at once. */
const readsAtOnce = 16;

export interface Discovery {
  files: ManifestFile[];
  problems: Problem[];
}

function fileProblem(file: string, rule: string, message: string, severity: Problem['severity'] = 'error'): Problem {
  return { severity, file, line: 1, col: 1, path: '', message, rule };
}

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied: make the file readable by the user running pilot';
  if (code === 'ENOENT') return 'the file vanished while it was being read';
  if (code === 'EISDIR') return 'this is a directory named like a manifest: rename it';
  return `cannot read it (${code ?? 'unknown error'})`;
}

function isInside(root: string, target: string): boolean {
  const relative = path.relative(root, target);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/**
 * A symlinked folder is never followed (its target, when inside the repository, is
 * read where it really is); one that leaves the repository is refused, not skipped,
 * so manifests never vanish silently.
 */
async function isDirectoryOutside(realRoot: string, link: string): Promise<boolean> {
  const target = await realpath(link).catch(() => undefined);
  if (target === undefined || isInside(realRoot, target) || target === realRoot) return false;
  return (await stat(target)).isDirectory();
}

/** Walks `root` in a stable (sorted) order and reads every manifest file. */
export async function discoverManifests(root: string): Promise<Discovery> {
  const realRoot = await realpath(root);
  const files: ManifestFile[] = [];
  const problems: Problem[] = [];
  let count = 0;
  let overLimit = false;

  const leavesRepository = (link: string) => isDirectoryOutside(realRoot, link);

  // Files are read a few at a time (each read is several system calls) and kept in walk order.
  const reads: Promise<ManifestFile | Problem | undefined>[] = [];
  const limit = createLimiter(readsAtOnce);

  function scheduleRead(absolute: string, relative: string, listed: Listed): void {
    count += 1;
    if (count > limits.files) {
      if (!overLimit) {
        overLimit = true;
        problems.push(
          fileProblem(relative, 'limits.files', `more than ${limits.files} manifest files in the repository: merge projects into fewer files`),
        );
      }
      return;
    }
    reads.push(limit(() => readManifest(absolute, relative, listed)));
  }

  /** `listed`: what the folder listing said it is, so a plain file costs no lstat (reading it checks its type again). */
  async function readManifest(absolute: string, relative: string, listed: Listed): Promise<ManifestFile | Problem | undefined> {
    let target = absolute;
    if (listed === 'symlink' || (listed === 'unknown' && (await lstat(absolute)).isSymbolicLink())) {
      let resolved: string;
      try {
        resolved = await realpath(absolute);
      } catch {
        return fileProblem(relative, 'files.symlink', 'this symlink points to nothing: remove it or fix its target');
      }
      if (!isInside(realRoot, resolved)) {
        return fileProblem(relative, 'files.symlink', 'this symlink points outside the repository, which Pilot never reads: replace it with the file itself');
      }
      target = resolved;
    }
    try {
      const read = await readManifestFile(target, { listedAsFile: listed === 'file' });
      if (read.kind === 'not-regular') return fileProblem(relative, 'files.not-regular', `not read: this is ${read.what}, not a regular file; a manifest must be a regular file`, 'warning');
      if (read.kind === 'too-large') return fileProblem(relative, 'limits.file-size', fileTooLarge(read.bytes));
      return { path: relative, content: read.content };
    } catch (error) {
      return fileProblem(relative, 'files.unreadable', describeFsError(error));
    }
  }

  async function walk(dir: string, prefix: string): Promise<void> {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      problems.push(fileProblem(prefix === '' ? '.' : prefix, 'files.unreadable', describeFsError(error)));
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const relative = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
      const absolute = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!isSkippedDirectory(entry.name)) await walk(absolute, relative);
      } else if (entry.isSymbolicLink() && !isSkippedDirectory(entry.name) && (await leavesRepository(absolute))) {
        problems.push(fileProblem(relative, 'files.symlink', 'this symlink points outside the repository, which Pilot never reads: remove it, or copy what it points to into the repository'));
      } else if (isManifestName(entry.name)) {
        scheduleRead(absolute, relative, entry.isFile() ? 'file' : entry.isSymbolicLink() ? 'symlink' : 'unknown');
      } else if (isNearMissName(entry.name)) {
        problems.push(
          fileProblem(relative, 'files.name', `not read: manifests end in .yaml, not .yml; rename it to ${entry.name.replace(/\.yml$/, '.yaml')}`, 'warning'),
        );
      }
    }
  }

  await walk(realRoot, '');
  for (const read of await Promise.all(reads)) {
    if (read && 'content' in read) files.push(read);
    else if (read) problems.push(read);
  }
  return { files, problems };
}
