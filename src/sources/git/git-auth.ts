// Credentials for git without leaking them: a password in the URL moves out of it, a
// token reaches git through an askpass script that reads it from the environment of
// the git process (never a file, a command line or a log line), and no credential
// helper may store it.

import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface GitAuth {
  /** A token or password for HTTPS. */
  token?: string;
  /** Default: x-access-token, the user name GitHub expects with a token. */
  username?: string;
  /** A private key for SSH remotes. */
  sshKeyFile?: string;
}

export interface SplitUrl {
  /** The URL without a password: safe to store as origin and to show. */
  url: string;
  username?: string;
  password?: string;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** https://user:secret@host/x -> https://host/x plus the credentials; a user name alone (ssh://git@host) stays. */
export function splitCredentials(url: string): SplitUrl {
  const match = /^([a-z][a-z0-9+.-]*:\/\/)([^@/?#]*)@(.*)$/is.exec(url);
  const userinfo = match?.[2];
  if (!match || userinfo === undefined || !userinfo.includes(':')) return { url };
  const colon = userinfo.indexOf(':');
  const username = decode(userinfo.slice(0, colon));
  return { url: `${match[1]}${match[3]}`, ...(username ? { username } : {}), password: decode(userinfo.slice(colon + 1)) };
}

const askpassScript = `#!/bin/sh
# Written by Pilot: answers git's prompts from the environment of the git process.
case "$1" in
  Username*) printf '%s\\n' "$PILOT_GIT_USERNAME" ;;
  *) printf '%s\\n' "$PILOT_GIT_PASSWORD" ;;
esac
`;

/** ssh with one key and no prompt: git's GIT_SSH_COMMAND. */
export function sshCommand(keyFile: string): string {
  return `ssh -i ${shellQuote(keyFile)} -o IdentitiesOnly=yes -o StrictHostKeyChecking=accept-new -o BatchMode=yes`;
}

function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/** Appends config through GIT_CONFIG_COUNT (git >= 2.31), which, unlike -c, no other user sees in ps. */
export function withConfig(env: NodeJS.ProcessEnv, entries: Record<string, string>): void {
  let count = Number(env.GIT_CONFIG_COUNT ?? 0) || 0;
  for (const [key, value] of Object.entries(entries)) {
    env[`GIT_CONFIG_KEY_${count}`] = key;
    env[`GIT_CONFIG_VALUE_${count}`] = value;
    count += 1;
  }
  env.GIT_CONFIG_COUNT = String(count);
}

/**
 * The environment every git command of the manifest repository runs with. It never
 * prompts: no terminal, and no askpass but ours.
 */
export async function gitEnvironment(auth: GitAuth, cacheDir: string, base: NodeJS.ProcessEnv = process.env): Promise<NodeJS.ProcessEnv> {
  const env: NodeJS.ProcessEnv = { ...base, GIT_TERMINAL_PROMPT: '0', GCM_INTERACTIVE: 'never', LC_ALL: 'C' };
  for (const name of ['GIT_ASKPASS', 'SSH_ASKPASS', 'GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY']) delete env[name];
  // An empty helper clears the list, so a helper set up on the machine never stores the token.
  withConfig(env, { 'credential.helper': '', 'core.autocrlf': 'false' });
  if (auth.token !== undefined) {
    await mkdir(cacheDir, { recursive: true, mode: 0o700 });
    const script = path.join(cacheDir, 'git-askpass.sh');
    await writeFile(script, askpassScript, { mode: 0o700 });
    await chmod(script, 0o700);
    env.GIT_ASKPASS = script;
    env.PILOT_GIT_USERNAME = auth.username ?? 'x-access-token';
    env.PILOT_GIT_PASSWORD = auth.token;
  }
  if (auth.sshKeyFile !== undefined) env.GIT_SSH_COMMAND = sshCommand(auth.sshKeyFile);
  return env;
}
