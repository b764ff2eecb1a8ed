// Credentials for git without leaking them: a password in the URL moves out of it, a
// token reaches git as an HTTP header through the environment of the git process
// (never a file, a command line, a URL or a log line), and no credential helper may
// store it.

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

/** Variables that could run a program or prompt; git runs unattended, so none of them is passed on. */
const dropped = [
  'GIT_ASKPASS', 'SSH_ASKPASS', 'GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY', 'GIT_CONFIG_PARAMETERS', 'GIT_CONFIG',
  'GIT_EDITOR', 'GIT_SEQUENCE_EDITOR', 'EDITOR', 'VISUAL', 'GIT_PAGER', 'PAGER', 'GIT_EXTERNAL_DIFF', 'GIT_EXEC_PATH', 'GIT_PROXY_COMMAND',
  'GIT_TEMPLATE_DIR', 'GIT_SSH', 'PREFIX',
];

/** The HTTP header a token travels in; git matches `http.<origin>/` against the remote URL, port included. */
export function authHeader(auth: GitAuth): string {
  return `Authorization: Basic ${Buffer.from(`${auth.username ?? 'x-access-token'}:${auth.token ?? ''}`).toString('base64')}`;
}

/** What must never appear in a message: the token, and the header it travels in. */
export function authSecrets(auth: GitAuth | undefined): string[] {
  return auth?.token ? [auth.token, authHeader(auth).slice('Authorization: Basic '.length)] : [];
}

function httpOrigin(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.origin : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The environment of every git command Pilot runs against `url` (free of credentials).
 * It never prompts: no terminal, no askpass, no credential helper of the machine. A
 * token goes only to the origin of `url`, as a header set through GIT_CONFIG_*; a
 * transfer slower than a byte a second for `stallSeconds` ends, so that a helper left
 * behind by a killed git does not wait forever.
 */
export function gitEnvironment(auth: GitAuth | undefined, url: string | undefined, base: NodeJS.ProcessEnv = process.env, stallSeconds = 120): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, GIT_TERMINAL_PROMPT: '0', GCM_INTERACTIVE: 'never', LC_ALL: 'C' };
  for (const name of dropped) delete env[name];
  // An empty helper clears the list, so a helper set up on the machine never stores the token.
  const config: Record<string, string> = { 'credential.helper': '', 'core.autocrlf': 'false', 'http.lowSpeedLimit': '1', 'http.lowSpeedTime': String(Math.max(1, Math.ceil(stallSeconds))) };
  const origin = url === undefined ? undefined : httpOrigin(url);
  if (auth?.token !== undefined && origin !== undefined) config[`http.${origin}/.extraHeader`] = authHeader(auth);
  withConfig(env, config);
  if (auth?.sshKeyFile !== undefined) env.GIT_SSH_COMMAND = sshCommand(auth.sshKeyFile);
  return env;
}
