// Git URLs compared by the repository they name, whatever the transport: a push
// carries https, ssh and git:// forms, and pilot's configuration may use any of them.

/** The pattern of scp-like addresses: [user@]host:path, e.g. git@github.com:o/r.git. */
const scpLike = /^(?:[^@/\s]+@)?([^:/\s]+):(?!\/\/)(.+)$/;

/**
 * `host/owner/repo` in lower case, without credentials, port, `.git` or trailing
 * slashes; undefined when the text is not a remote git URL. GitHub treats owner and
 * repository names case-insensitively, and so does this.
 */
export function normalizeRepoUrl(url: string): string | undefined {
  const text = url.trim();
  const location = text.includes('://') ? fromUrl(text) : fromScp(text);
  if (location === undefined || location.host === '') return undefined;
  const path = location.path.replace(/^\/+/, '').replace(/\/+$/, '').replace(/\.git$/i, '').replace(/\/+$/, '');
  if (path === '') return undefined;
  return `${location.host}/${path}`.toLowerCase();
}

/** True when `url` names the same repository as any of `repoUrls`. */
export function repoMatches(url: string, repoUrls: readonly string[]): boolean {
  const wanted = normalizeRepoUrl(url);
  return wanted !== undefined && repoUrls.some((candidate) => normalizeRepoUrl(candidate) === wanted);
}

function fromUrl(text: string): { host: string; path: string } | undefined {
  try {
    // hostname drops the user, password and port.
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
