// The other units cloud-init writes on the Pilot VM (deploy/cloud-init/*.service): systemd's
// own checker accepts each, in a VM-like root where the programs they start exist (stubs:
// no Docker runs here); and the runner's command, as systemd hands it to the shell, runs
// the container as the image's uid 100 with the Docker socket's group. The daemon's own
// unit has its test in bootstrap-systemd-unit.test.ts.

import { execFile } from 'node:child_process';
import { chmod, copyFile, cp, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTemporaryFolders, temporaryFolder } from './support/git-repos.js';
import { repoRoot } from './support/reconcile-child.js';
import { parseUnit, splitWords, valueOf } from './support/systemd-unit.js';

const run = promisify(execFile);
const deploy = path.join(repoRoot, 'deploy/cloud-init');
const stub = '#!/bin/sh\n';

afterAll(removeTemporaryFolders);

async function units(): Promise<string[]> {
  return (await readdir(deploy)).filter((name) => name.endsWith('.service') && name !== 'pilot.service').sort();
}

/** systemd's units, the VM's, and stubs of the programs they start: /usr/bin/docker, /bin/sh, docker.service. */
async function vmRoot(): Promise<string> {
  const root = await temporaryFolder('pilot-units-root-');
  await mkdir(path.join(root, 'usr/lib/systemd'), { recursive: true });
  await cp('/usr/lib/systemd/system', path.join(root, 'usr/lib/systemd/system'), { recursive: true, verbatimSymlinks: true });
  for (const dir of ['etc/systemd/system', 'usr/bin', 'bin', 'usr/local/lib/pilot']) await mkdir(path.join(root, dir), { recursive: true });
  for (const unit of [...(await units()), 'pilot.service']) await copyFile(path.join(deploy, unit), path.join(root, 'etc/systemd/system', unit));
  for (const program of ['usr/bin/docker', 'bin/sh']) {
    await writeFile(path.join(root, program), stub);
    await chmod(path.join(root, program), 0o755);
  }
  for (const script of (await readdir(deploy)).filter((name) => name.endsWith('.sh'))) {
    await copyFile(path.join(deploy, script), path.join(root, 'usr/local/lib/pilot', script));
    await chmod(path.join(root, 'usr/local/lib/pilot', script), 0o755);
  }
  // Ubuntu's docker.io package brings this unit; here a stand-in, so Requires= resolves.
  await writeFile(path.join(root, 'etc/systemd/system/docker.service'), '[Unit]\nDescription=Docker (stand-in)\n[Service]\nExecStart=/usr/bin/docker\n');
  return root;
}

async function verify(root: string, unit: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run('/usr/bin/systemd-analyze', ['verify', '--man=no', `--root=${root}`, unit], { env: { PATH: '/usr/bin:/bin', SYSTEMD_COLORS: '0' } });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number | string; stdout?: string; stderr?: string };
    if (failed.code === 'ENOENT') throw new Error('systemd-analyze is missing: apt-get install systemd (.ci/run does)');
    return { code: Number(failed.code), output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

/** What systemd passes on for `$$` and `%%` (systemd.service(5): "Command lines"). */
const systemdUnescape = (text: string) => text.replaceAll('$$', '$').replaceAll('%%', '%');

describe('the units cloud-init writes', () => {
  it('are the ones expected', async () => {
    expect(await units()).toEqual(['pilot-configure.service', 'pilot-webhook-secret.service', 'waypoint-runner.service', 'waypoint-server.service']);
  });

  it('each passes systemd-analyze verify with nothing to say, and a broken one does not', { timeout: 60_000 }, async () => {
    const root = await vmRoot();
    for (const unit of await units()) expect({ unit, ...(await verify(root, unit)) }).toEqual({ unit, code: 0, output: '' });
    const runner = path.join(root, 'etc/systemd/system/waypoint-runner.service');
    await writeFile(runner, (await readFile(runner, 'utf8')).replace('RestartSec=10s', 'RestartSec=ten'));
    expect((await verify(root, 'waypoint-runner.service')).output).toContain('Failed to parse sec value, ignoring: ten');
  });

  it("runs the runner's container as uid 100 with the Docker socket's group, the image from boot.env", async () => {
    const work = await temporaryFolder('pilot-runner-unit-');
    const socket = path.join(work, 'docker.sock');
    await writeFile(socket, '');
    const argvFile = path.join(work, 'argv');
    const docker = path.join(work, 'docker');
    await writeFile(docker, `#!/bin/sh\nprintf '%s\\n' "$@" > ${JSON.stringify(argvFile)}\n`);
    await chmod(docker, 0o755);
    const line = valueOf(parseUnit(await readFile(path.join(deploy, 'waypoint-runner.service'), 'utf8')), 'Service', 'ExecStart');
    // systemd's unquoting of the line, its escapes, and this machine's paths in place of the VM's.
    const [shell, flag, script] = splitWords(systemdUnescape(line)).map((word) => word.replaceAll('/usr/bin/docker', docker).replaceAll('/var/run/docker.sock', socket));
    expect([shell, flag]).toEqual(['/bin/sh', '-c']);
    const image = `ghcr.io/acme/pilot-runner@sha256:${'ab'.repeat(32)}`;
    await run(shell!, [flag!, script!], { env: { PATH: '/usr/bin:/bin', PILOT_RUNNER_IMAGE: image } });
    const argv = (await readFile(argvFile, 'utf8')).trimEnd().split('\n');
    const gid = (await stat(socket)).gid;
    expect(argv.slice(argv.indexOf('--user'), argv.indexOf('--user') + 4)).toEqual(['--user', '100', '--group-add', String(gid)]);
    expect(argv).not.toContain('root');
    expect(argv).toContain(`${socket}:${socket}`);
    expect(argv.slice(argv.indexOf(image))).toEqual([image, 'runner', 'agent', '-id=static', '-state-dir=/data/runner', '-vv']);
  });
});
