// The repository fields of a sample delivery (clone_url, html_url, ssh_url, git_url,
// full_name, name, owner) for the URL it is about, in the forms GitHub gives them.

import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface SampleRepository {
  clone_url: string;
  html_url: string;
  ssh_url: string;
  git_url: string;
  /** owner/name. */
  full_name: string;
  name: string;
  owner: string;
  /** The folder of a repository on this machine, whose refs can be read for the commit. */
  localPath?: string;
}

const scpLike = /^(?:[^@/\s]+@)?([^:/\s]+):(?!\/\/)(.+)$/;

/** The fields for `url`, or undefined when it is not a git URL. */
export function sampleRepository(url: string): SampleRepository | undefined {
  const text = url.trim();
  if (/^file:/i.test(text) || path.isAbsolute(text)) return local(text);
  const remote = text.includes('://') ? fromUrl(text) : fromScp(text);
  if (remote === undefined) return undefined;
  const fullName = remote.path.replace(/^\/+|\/+$/g, '').replace(/\.git$/i, '');
  const parts = fullName.split('/');
  if (parts.length < 2 || parts.some((part) => part === '')) return undefined;
  const { web, host } = remote;
  return {
    clone_url: `${web}/${fullName}.git`,
    html_url: `${web}/${fullName}`,
    ssh_url: `git@${host}:${fullName}.git`,
    git_url: `git://${host}/${fullName}.git`,
    full_name: fullName,
    name: parts.at(-1)!,
    owner: parts.slice(0, -1).join('/'),
  };
}

/**
 * A repository on this machine has no web page, ssh or git:// address: each field
 * names it in a form git accepts (the URL as given, without `.git`, the plain path).
 * Its owner is the folder it sits in, so full_name stays owner/name.
 */
function local(text: string): SampleRepository | undefined {
  let folder: string;
  try {
    folder = path.resolve(/^file:/i.test(text) ? fileURLToPath(text) : text);
  } catch {
    return undefined;
  }
  const name = path.basename(folder).replace(/\.git$/i, '');
  if (name === '') return undefined;
  const owner = path.basename(path.dirname(folder)) || 'local';
  const cloneUrl = pathToFileURL(folder).href;
  return {
    clone_url: cloneUrl,
    html_url: cloneUrl.replace(/\.git$/i, ''),
    ssh_url: folder,
    git_url: cloneUrl,
    full_name: `${owner}/${name}`,
    name,
    owner,
    localPath: folder,
  };
}

/** `web` is where clone_url and html_url point: the URL's own scheme and port for http(s), else https on its host. */
function fromUrl(text: string): { web: string; host: string; path: string } | undefined {
  try {
    const parsed = new URL(text);
    if (parsed.hostname === '') return undefined;
    const web = /^https?:$/.test(parsed.protocol) ? `${parsed.protocol}//${parsed.host}` : `https://${parsed.hostname}`;
    return { web, host: parsed.hostname, path: decodeURIComponent(parsed.pathname) };
  } catch {
    return undefined;
  }
}

function fromScp(text: string): { web: string; host: string; path: string } | undefined {
  const match = scpLike.exec(text);
  return match === null ? undefined : { web: `https://${match[1]!}`, host: match[1]!, path: match[2]! };
}
