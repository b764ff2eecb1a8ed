// Where the daemon reads manifests: the tracked branch of a git repository, or (for
// development) a local folder. Both say which revision they hold and what changed.

import { folderRevision, manifestHashes } from '../sources/git/folder-revision.js';
import { discoverManifests } from '../sources/manifests/discover.js';

export interface SourceSnapshot {
  revision: string;
  dir: string;
  /** Paths changed since the previous snapshot; 'all' when unknown. */
  changed: string[] | 'all';
}

export interface ManifestSource {
  describe: string;
  /** The tracked branch (or folder) as it is now. */
  next(): Promise<SourceSnapshot>;
  /** The manifests at one commit, e.g. a pull request's head; only a git repository has it. */
  at?(commit: string, ref?: string): Promise<SourceSnapshot>;
}

/** A folder: its revision is its HEAD commit when it is a clean git work tree, else a hash of its manifests (see folder-revision). */
export function folderSource(dir: string): ManifestSource {
  let previous: Map<string, string> | undefined;
  return {
    describe: dir,
    async next() {
      const { files } = await discoverManifests(dir);
      const hashes = manifestHashes(files);
      const revision = await folderRevision(dir, files);
      let changed: string[] | 'all' = 'all';
      if (previous) {
        const before = previous;
        changed = [...new Set([...before.keys(), ...hashes.keys()])].filter((p) => before.get(p) !== hashes.get(p)).sort();
      }
      previous = hashes;
      return { revision, dir, changed };
    },
  };
}
