// A throwaway PostgreSQL cluster for the tests: initdb into a temporary folder, one
// server on a free loopback port, scram passwords over TCP. PostgreSQL refuses to run
// as root (initdb: "cannot be run as root"), so as root the server runs as the
// `postgres` user Debian's package creates (else `nobody`). The binaries come from PATH
// or Debian's /usr/lib/postgresql/<major>/bin; `.ci/run` installs them when missing.

import { execFile, type ExecFileOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, chown, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface PostgresServer {
  /** postgres://pilot:<password>@127.0.0.1:<port>/postgres, the superuser's. */
  url: string;
  /** The postgres role's password (for URLs of other databases). */
  password: string;
  port: number;
  stop(): Promise<void>;
}

async function binDir(): Promise<string> {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && (await readFile(path.join(dir, 'initdb')).then(() => true, () => false))) return dir;
  }
  const debian = '/usr/lib/postgresql';
  const majors = await readdir(debian).catch(() => [] as string[]);
  const newest = majors.filter((m) => /^\d+$/.test(m)).sort((a, b) => Number(b) - Number(a))[0];
  if (newest) return path.join(debian, newest, 'bin');
  throw new Error('PostgreSQL is not installed (no initdb on PATH or in /usr/lib/postgresql/*/bin): apt-get install postgresql, as .ci/run does');
}

/** The user the server runs as: this one, or an unprivileged one when this is root. */
async function serverUser(): Promise<{ uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const passwd = await readFile('/etc/passwd', 'utf8');
  for (const name of ['postgres', 'nobody']) {
    const fields = passwd.split('\n').find((line) => line.startsWith(`${name}:`))?.split(':');
    if (fields) return { uid: Number(fields[2]), gid: Number(fields[3]) };
  }
  throw new Error('running as root, and neither a postgres nor a nobody user exists to run PostgreSQL as');
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function startPostgres(): Promise<PostgresServer> {
  const bin = await binDir();
  const user = await serverUser();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pilot-postgres-'));
  const password = randomBytes(12).toString('hex');
  await writeFile(path.join(dir, 'pw'), `${password}\n`, { mode: 0o600 });
  if (user) {
    await chmod(dir, 0o700);
    await chown(dir, user.uid, user.gid);
    await chown(path.join(dir, 'pw'), user.uid, user.gid);
  }
  const options: ExecFileOptions = { ...(user ? { uid: user.uid, gid: user.gid } : {}), env: { ...process.env, LC_ALL: 'C.UTF-8', HOME: dir } };
  const data = path.join(dir, 'data');
  await run(path.join(bin, 'initdb'), ['-D', data, '-U', 'pilot', `--pwfile=${path.join(dir, 'pw')}`, '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--locale=C.UTF-8'], options);
  const port = await freePort();
  // fsync off: a test cluster need not survive a power cut. max_connections: each test
  // file's stores and two daemons' pools and lock connections share this one server.
  const settings = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300`;
  await run(path.join(bin, 'pg_ctl'), ['-D', data, '-l', path.join(dir, 'log'), '-w', '-t', '60', '-o', settings, 'start'], options);
  let stopped = false;
  return {
    url: `postgres://pilot:${password}@127.0.0.1:${port}/postgres`,
    password,
    port,
    async stop() {
      if (stopped) return;
      stopped = true;
      await run(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop'], options).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
