// The cross-process stack lock: who counts as a live holder, stale takeover, release.

import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { acquireStackLock, lockFileName } from '../src/drivers/terraform/lock.js';
import { processId } from '../src/drivers/terraform/processes.js';
import { isPilotError } from '../src/reconciler/errors.js';
import { recordingLogger, removeTempDirs, tempDir } from './support/terraform-fixtures.js';

let sleeper: ChildProcess;
let deadPid: number;

beforeAll(async () => {
  sleeper = spawn('sleep', ['60'], { stdio: 'ignore' });
  const short = spawn('true', [], { stdio: 'ignore' });
  await new Promise((resolve) => short.once('exit', resolve));
  deadPid = short.pid!;
});

afterAll(() => {
  sleeper.kill('SIGKILL');
});

afterEach(async () => {
  await removeTempDirs();
});

async function setup(holder?: object | string) {
  const dir = await tempDir();
  const file = path.join(dir, lockFileName);
  if (holder !== undefined) await writeFile(file, typeof holder === 'string' ? holder : JSON.stringify({ since: '2026-01-01T00:00:00.000Z', token: 't', ...holder }));
  const logger = recordingLogger();
  const acquire = (waitMs = 200) => acquireStackLock(dir, { stack: 'st', command: 'plan', waitMs, logger });
  return { dir, file, logger, acquire };
}

async function lockedCode(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return isPilotError(error) ? `${error.kind}:${error.code}` : String(error);
  }
}

describe('stack lock', () => {
  it('is taken, held against a second taker, and released', async () => {
    const { file, acquire } = await setup();
    const lock = await acquire();
    expect(lock.tookOver).toBe(false);
    const content = JSON.parse(await readFile(file, 'utf8'));
    expect(content).toMatchObject({ pid: process.pid });
    expect(await lockedCode(acquire(150))).toBe('waiting:terraform.locked');
    lock.noteCommand(sleeper.pid);
    expect(JSON.parse(await readFile(file, 'utf8')).command.pid).toBe(sleeper.pid);
    lock.release();
    const again = await acquire();
    again.release();
  });

  it('waits for a live holder, then gives up with a waiting error', async () => {
    const { acquire } = await setup({ pid: sleeper.pid });
    expect(await lockedCode(acquire(300))).toBe('waiting:terraform.locked');
  });

  it('waits while the holder died but its terraform still runs', async () => {
    const { acquire } = await setup({ pid: deadPid, command: processId(sleeper.pid!) });
    expect(await lockedCode(acquire(200))).toBe('waiting:terraform.locked');
  });

  const staleCases: { name: string; holder: () => object }[] = [
    { name: 'a dead pid', holder: () => ({ pid: deadPid }) },
    { name: 'a dead pid and a dead terraform', holder: () => ({ pid: deadPid, command: { pid: deadPid } }) },
    { name: 'a reused pid (alive, but started at another time)', holder: () => ({ pid: sleeper.pid, start: '1' }) },
  ];

  it.each(staleCases)('takes over a lock held by $name and says so', async ({ holder }) => {
    const { file, logger, acquire } = await setup(holder());
    const lock = await acquire(0);
    expect(lock.tookOver).toBe(true);
    expect(JSON.parse(await readFile(file, 'utf8')).pid).toBe(process.pid);
    expect(logger.entries.map((e) => [e.level, e.message])).toEqual([['warn', 'took over a stale terraform stack lock']]);
    lock.release();
  });

  it('waits on an unreadable lock file being written, and takes over an old one', async () => {
    const fresh = await setup('{"pid":');
    expect(await lockedCode(fresh.acquire(150))).toBe('waiting:terraform.locked');
    const old = await setup('garbage');
    await utimes(old.file, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    const lock = await old.acquire(0);
    expect(lock.tookOver).toBe(true);
    lock.release();
  });

  it('never removes a lock that is no longer its own', async () => {
    const { file, acquire } = await setup();
    const lock = await acquire();
    const other = JSON.stringify({ pid: sleeper.pid, since: 'now', token: 'someone-else' });
    await writeFile(file, other);
    lock.release();
    expect(await readFile(file, 'utf8')).toBe(other);
  });
});
