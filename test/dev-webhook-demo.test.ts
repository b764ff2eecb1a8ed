// `pilot serve --demo` as a child process prints how to send it a webhook, and the
// command it prints is accepted as printed; a secret of the operator's is never printed.

import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { cli } from './support/cli.js';
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
});
