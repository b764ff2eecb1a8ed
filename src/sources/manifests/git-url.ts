// What makes a git URL unsafe to keep or to hand to git: credentials written into it
// (kept in state, shown in process lists), or a part git or ssh would read as an option.

interface Parts {
  /** scheme://... or git's scp-like user@host:path. */
  form: 'url' | 'scp';
  scheme: string;
  /** What comes before the last @ of the authority; undefined without an @. */
  userinfo?: string;
  host: string;
  path: string;
}

/** scheme://[userinfo@]host/path, or git's scp-like user@host:path (as ssh). */
function partsOf(url: string): Parts | undefined {
  const hierarchical = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)(.*)$/i.exec(url);
  if (hierarchical) {
    const authority = hierarchical[2]!;
    const at = authority.lastIndexOf('@');
    return {
      form: 'url',
      scheme: hierarchical[1]!.toLowerCase(),
      ...(at === -1 ? {} : { userinfo: authority.slice(0, at) }),
      host: authority.slice(at + 1),
      path: hierarchical[3]!,
    };
  }
  const scp = /^(?:([^@/:]+)@)?([^:/]+):(.*)$/.exec(url);
  if (scp) return { form: 'scp', scheme: 'ssh', ...(scp[1] === undefined ? {} : { userinfo: scp[1] }), host: scp[2]!, path: scp[3]! };
  return undefined;
}

/**
 * A user or password in an http(s) URL, or a password in an ssh one. The user of an ssh
 * URL (git@host:path) is no secret; file:// URLs and local paths carry nothing.
 */
export function carriesCredentials(url: string): boolean {
  const parts = partsOf(url);
  if (!parts?.userinfo) return false;
  if (parts.scheme === 'https' || parts.scheme === 'http') return true;
  return parts.scheme === 'ssh' && parts.userinfo.includes(':');
}

/** Anything before an @ in a scheme://... URL, of any scheme: what a message must not repeat. */
export function hasUserinfo(url: string): boolean {
  const parts = partsOf(url);
  return parts?.form === 'url' && parts.userinfo !== undefined;
}

/** The part of an ssh URL that starts with "-" (ssh or git would take it for an option), if any. */
export function optionLikePart(url: string): 'user' | 'host' | 'path' | undefined {
  const parts = partsOf(url);
  if (parts?.scheme !== 'ssh') return undefined;
  if (parts.userinfo?.startsWith('-')) return 'user';
  if (parts.host.startsWith('-')) return 'host';
  return parts.path.startsWith('-') ? 'path' : undefined;
}
