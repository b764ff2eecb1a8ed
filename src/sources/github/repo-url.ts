// Git URLs compared by the repository they name, whatever the transport: a push
// carries https, ssh and git:// forms, and pilot's configuration may use any of them,
// or a repository on this machine (file:// or a plain absolute path, as git allows).

import { posix } from 'node:path';

/** The pattern of scp-like addresses: [user@]host:path, e.g. git@github.com:o/r.git. */
const scpLike = /^(?:[^@/\s]+@)?([^:/\s]+):(?!\/\/)(.+)$/;

/**
 * `host/owner/repo` in lower case, without credentials, port, `.git` or trailing
 * slashes; undefined when the text is not a git URL. GitHub treats owner and
 * repository names case-insensitively, and so does this. A repository on this
 * machine is `file://<absolute path>` instead (see localKey).
 */
export function normalizeRepoUrl(url: string): string | undefined {
  const text = url.trim();
  if (/^file:/i.test(text) || text.startsWith('/')) return localKey(text);
  const location = text.includes('://') ? fromUrl(text) : fromScp(text);
  if (location === undefined || location.host === '') return undefined;
  const path = withoutGitSuffix(location.path).replace(/^\/+/, '');
  if (path === '') return undefined;
  return `${location.host}/${path}`.toLowerCase();
}

/** True when `url` names the same repository as any of `repoUrls`. */
export function repoMatches(url: string, repoUrls: readonly string[]): boolean {
  const wanted = normalizeRepoUrl(url);
  return wanted !== undefined && repoUrls.some((candidate) => normalizeRepoUrl(candidate) === wanted);
}

/**
 * `file:///srv/git/infra` for file:///srv/git/infra.git, file://localhost/srv/git/infra/
 * or /srv/git/infra.git. No remote key has a colon, so none can equal it (`file/...`
 * could: git@file:srv/x names host "file"). The case is kept: paths are case-sensitive.
 * Symbolic links are not followed (this stays a pure function of the text). A file URL
 * naming another host is not on this machine, and matches nothing.
 */
function localKey(text: string): string | undefined {
  let file = text;
  if (/^file:/i.test(text)) {
    const location = fromUrl(text);
    if (location === undefined || location.host !== '') return undefined;
    file = location.path;
  }
  // normalize resolves `.` and `..` and collapses repeated slashes.
  const path = withoutGitSuffix(posix.normalize(file));
  return path.startsWith('/') && path !== '/' ? `file://${path}` : undefined;
}

function withoutGitSuffix(path: string): string {
  return path.replace(/\/+$/, '').replace(/\.git$/i, '').replace(/\/+$/, '');
}

function fromUrl(text: string): { host: string; path: string } | undefined {
  try {
    // hostname drops the user, password and port; for file: URLs, also "localhost".
    const parsed = new URL(text);
    return { host: parsed.hostname, path: decodeURIComponent(parsed.pathname) };
  } catch {
    return undefined;
  }
}

function fromScp(text: string): { host: string; path: string } | undefined {
  const match = scpLike.exec(text);
  return match === null ? undefined : { host: match[1] as string, path: match[2] as string };
}
