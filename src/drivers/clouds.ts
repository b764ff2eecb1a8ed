// The cloud side of a reconcile: each stack synthesized by its driver, planned and
// applied by the Terraform executor (or its offline stand-in), its outputs kept in
// memory for the apps that read them. Failures stay per stack: one cloud down does
// not stop the others.

import type { InventoryItem } from '../reconciler/actual-state.js';
import type { DesiredState, Provider } from '../reconciler/desired-state.js';
import { isPilotError, PilotError } from '../reconciler/errors.js';
import type { Logger } from '../reconciler/logger.js';
import { stackId } from '../reconciler/plan.js';
import type { StackChange, StackPort, StackState } from '../reconciler/ports.js';
import type { Inventory } from '../reconciler/store-port.js';
import type { DriverSettings, StackInput } from './contract.js';
import type { StackOutputs } from './outputs.js';
import { protectedDatabases } from './protected.js';
import { builtInProviders, type ProviderRegistry } from './registry.js';
import { retainedOrphans, stackInputs } from './stack-inputs.js';
import { applyProgressLine, realAddress, standInConfig } from './stand-in.js';
import { openTerraform, type StackPlan, type Terraform, type TerraformSettings } from './terraform/index.js';

/** terraform: the real clouds. stand-in: terraform_data in their place (tests, the demo). off: no cloud resources. */
export type CloudMode = 'terraform' | 'stand-in' | 'off';

export interface CloudSettings {
  mode: CloudMode;
  terraform: TerraformSettings;
  drivers: DriverSettings;
}

interface Planned {
  input: StackInput;
  plan?: StackPlan;
  outputs: StackOutputs;
}

/** One reconcile's view of the stacks: plans made, outputs read, applies done. */
export interface CloudRun {
  readonly providers: Provider[];
  /** Plans every stack of the projects in `only` (all when absent); errors are returned per stack. */
  plan(state: DesiredState, inventory: readonly InventoryItem[], only?: ReadonlySet<string>): Promise<StackState[]>;
  /** The outputs of the stack that holds a project's resources in a provider and region, as known now. */
  outputs(project: string, provider: Provider, region: string): StackOutputs;
  port: StackPort;
}

export interface Clouds {
  readonly mode: CloudMode;
  run(store: Inventory, logger: Logger): CloudRun;
  /** The outputs of one stack, read from its state (for `pilot db info`). */
  stackOutputs(input: StackInput): Promise<StackOutputs>;
}

function changesOf(plan: StackPlan, standIn: boolean): StackChange[] {
  const changes: StackChange[] = [];
  for (const change of plan.changes) {
    const address = standIn ? realAddress(change.address) : change.address;
    if (!address) continue;
    const attributes = change.replaceBecause?.length ? change.replaceBecause : change.attributes.map((a) => a.name);
    changes.push({ address, action: change.action, destructive: change.destructive, ...(standIn || attributes.length === 0 ? {} : { attributes }) });
  }
  return changes;
}

/** An error of one stack, as the plan shows it: its kind kept, the stack named once. */
function stackError(stack: string, error: unknown): NonNullable<StackState['error']> {
  const known = isPilotError(error);
  const message = known ? error.message : String(error);
  return { kind: known ? error.kind : 'stalled', code: known ? error.code : 'driver.failed', message: message.includes(stack) ? message : `${stack}: ${message}` };
}

export interface CloudHooks {
  /**
   * Terraform's progress while a stack is applied ("aws_db_instance.db-main: Creating..."),
   * addresses as the real stack names them. Planning, which only reads, is not reported.
   */
  onProgress?: (stack: string, message: string) => void;
  logger?: Logger;
}

/** `providers`: the clouds whose stacks are planned (a test may register one more). */
export function openClouds(settings: CloudSettings, hooks: CloudHooks = {}, providers: ProviderRegistry = builtInProviders): Clouds {
  const standIn = settings.mode === 'stand-in';
  const onProgress = hooks.onProgress;
  const applying = new Set<string>();
  const forward = ({ stack, message }: { stack: string; message: string }) => {
    if (!applying.has(stack)) return;
    const line = applyProgressLine(message, standIn);
    if (line !== undefined) onProgress!(stack, line);
  };
  const terraformSettings: TerraformSettings = {
    ...settings.terraform,
    ...(hooks.logger ? { logger: hooks.logger } : {}),
    ...(onProgress ? { onProgress: forward } : {}),
  };
  const terraform: Terraform | undefined = settings.mode === 'off' ? undefined : openTerraform(terraformSettings);
  const configOf = async (input: StackInput) => {
    const config = (await providers.get(input.provider).driver()).synth(input);
    return { config, written: standIn ? standInConfig(config) : config };
  };

  return {
    mode: settings.mode,

    async stackOutputs(input) {
      if (!terraform) return {};
      return terraform.stack(input.id).outputs();
    },

    run(store, logger) {
      // Each stack is planned once per run; a second plan() (after the stacks were
      // applied) answers from here, so a failed stack is not applied twice.
      const planned = new Map<string, Planned>();
      const states = new Map<string, StackState>();
      const enabled: Provider[] = terraform ? [...providers.names] : [];

      async function planStack(input: StackInput): Promise<StackState> {
        const id = stackId(input.project, input.provider, input.region);
        const state: StackState = { id, project: input.project, provider: input.provider, region: input.region, changes: [], protectedAddresses: {} };
        try {
          const { config, written } = await configOf(input);
          state.protectedAddresses = protectedDatabases(config);
          const stack = terraform!.stack(input.id);
          await stack.write(written);
          await stack.init();
          const plan = await stack.plan();
          state.changes = changesOf(plan, standIn);
          planned.set(id, { input, plan, outputs: await stack.outputs() });
        } catch (error) {
          state.error = stackError(input.id, error);
          planned.set(id, { input, outputs: {} });
          logger.warn({ stack: input.id, code: state.error.code }, 'stack could not be planned');
        }
        return state;
      }

      return {
        providers: enabled,
        async plan(state, inventory, only) {
          if (!terraform) return [];
          const inputs = stackInputs(state, settings.drivers, retainedOrphans(state, inventory)).filter((s) => !only || only.has(s.project));
          return Promise.all(inputs.map(async (input) => {
            const id = stackId(input.project, input.provider, input.region);
            const known = states.get(id) ?? (await planStack(input));
            states.set(id, known);
            return known;
          }));
        },
        outputs(project, provider, region) {
          return planned.get(stackId(project, provider, region))?.outputs ?? {};
        },
        port: {
          async apply(id) {
            const entry = planned.get(id);
            if (!entry?.plan || !terraform) {
              throw new PilotError('stalled', 'stack.no-plan', `${id}: its plan was used by an earlier attempt; the next reconcile plans it again`);
            }
            const stack = terraform.stack(entry.input.id);
            const state = states.get(id)!;
            applying.add(entry.input.id);
            try {
              await stack.apply(entry.plan);
              entry.outputs = await stack.outputs();
            } catch (error) {
              state.error = stackError(entry.input.id, error);
              throw error;
            } finally {
              applying.delete(entry.input.id);
              delete entry.plan;
            }
            state.changes = [];
            // What the stack now holds, so it stays there after leaving the manifests.
            for (const db of entry.input.databases) {
              await store.addToInventory({ kind: 'database', project: db.project, name: db.name, provider: db.provider, region: db.region, deletionProtection: db.deletionProtection, declared: db });
            }
            for (const app of entry.input.apps) {
              await store.addToInventory({ kind: 'app', project: app.project, name: app.name, provider: app.provider, region: app.region, declared: app });
            }
            logger.info({ stack: entry.input.id }, 'stack applied');
          },
        },
      };
    },
  };
}
