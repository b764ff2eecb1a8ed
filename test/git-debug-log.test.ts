// simple-git's debug log (DEBUG=simple-git:*) prints the environment of every git it
// starts; a repository token must still never reach it.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const token = 'pilot-debug-token-5b0c71';
const header = Buffer.from(`x-access-token:${token}`).toString('base64');

async function withDebugLog(script: string): Promise<string> {
  const run = promisify(execFile);
  const { stderr } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { env: { ...process.env, DEBUG: 'simple-git,simple-git:*' }, timeout: 60_000 });
  return stderr;
}

describe("simple-git's debug log", () => {
  it('shows git commands, but not the token they carry', async () => {
    const module = new URL('../src/sources/git/remote-refs.ts', import.meta.url).href;
    const stderr = await withDebugLog(`
      const { remoteCommit } = await import(${JSON.stringify(module)});
      await remoteCommit('https://127.0.0.1:1/private.git', 'main', { auth: { token: ${JSON.stringify(token)} }, timeoutMs: 10000 }).catch(() => {});
      await remoteCommit('https://127.0.0.1:1/public.git', 'main', { timeoutMs: 10000 }).catch(() => {});
    `);
    // The log is on: the command without a token went through simple-git and shows.
    expect(stderr).toContain('public.git');
    expect(stderr).not.toContain(token);
    expect(stderr).not.toContain(header);
  });
});
