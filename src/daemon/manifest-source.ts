// Where the daemon reads manifests: the tracked branch of a git repository, or (for
// development) a local folder. Both say which revision they hold and what changed.

import { createHash } from 'node:crypto';
import { discoverManifests } from '../sources/manifests/discover.js';

export interface SourceSnapshot {
  revision: string;
  dir: string;
  /** Paths changed since the previous snapshot; 'all' when unknown. */
  changed: string[] | 'all';
}

export interface ManifestSource {
  describe: string;
  next(): Promise<SourceSnapshot>;
}

/** A folder: its revision is a hash of its manifests, so an unchanged folder keeps its revision. */
export function folderSource(dir: string): ManifestSource {
  let previous: Map<string, string> | undefined;
  return {
    describe: dir,
    async next() {
      const { files } = await discoverManifests(dir);
      const hashes = new Map(files.map((f) => [f.path, createHash('sha256').update(f.content).digest('hex')]));
      const revision = `local-${createHash('sha256').update(JSON.stringify([...hashes].sort())).digest('hex').slice(0, 12)}`;
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
