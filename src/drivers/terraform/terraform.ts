// openTerraform: settings checked once, the shared environment and CLI config, one
// Stack object per id (so its queue and known secrets are shared by every caller).

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { silentLogger } from '../../reconciler/logger.js';
import { cliConfigText, writeCliConfig } from './cli-config.js';
import { failed, invalidStackId, parseJson } from './errors.js';
import { terraformEnv } from './env.js';
import { runTerraform } from './run.js';
import type { ExecutorContext } from './session.js';
import { createQueue } from './queue.js';
import { openStack } from './stack.js';
import type { Stack, Terraform, TerraformSettings } from './types.js';
import { parseTextDiagnostics } from './text-diagnostics.js';
import { isRecord } from './ui-lines.js';

const minute = 60_000;
const stackId = /^[a-z0-9][a-z0-9-]{0,62}$/;

export function openTerraform(settings: TerraformSettings): Terraform {
  const dir = path.resolve(settings.dir);
  const pluginCache = path.resolve(settings.pluginCache ?? path.join(dir, 'plugin-cache'));
  const cliOptions = { pluginCache, ...(settings.mirror !== undefined ? { mirror: path.resolve(settings.mirror) } : {}) };
  // Checked now: a path the CLI config cannot hold is a settings error, not a failed run.
  const cliText = cliConfigText(cliOptions);
  // Written once per executor, before its first command; a failed write is tried again.
  let cliWritten: Promise<string> | undefined;
  const context: ExecutorContext = {
    binary: settings.binary ?? 'terraform',
    env: terraformEnv(settings.env ?? process.env, path.join(dir, 'terraformrc')),
    ensureCliConfig() {
      cliWritten ??= mkdir(dir, { recursive: true, mode: 0o700 })
        .then(() => writeCliConfig(dir, cliOptions))
        .then(() => cliText)
        .catch((error: unknown) => {
          cliWritten = undefined;
          throw error;
        });
      return cliWritten;
    },
    backend: settings.backend ?? { kind: 'local' },
    ...(settings.readStateFrom ? { readStateFrom: path.resolve(settings.readStateFrom) } : {}),
    initQueue: createQueue(),
    timeouts: {
      plan: settings.timeoutMs?.plan ?? 10 * minute,
      apply: settings.timeoutMs?.apply ?? 60 * minute,
      init: settings.timeoutMs?.init ?? 10 * minute,
    },
    lockWaitMs: settings.lockWaitMs ?? minute,
    killGraceMs: settings.killGraceMs ?? 10_000,
    logger: settings.logger ?? silentLogger,
    ...(settings.onProgress ? { onProgress: settings.onProgress } : {}),
  };
  const stacks = new Map<string, Stack>();

  return {
    stack(id) {
      if (!stackId.test(id)) throw invalidStackId(id);
      let stack = stacks.get(id);
      if (!stack) {
        stack = openStack(id, path.join(dir, 'stacks', id), context);
        stacks.set(id, stack);
      }
      return stack;
    },
    async version() {
      await context.ensureCliConfig();
      const command = { command: 'version' };
      const result = await runTerraform({
        binary: context.binary,
        args: ['version', '-json'],
        cwd: dir,
        env: context.env,
        timeoutMs: context.timeouts.plan,
        killGraceMs: context.killGraceMs,
        context: command,
      });
      const exit = result.signal ? `killed by ${result.signal}` : `exited with ${result.exitCode}`;
      if (result.exitCode !== 0) throw failed(command, parseTextDiagnostics(result.stderr), exit);
      const parsed = parseJson(result.stdout, command);
      const version = isRecord(parsed) ? parsed.terraform_version : undefined;
      if (typeof version !== 'string') throw failed(command, [], 'gave no terraform_version');
      return version;
    },
  };
}
