// The local state holds every secret of a stack in clear (a database password): after
// each terraform command that may write it, the state and its backup are private (0600).
// Real terraform, offline: built-in terraform_data only.

import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openTerraform } from '../src/drivers/terraform/index.js';
import { dataStack, recordingLogger, removeTempDirs, secret, tempDir } from './support/terraform-fixtures.js';

afterEach(async () => {
  await removeTempDirs();
});

const stateFiles = ['terraform.tfstate', 'terraform.tfstate.backup'];

async function modes(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of stateFiles) {
    const info = await stat(path.join(dir, name)).catch(() => undefined);
    if (info) out[name] = (info.mode & 0o777).toString(8);
  }
  return out;
}

describe('terraform state files', () => {
  it('are 0600 after an apply, a second apply (with a backup), a failed apply and a destroy', async () => {
    const terraform = openTerraform({ dir: await tempDir(), logger: recordingLogger() });
    const stack = terraform.stack('db');
    await stack.write(dataStack());
    await stack.apply(await stack.plan());
    expect(await readFile(path.join(stack.dir, 'terraform.tfstate'), 'utf8')).toContain(secret);
    expect(await modes(stack.dir)).toEqual({ 'terraform.tfstate': '600' });

    await stack.write(dataStack({ a: 'y' }));
    await stack.apply(await stack.plan());
    expect(await modes(stack.dir)).toEqual({ 'terraform.tfstate': '600', 'terraform.tfstate.backup': '600' });

    await stack.write(dataStack({ failing: true }));
    await expect(stack.apply(await stack.plan())).rejects.toThrow(/terraform apply for stack db failed/);
    expect(await modes(stack.dir)).toEqual({ 'terraform.tfstate': '600', 'terraform.tfstate.backup': '600' });

    await stack.destroy();
    expect(await modes(stack.dir)).toEqual({ 'terraform.tfstate': '600', 'terraform.tfstate.backup': '600' });
    expect((await stat(stack.dir)).mode & 0o777).toBe(0o700);
  });
});
