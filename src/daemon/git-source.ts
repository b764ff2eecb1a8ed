// The daemon's manifest source over git: fetch the tracked branch, check out its commit.

import path from 'node:path';
import { openManifestRepo } from '../sources/git/manifest-repo.js';
import { redactUrl } from '../sources/git/resolve-commit.js';
import type { PinoLogger } from './logger.js';
import type { ManifestSource } from './manifest-source.js';

/** The manifest repository as the settings give it. */
export interface RepositorySettings {
  url: string;
  branch: string;
  token?: string;
  sshKeyFile?: string;
}

export function gitRepositorySource(repository: RepositorySettings, stateDir: string, logger: PinoLogger): ManifestSource {
  const repo = openManifestRepo({
    url: repository.url,
    branch: repository.branch,
    cacheDir: path.join(stateDir, 'manifests'),
    ...(repository.token || repository.sshKeyFile
      ? { auth: { ...(repository.token ? { token: repository.token } : {}), ...(repository.sshKeyFile ? { sshKeyFile: repository.sshKeyFile } : {}) } }
      : {}),
    logger,
  });
  return {
    describe: `${redactUrl(repository.url)}#${repository.branch}`,
    async next() {
      const fetched = await repo.fetch();
      return { revision: fetched.commit, dir: await repo.checkout(fetched.commit), changed: fetched.changedPaths };
    },
    async at(commit, ref) {
      return { revision: commit, dir: await repo.readAt(commit, ref), changed: 'all' };
    },
  };
}
