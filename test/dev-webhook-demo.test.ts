// `pilot serve --demo` as a child process prints how to send it a webhook, and the
// command it prints is accepted as printed; a secret of the operator's is never printed;
// a pull request sent that way gets its plan comment and check on the demo's GitHub
// stand-in, shown on its page.

import { execFile } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { cli } from './support/cli.js';
import { waitFor } from './support/daemon-harness.js';
import { startServe, type ServeChild } from './support/daemon-process.js';
import { killAllChildren } from './support/reconcile-child.js';

const demoRoots: string[] = [];

afterEach(async () => {
  await killAllChildren();
});

afterAll(async () => {
  for (const root of demoRoots) await rm(root, { recursive: true, force: true });
});

/** The demo's instructions, once printed; its temporary folder is removed after the tests. */
async function instructions(child: ServeChild): Promise<{ text: string; command: string[] }> {
  await child.waitFor((out) => /\n {2}pilot dev webhook .*\n/.test(out), 'the webhook instructions', 30_000);
  const text = child.output();
  demoRoots.push(path.dirname(/checked out at\n {2}(\S+)\n/.exec(text)![1]!));
  return { text, command: /\n {2}pilot (dev webhook .*)\n/.exec(text)![1]!.split(' ') };
}

describe('pilot serve --demo and webhooks', () => {
  it('prints the webhook URL, its throwaway secret and a command that sends an accepted push', { timeout: 90_000 }, async () => {
    const child = await startServe(['--demo'], {});
    const { text, command } = await instructions(child);
    const secret = command[command.indexOf('--secret') + 1]!;
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    expect(text).toContain(`GitHub webhooks: ${child.url}/webhooks/github, secret made for this demo only (a local throwaway, so it is shown here)`);
    expect(command.slice(0, 3)).toEqual(['dev', 'webhook', 'push']);
    expect(command[command.indexOf('--repo') + 1]).toMatch(/^file:\/\/\/.*\/manifests\.git$/);
    const sent = await cli(command);
    expect(sent.code, sent.stderr).toBe(0);
    expect(sent.stdout).toContain('202 Accepted');
    await child.waitFor((out) => /"event":"push","queued":true,"msg":"webhook delivery handled"/.test(out), 'the push to be queued');
    expect(await child.term()).toEqual({ code: 0, signal: null });
  });

  it('uses PILOT_WEBHOOK_SECRET when set, and does not print it', { timeout: 90_000 }, async () => {
    const given = 'operator-chosen-secret-5d2e';
    const child = await startServe(['--demo'], { PILOT_WEBHOOK_SECRET: given });
    const { text, command } = await instructions(child);
    expect(text).toContain('secret from PILOT_WEBHOOK_SECRET');
    expect(text).not.toContain(given);
    expect(command).not.toContain('--secret');
    const sent = await cli(command, { env: { PILOT_WEBHOOK_SECRET: given } });
    expect(sent.code, sent.stderr).toBe(0);
    expect(await child.term()).toEqual({ code: 0, signal: null });
  });

  it('shows the plan comment and check of a pull request on the GitHub stand-in', { timeout: 90_000 }, async () => {
    const child = await startServe(['--demo'], {});
    const { text, command } = await instructions(child);
    // Planned against what runs: first let the demo apply main.
    await child.waitFor((out) => /"outcome":"converged".*"msg":"reconcile finished"/.test(out), 'the demo applied', 60_000);
    const work = /checked out at\n {2}(\S+)\n/.exec(text)![1]!;
    const page = /GitHub stand-in: (\S+) shows/.exec(text)![1]!;
    const git = (...args: string[]) => promisify(execFile)('git', ['-c', 'user.name=T', '-c', 'user.email=t@t.invalid', ...args], { cwd: work });
    await git('checkout', '--quiet', '-b', 'more-memory');
    const file = path.join(work, 'pilot.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace('memory: 512 ', 'memory: 1024 '));
    await git('commit', '--quiet', '-am', 'more memory');
    await git('push', '--quiet', 'origin', 'more-memory');
    const pullRequest = [...command.slice(0, 2), 'pull_request', ...command.slice(3), '--head-ref', 'more-memory', '--number', '7'];
    const sent = await cli(pullRequest);
    expect(sent.code, sent.stderr).toBe(0);

    type State = { repositories: { pullRequests: { number: number; comments: { body: string; author: string }[] }[]; checkRuns: { name: string; conclusion: string | null }[] }[] };
    const state = await waitFor(async () => {
      const now = (await (await fetch(`${page}state.json`)).json()) as State;
      return now.repositories[0]?.checkRuns.some((c) => c.name === 'pilot/plan' && c.conclusion) ? now : undefined;
    }, 'the plan check on the stand-in', 30_000);
    const repository = state.repositories[0]!;
    expect(repository.checkRuns.find((c) => c.name === 'pilot/plan')?.conclusion).toBe('success');
    const comment = repository.pullRequests.find((p) => p.number === 7)!.comments[0]!;
    expect(comment.author).toMatch(/\[bot\]$/);
    expect(comment.body).toContain('memory 512 -&gt; 1024');
    expect(await (await fetch(page)).text()).toContain('Pilot plan');
    expect(await child.term()).toEqual({ code: 0, signal: null });
  });
});
