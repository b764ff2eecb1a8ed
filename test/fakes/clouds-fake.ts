// A Clouds with scripted stacks (planned changes, outputs before and after apply, a
// plan or an apply that fails), cut from the desired state as openClouds cuts it, and
// held to its rules: each stack planned once a run, a plan applied at most once, the
// outputs read back after apply, what the stack holds added to the inventory.

import type { CloudMode, CloudRun, Clouds } from '../../src/drivers/clouds.js';
import type { StackInput } from '../../src/drivers/contract.js';
import type { StackOutputs } from '../../src/drivers/outputs.js';
import { retainedOrphans, stackInputs } from '../../src/drivers/stack-inputs.js';
import type { InventoryItem } from '../../src/reconciler/actual-state.js';
import type { Provider } from '../../src/reconciler/desired-state.js';
import { PilotError } from '../../src/reconciler/errors.js';
import { stackId } from '../../src/reconciler/plan.js';
import type { StackChange, StackState } from '../../src/reconciler/ports.js';

/** One stack, keyed by its plan id (stack:<project>/<provider>/<region>). Unscripted stacks have nothing to change. */
export interface ScriptedStack {
  changes?: StackChange[];
  protectedAddresses?: Record<string, string>;
  /** What the stack's state has before this run applies it. */
  outputs?: StackOutputs;
  /** What it has once applied (default: `outputs`). */
  applied?: StackOutputs;
  /** Planning fails: the plan reports the stack, as openClouds does. */
  planError?: PilotError;
  /** Applying fails (once per scripted error). */
  applyError?: PilotError;
}

export interface FakeClouds extends Clouds {
  /** Stack ids applied, in order, across runs. */
  readonly applied: string[];
  /** Stack ids planned, in order, across runs (once a run each). */
  readonly planned: string[];
}

export function fakeClouds(options: { mode?: CloudMode; providers?: Provider[]; stacks?: Record<string, ScriptedStack> } = {}): FakeClouds {
  const mode = options.mode ?? 'stand-in';
  const scripts = new Map(Object.entries(options.stacks ?? {}).map(([id, stack]) => [id, structuredClone(stack)]));
  const script = (id: string) => scripts.get(id) ?? (scripts.set(id, {}), scripts.get(id)!);
  const applied: string[] = [];
  const planned: string[] = [];
  const providers = mode === 'off' ? [] : (options.providers ?? ['aws']);

  return {
    mode, applied, planned,
    async stackOutputs(input) {
      return scripts.get(stackId(input.project, input.provider, input.region))?.outputs ?? {};
    },
    run(store, logger): CloudRun {
      const states = new Map<string, StackState>();
      const plans = new Map<string, { input: StackInput; outputs: StackOutputs; fresh: boolean }>();
      async function apply(id: string): Promise<void> {
        const entry = plans.get(id);
        if (!entry?.fresh) throw new PilotError('stalled', 'stack.no-plan', `${id}: its plan was used by an earlier attempt; the next reconcile plans it again`);
        entry.fresh = false;
        const stack = script(id);
        const state = states.get(id)!;
        const error = stack.applyError;
        if (error) {
          delete stack.applyError;
          state.error = { kind: error.kind, code: error.code, message: `${entry.input.id}: ${error.message}` };
          throw error;
        }
        applied.push(id);
        // The stack now matches: the next run plans no changes and reads the new outputs.
        Object.assign(stack, { changes: [], outputs: stack.applied ?? stack.outputs ?? {} });
        entry.outputs = structuredClone(stack.outputs!);
        state.changes = [];
        // What the stack holds joins the inventory, as openClouds records it.
        const { apps, databases } = entry.input;
        const held: InventoryItem[] = [
          ...databases.map((db) => ({ kind: 'database' as const, project: db.project, name: db.name, provider: db.provider, region: db.region, deletionProtection: db.deletionProtection, declared: db })),
          ...apps.map((app) => ({ kind: 'app' as const, project: app.project, name: app.name, provider: app.provider, region: app.region, declared: app })),
        ];
        for (const item of held) await store.addToInventory(item);
        logger.info({ stack: entry.input.id }, 'stack applied');
      }
      return {
        providers,
        async plan(state, inventory, only) {
          const inputs = stackInputs(state, {}, retainedOrphans(state, inventory))
            .filter((input) => providers.includes(input.provider) && (!only || only.has(input.project)));
          return inputs.map((input) => {
            const id = stackId(input.project, input.provider, input.region);
            const known = states.get(id);
            if (known) return known;
            const { changes = [], protectedAddresses = {}, outputs = {}, planError } = script(id);
            const stack: StackState = { id, project: input.project, provider: input.provider, region: input.region, changes: structuredClone(changes), protectedAddresses };
            if (planError) stack.error = { kind: planError.kind, code: planError.code, message: `${input.id}: ${planError.message}` };
            planned.push(id);
            states.set(id, stack);
            plans.set(id, { input, outputs: structuredClone(outputs), fresh: !planError });
            return stack;
          });
        },
        outputs: (project, provider, region) => plans.get(stackId(project, provider, region))?.outputs ?? {},
        port: { apply },
      };
    },
  };
}
