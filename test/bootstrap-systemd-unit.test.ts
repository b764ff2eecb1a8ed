// deploy/cloud-init/pilot.service, the daemon's unit on the VM `pilot bootstrap` makes:
// systemd's own checker accepts it, and its command, run as the unit runs it, serves.
//
// Both run in a VM-like root in a temporary folder, laid out as cloud-init leaves the VM
// (src/bootstrap/options.ts vmPaths): /opt/pilot as `npm install --global --prefix`
// makes it (bin/pilot a relative link to lib/node_modules/pilot/bin/pilot.js, here a copy
// of this repository's, whose ../dist is this repository's dist/), /etc/pilot with the
// config and the 0600 webhook secret, /var/lib/pilot the state directory, and systemd's
// unit folders. Absolute paths of the unit (ExecStart's, WorkingDirectory=) map into it.
//
// What `systemd-analyze verify --root` checks (systemd 252): the syntax; that every key
// is known in its section and every value parses (for these it prints a warning and
// still exits 0, so any output at all fails the test here); that ExecStart's program
// exists in the root and is executable; that the units pulled in by Requires= and the
// default dependencies load. Not checked: that User=/Group= exist, that Wants= units
// (waypoint-server.service) exist, that paths named by ReadWritePaths= exist, nor any
// sandboxing (seccomp, namespaces): the daemon below runs unsandboxed, as the test's
// user, with the environment systemd gives a User= service and the unit's UMask=.

import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { chmod, copyFile, cp, mkdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vmPaths } from '../src/bootstrap/options.js';
import { startEmulator, type Emulator } from '../src/dev/waypoint-emulator/index.js';
import { createSelfSignedCertificate, type SelfSignedCertificate } from '../src/dev/waypoint-emulator/self-signed.js';
import { ensureBuiltDist } from './support/built-dist.js';
import { getJson, waitFor, webhookSecret } from './support/daemon-harness.js';
import { app, manifestRemote } from './support/daemon-scenario.js';
import { createSourceRepo, removeTemporaryFolders, temporaryFolder } from './support/git-repos.js';
import { repoRoot } from './support/reconcile-child.js';
import { commandOf, environmentOf, parseUnit, valueOf, valuesOf, type Unit } from './support/systemd-unit.js';

const execFileAsync = promisify(execFile);
const unitFile = path.join(repoRoot, 'deploy/cloud-init/pilot.service');
const systemdAnalyze = '/usr/bin/systemd-analyze';
/** systemd's PATH for services (systemd.exec(5), "Environment variables in spawned processes"). */
const servicePath = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

let unitText: string;
let unit: Unit;

beforeAll(async () => {
  unitText = await readFile(unitFile, 'utf8');
  unit = parseUnit(unitText);
});

afterAll(removeTemporaryFolders);

/** `path` of the VM, inside the root. */
const inRoot = (root: string, vmPath: string) => path.join(root, vmPath);

/** A root holding systemd's units, the unit and /opt/pilot as npm installs it. */
async function vmRoot(text: string): Promise<string> {
  const root = await temporaryFolder('pilot-vm-root-');
  // The distribution's units (sysinit.target, network-online.target, ...) that the unit's dependencies name.
  await mkdir(inRoot(root, '/usr/lib/systemd'), { recursive: true });
  await cp('/usr/lib/systemd/system', inRoot(root, '/usr/lib/systemd/system'), { recursive: true, verbatimSymlinks: true });
  await mkdir(inRoot(root, '/etc/systemd/system'), { recursive: true });
  await writeFile(inRoot(root, '/etc/systemd/system/pilot.service'), text);
  const pkg = inRoot(root, `${vmPaths.install}/lib/node_modules/pilot`);
  await mkdir(path.join(pkg, 'bin'), { recursive: true });
  await copyFile(path.join(repoRoot, 'bin/pilot.js'), path.join(pkg, 'bin/pilot.js'));
  await chmod(path.join(pkg, 'bin/pilot.js'), 0o755);
  await symlink(path.join(repoRoot, 'dist'), path.join(pkg, 'dist'));
  await mkdir(inRoot(root, `${vmPaths.install}/bin`), { recursive: true });
  // Relative, as npm links a global bin: systemd resolves it inside the root.
  await symlink('../lib/node_modules/pilot/bin/pilot.js', inRoot(root, `${vmPaths.install}/bin/pilot`));
  return root;
}

/** `systemd-analyze verify` of the unit in `root`: its exit code and every line it printed. */
async function verify(root: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(systemdAnalyze, ['verify', '--man=no', `--root=${root}`, 'pilot.service'], { cwd: root, env: { PATH: servicePath, SYSTEMD_COLORS: '0' } });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const { code, stdout = '', stderr = '', message } = error as { code?: number | string; stdout?: string; stderr?: string; message: string };
    if (code === 'ENOENT') throw new Error(`${systemdAnalyze} is missing: install systemd (Debian: apt-get install -y systemd)`);
    return { code: typeof code === 'number' ? code : -1, output: stdout + stderr || message };
  }
}

describe('systemd-analyze verify', () => {
  it('accepts the unit: no error, no warning', async () => {
    const result = await verify(await vmRoot(unitText));
    expect(result).toEqual({ code: 0, output: '' });
  });

  it.each([
    ['an unknown key', (t: string) => t.replace(/^UMask=/m, 'UMaks='), /Unknown key 'UMaks' in section \[Service\]/],
    ['a value that does not parse', (t: string) => t.replace(/^ProtectSystem=strict$/m, 'ProtectSystem=strikt'), /Failed to parse protect system value, ignoring: strikt/],
    ['an unknown system call group', (t: string) => t.replace(/^SystemCallFilter=@system-service$/m, 'SystemCallFilter=@system-servce'), /Unknown system call group, ignoring: @system-servce/],
    ['a key in the wrong section', (t: string) => t.replace(/^(StartLimitIntervalSec=0)\n([\s\S]*?\[Service\]\n)/m, '$2$1\n'), /Unknown key 'StartLimitIntervalSec' in section \[Service\]/],
  ])('reports a copy with %s', async (_, edit, expected) => {
    const broken = edit(unitText);
    expect(broken).not.toBe(unitText);
    const result = await verify(await vmRoot(broken));
    expect(result.output).toMatch(expected);
  });

  it('fails a unit whose ExecStart program is not installed', async () => {
    const root = await vmRoot(unitText);
    await writeFile(inRoot(root, '/etc/systemd/system/pilot.service'), unitText.replace(/^ExecStart=\/opt\/pilot\/bin\/pilot /m, 'ExecStart=/opt/pilot/bin/pilott '));
    const result = await verify(root);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('Command /opt/pilot/bin/pilott is not executable: No such file or directory');
  });
});

/** A port nothing listens on now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Exit of a child, or a rejection after `ms`. */
function exitOf(child: ChildProcess, ms: number, output: () => string): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the daemon did not exit within ${ms} ms; output:\n${output()}`)), ms);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
  });
}

describe('the unit\'s command', () => {
  let emulator: Emulator | undefined;
  let certificate: SelfSignedCertificate | undefined;
  let child: ChildProcess | undefined;

  beforeAll(() => ensureBuiltDist(), 300_000);

  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await emulator?.stop();
    await certificate?.remove();
  });

  it('serves: the daemon started as the unit starts it makes its Waypoint token and answers /readyz on loopback', { timeout: 120_000 }, async () => {
    const user = valueOf(unit, 'Service', 'User');
    expect(user).toBe('pilot');
    expect(valueOf(unit, 'Service', 'Group')).toBe('pilot');
    const argv = commandOf(valueOf(unit, 'Service', 'ExecStart'));
    expect(argv[0]).toBe(`${vmPaths.install}/bin/pilot`);
    const environment = environmentOf(valuesOf(unit, 'Service', 'Environment'));
    const umask = valueOf(unit, 'Service', 'UMask');
    // StateDirectory=pilot is /var/lib/pilot: the pilot user's home and the daemon's working folder.
    expect(`/var/lib/${valueOf(unit, 'Service', 'StateDirectory')}`).toBe(vmPaths.stateDir);
    const workingDirectory = valueOf(unit, 'Service', 'WorkingDirectory');

    const root = await vmRoot(unitText);
    const stateDir = inRoot(root, vmPaths.stateDir);
    await mkdir(stateDir, { recursive: true, mode: Number.parseInt(valueOf(unit, 'Service', 'StateDirectoryMode'), 8) });
    await mkdir(inRoot(root, path.dirname(vmPaths.config)), { recursive: true });
    await writeFile(inRoot(root, vmPaths.webhookSecret), `${webhookSecret}\n`, { mode: 0o600 });

    // A fresh Waypoint server with a self-signed certificate, as the VM's: the daemon has no token but the one it makes.
    certificate = await createSelfSignedCertificate();
    emulator = await startEmulator({ port: 0, stepMs: 20, concurrency: 8, tls: { cert: certificate.cert, key: certificate.key } });
    const source = await createSourceRepo('unit-web');
    const remote = await manifestRemote({ name: 'unit', apps: [app('web', source.url)] });
    const port = await freePort();
    const tokenFile = inRoot(root, vmPaths.waypointToken);
    // The VM's configuration (src/bootstrap/pilot-config.ts renders it), with this
    // machine's stand-ins: the repository is a local bare one, Waypoint the emulator on
    // loopback, paths inside the root, and no clouds (the VM's are terraform's).
    await writeFile(inRoot(root, vmPaths.config), [
      'repository:', `  url: ${remote.url}`, '  branch: main',
      `stateDir: ${stateDir}`,
      'waypoint:', `  address: ${emulator.address}`, '  tls: skip-verify', `  token: { file: ${tokenFile}, bootstrap: true }`,
      'webhooks:', '  secrets:', `    - file: ${inRoot(root, vmPaths.webhookSecret)}`,
      'http:', '  host: 127.0.0.1', `  port: ${port}`,
      'clouds:', '  mode: off',
      '',
    ].join('\n'));

    // The process systemd would start: the unit's argv with VM paths mapped into the root,
    // its UMask=, in its WorkingDirectory=, with the variables a User= service gets plus Environment=.
    const mapped = argv.map((arg) => (arg.startsWith('/') ? inRoot(root, arg) : arg));
    const env = { PATH: `${servicePath}:${path.dirname(process.execPath)}`, HOME: stateDir, USER: user, LOGNAME: user, ...environment };
    let [output, log] = ['', ''];
    child = spawn('/bin/sh', ['-c', 'umask "$0" && exec "$@"', umask, ...mapped], { cwd: inRoot(root, workingDirectory), env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (chunk: Buffer) => ((log += chunk.toString()), (output += chunk.toString())));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const started = child;

    const ready = await waitFor(async () => {
      if (started.exitCode !== null) throw new Error(`the daemon exited with ${started.exitCode}:\n${output}`);
      const answer = await getJson<{ ready: boolean; reason?: string }>(`http://127.0.0.1:${port}/readyz`);
      return answer.status === 200 ? answer : undefined;
    }, '/readyz to answer 200', 90_000).catch((error: Error) => {
      throw new Error(`${error.message}; daemon output:\n${output}`);
    });
    expect(ready.body).toEqual({ ready: true });

    // The token it made: 0600, the one the server accepts, in no log line.
    expect((await stat(tokenFile)).mode & 0o777).toBe(0o600);
    expect((await readFile(tokenFile, 'utf8')).trim()).toBe(emulator.token);
    expect(emulator.calls.get('BootstrapToken')).toBe(1);
    expect(output).toContain('"msg":"waypoint token made with BootstrapToken"');
    expect(output).not.toContain(emulator.token!);
    // --log-format json: every log line journald gets (stdout; stderr has the one banner line) is one JSON object.
    expect(log.length).toBeGreaterThan(0);
    for (const line of log.split('\n').filter(Boolean)) expect(() => JSON.parse(line), line).not.toThrow();

    // systemd stops it with SIGTERM; exit 0 is what Restart=on-failure leaves stopped.
    started.kill('SIGTERM');
    expect(await exitOf(started, 30_000, () => output)).toEqual({ code: 0, signal: null });
  });
});
