// One stack: its configuration, init, plan and apply of exactly that plan, outputs.

import { chmod, rm } from 'node:fs/promises';
import path from 'node:path';
import type { TerraformJson } from '../contract.js';
import type { StackOutputs } from '../outputs.js';
import { PilotError } from '../../reconciler/errors.js';
import { withBackend } from './backend.js';
import { failed, foreignPlan, parseJson, isStalePlanError, isStateLockError, noConfiguration, providerUnavailable, stalePlan, stateLocked, unavailableProviders } from './errors.js';
import { initFingerprint } from './init-fingerprint.js';
import { planChanges, planSecrets } from './plan-json.js';
import { addLeaves, markedLeaves } from './sensitive.js';
import { stackSessions, type CommandResult, type ExecutorContext, type Session } from './session.js';
import { copyState, exists, newPlanFile, plansDir, protectState, readConfig, readInitMarker, writeConfig, writeInitMarker } from './stack-files.js';
import type { Stack, StackPlan } from './types.js';
import { isRecord } from './ui-lines.js';

const lockTimeout = '60s';

export function openStack(id: string, dir: string, context: ExecutorContext): Stack {
  /** Values known to be secret, gathered as they pass by; scrubbed from every message. Memory only. */
  const secrets = new Set<string>();
  const sessions = stackSessions({ id, dir }, context, secrets);

  const fail = (command: string, result: CommandResult): never => {
    if (isStateLockError(result.diagnostics)) throw stateLocked({ stack: id, command }, lockTimeout);
    throw failed({ stack: id, command }, result.diagnostics, result.exit);
  };

  async function init(session: Session, command: string): Promise<void> {
    const config = await readConfig(dir);
    if (!config) throw noConfiguration(id, command);
    const fingerprint = initFingerprint(config, await context.ensureCliConfig());
    if ((await readInitMarker(dir)) === fingerprint) return;
    // Cleared first: an init that fails half-way must not count as done.
    await writeInitMarker(dir, undefined);
    // No -json: `init -json` only exists from terraform 1.9; diagnostics come from stderr.
    const args = ['-input=false', '-no-color', `-lock-timeout=${lockTimeout}`];
    const result = await context.initQueue.run(() => session.run('init', args, { timeoutMs: context.timeouts.init, output: 'text' }));
    // An init may migrate state into the local backend.
    await protectState(dir);
    if (!result.ok) {
      const providers = unavailableProviders(result.diagnostics);
      if (providers) throw providerUnavailable({ stack: id, command: 'init' }, providers);
      fail('init', result);
    }
    await writeInitMarker(dir, fingerprint);
  }

  async function plan(session: Session, destroy: boolean): Promise<StackPlan> {
    await init(session, 'plan');
    if (context.readStateFrom) await copyState(path.join(context.readStateFrom, 'stacks', id), dir, context.backend);
    const file = await newPlanFile(dir);
    const locking = context.readStateFrom ? ['-lock=false'] : [`-lock-timeout=${lockTimeout}`];
    const args = ['-input=false', '-no-color', '-json', ...locking, `-out=${file}`, ...(destroy ? ['-destroy'] : [])];
    const planned = await session.run('plan', args, { timeoutMs: context.timeouts.plan, output: 'ui' });
    if (!planned.ok) {
      await rm(file, { force: true });
      fail('plan', planned);
    }
    await chmod(file, 0o600);
    const shown = await session.run('show', ['-json', '-no-color', file], { timeoutMs: context.timeouts.plan, output: 'capture' });
    if (!shown.ok) fail('show', shown);
    // The document holds every value of the plan, secrets too: parsed here, never kept.
    const doc = parseJson(shown.stdout, { stack: id, command: 'show' });
    for (const secret of planSecrets(doc)) secrets.add(secret);
    const { changes, outputChanges } = planChanges(doc, secrets);
    return { stack: id, changes, outputChanges, empty: changes.length === 0 && outputChanges.length === 0, file, destroy };
  }

  async function apply(session: Session, saved: StackPlan): Promise<void> {
    if (context.readStateFrom) throw new PilotError('stalled', 'terraform.plan-only', `${id}: this workspace only plans (pull requests); its plans are never applied`);
    const command = saved.destroy ? 'apply (destroy)' : 'apply';
    if (!(await exists(saved.file))) throw stalePlan({ stack: id, command }, 'it was already applied or a newer plan replaced it');
    try {
      const result = await session.run('apply', ['-input=false', '-no-color', '-json', `-lock-timeout=${lockTimeout}`, saved.file], { timeoutMs: context.timeouts.apply, output: 'ui' });
      if (!result.ok) {
        if (isStalePlanError(result.diagnostics)) throw stalePlan({ stack: id, command }, 'the state changed after the plan was made');
        fail(command, result);
      }
    } finally {
      // Applied or not, a plan is used once: after a failed apply the state may have moved.
      await rm(saved.file, { force: true });
      await protectState(dir);
    }
  }

  function checkOwnPlan(saved: StackPlan): void {
    if (saved.stack !== id) throw foreignPlan(id, `it was made for stack ${saved.stack}`);
    if (path.dirname(path.resolve(saved.file)) !== plansDir(dir)) throw foreignPlan(id, `its file ${saved.file} is not one of this stack's plans`);
  }

  return {
    id,
    dir,
    write(config: TerraformJson) {
      if (!isRecord(config)) return Promise.reject(new PilotError('stalled', 'terraform.invalid-config', `stack ${id}: the configuration must be a JSON object`));
      return sessions.exclusive('write', async () => {
        // Sensitive variable defaults are secrets we can name before terraform runs at all.
        const variables = isRecord(config.variable) ? config.variable : {};
        for (const variable of Object.values(variables)) {
          if (isRecord(variable) && variable.sensitive === true) addLeaves(variable.default, secrets);
        }
        await writeConfig(dir, withBackend(config, context.backend, id));
      });
    },
    init() {
      return sessions.exclusive('init', (session) => init(session, 'init'));
    },
    plan(options = {}) {
      return sessions.exclusive('plan', (session) => plan(session, options.destroy === true));
    },
    apply(saved: StackPlan) {
      try {
        checkOwnPlan(saved);
      } catch (error) {
        return Promise.reject(error);
      }
      return sessions.exclusive('apply', (session) => apply(session, saved));
    },
    outputs() {
      return sessions.exclusive('output', async (session): Promise<StackOutputs> => {
        // Nothing written yet, so nothing applied: no outputs.
        if (!(await readConfig(dir))) return {};
        await init(session, 'output');
        const result = await session.run('output', ['-json', '-no-color'], { timeoutMs: context.timeouts.plan, output: 'capture' });
        if (!result.ok) fail('output', result);
        return readOutputs(parseJson(result.stdout || '{}', { stack: id, command: 'output' }), secrets);
      });
    },
    forget(addresses: readonly string[]) {
      return sessions.exclusive('forget', async (session) => {
        if (addresses.length === 0) return;
        await init(session, 'state rm');
        const result = await session.run('state', ['rm', '-no-color', ...addresses], { timeoutMs: context.timeouts.plan, output: 'text' });
        // The state and its backup hold secrets whatever command wrote them.
        await protectState(dir);
        if (!result.ok) fail('state rm', result);
      });
    },
    destroy() {
      return sessions.exclusive('destroy', async (session) => {
        const saved = await plan(session, true);
        if (saved.empty) await rm(saved.file, { force: true });
        else await apply(session, saved);
      });
    },
  };
}

/** `terraform output -json`; sensitive values join the stack's secrets. */
function readOutputs(parsed: unknown, secrets: Set<string>): StackOutputs {
  const outputs: StackOutputs = {};
  if (!isRecord(parsed)) return outputs;
  for (const [name, output] of Object.entries(parsed)) {
    if (!isRecord(output)) continue;
    const sensitive = output.sensitive === true;
    if (sensitive) markedLeaves(output.value, true, secrets);
    outputs[name] = { value: output.value, sensitive };
  }
  return outputs;
}
