// The state directory's lock between real processes: exactly one of several that try
// at once takes it, a holder killed with SIGKILL leaves it free at once, and a lock
// file naming a pid that another live process now has does not block.

import { spawn, type ChildProcess } from 'node:child_process';
import { statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { lockStateDir } from '../src/app/lock.js';
import { PilotError } from '../src/reconciler/errors.js';
import { removeTemporaryFolders, temporaryFolder } from './support/git-repos.js';
import { repoRoot } from './support/reconcile-child.js';

interface Contender {
  process: ChildProcess;
  /** Sends a command and resolves with the line it answers. */
  ask(line: string): Promise<string>;
}

const started: ChildProcess[] = [];

afterEach(async () => {
  for (const child of started.splice(0)) child.kill('SIGKILL');
  await removeTemporaryFolders();
});

/** A process (test/support/lock-contender.ts) that takes the lock of `dir` when told to. */
async function contender(dir: string, command = 'pilot serve'): Promise<Contender> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/lock-contender.ts', dir, command], { cwd: repoRoot, stdio: ['pipe', 'pipe', 'inherit'] });
  started.push(child);
  const lines = createInterface({ input: child.stdout! });
  const pending: ((line: string) => void)[] = [];
  const early: string[] = [];
  lines.on('line', (line) => (pending.shift() ?? ((l: string) => early.push(l)))(line));
  const next = () => new Promise<string>((resolve) => (early.length ? resolve(early.shift()!) : pending.push(resolve)));
  expect(await next()).toBe('ready');
  return {
    process: child,
    ask(line) {
      const answer = next();
      child.stdin!.write(`${line}\n`);
      return answer;
    },
  };
}

function kill9(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

describe('the state lock between processes', () => {
  it('goes to exactly one of three processes asking at once, round after round; SIGKILL frees it at once', { timeout: 240_000 }, async () => {
    const dir = await temporaryFolder('pilot-lock-race-');
    let pool: Contender[] = await Promise.all([contender(dir), contender(dir), contender(dir)]);
    for (let round = 0; round < 50; round++) {
      const answers = await Promise.all(pool.map((c) => c.ask('take')));
      const winners = pool.filter((_, i) => answers[i] === 'held');
      expect(winners.length, `round ${round}: ${answers.join(' | ')}`).toBe(1);
      for (const answer of answers.filter((a) => a !== 'held')) expect(answer).toContain(`refused state.locked ${dir} is in use by `);
      const winner = winners[0]!;
      if (round % 2 === 0) {
        // Killed holding it: the next round, right after the exit, finds it free.
        await kill9(winner.process);
        pool = [...pool.filter((c) => c !== winner), await contender(dir)];
      } else {
        expect(await winner.ask('release')).toBe('released');
      }
    }
  });

  it('names the holder, and is free at once after the holder is killed with SIGKILL', async () => {
    const dir = await temporaryFolder('pilot-lock-kill-');
    const holder = await contender(dir, 'pilot serve');
    expect(await holder.ask('take')).toBe('held');
    const refused = (() => {
      try {
        lockStateDir(dir, 'pilot apply');
      } catch (error) {
        return error;
      }
    })();
    expect(refused).toBeInstanceOf(PilotError);
    expect((refused as PilotError).code).toBe('state.locked');
    expect((refused as PilotError).message).toBe(`${dir} is in use by pilot serve (pid ${holder.process.pid}); let it apply (push to the tracked branch, or run pilot sync), stop it first, or use another --state-dir`);

    await kill9(holder.process);
    const lock = lockStateDir(dir, 'pilot apply');
    lock.release();
  });

  it('is not held back by a lock file whose pid another live process now has', async () => {
    const dir = await temporaryFolder('pilot-lock-reused-');
    // Any live process other than a Pilot: here one that only waits.
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    started.push(other);
    writeFileSync(path.join(dir, 'daemon.lock'), `${other.pid}\npilot serve\n`);
    const lock = lockStateDir(dir, 'pilot serve');
    try {
      expect(() => lockStateDir(dir, 'pilot apply')).toThrow(`${dir} is in use by pilot serve (pid ${process.pid})`);
      // That refusal closed its own connection, not the lock: another process is refused too.
      expect(await (await contender(dir)).ask('take')).toContain(`refused state.locked ${dir} is in use by pilot serve (pid ${process.pid})`);
    } finally {
      lock.release();
    }
  });

  it('keeps its files readable by the owner only', async () => {
    const dir = path.join(await temporaryFolder('pilot-lock-mode-'), 'state');
    const lock = lockStateDir(dir, 'pilot serve');
    try {
      for (const name of ['daemon.lock', 'daemon.lock.db']) expect(statSync(path.join(dir, name)).mode & 0o777, name).toBe(0o600);
      expect(statSync(dir).mode & 0o777).toBe(0o700);
    } finally {
      lock.release();
    }
  });
});
