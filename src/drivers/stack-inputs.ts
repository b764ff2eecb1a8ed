// The desired state cut into stacks: one per project, provider and region that has
// any app or database there. Apps and databases that left the manifests but may not
// be pruned stay in their stack, so Terraform never deletes what prune would keep.

import type { InventoryItem } from '../reconciler/actual-state.js';
import type { DesiredApp, DesiredDatabase, DesiredState, Provider } from '../reconciler/desired-state.js';
import type { DriverSettings, StackInput } from './contract.js';
import { stackName } from './names.js';

/** The orphans whose cloud resources stay: prune off, deletion protection on, or an empty manifest set. */
export function retainedOrphans(state: DesiredState, inventory: readonly InventoryItem[]): InventoryItem[] {
  const declared = new Set<string>();
  for (const project of state.projects) {
    for (const app of project.apps) declared.add(`app:${project.name}/${app.name}`);
    for (const db of project.databases) declared.add(`database:${project.name}/${db.name}`);
  }
  const prune = new Set(state.projects.filter((p) => p.prune).map((p) => p.name));
  const mayPrune = (item: InventoryItem) =>
    state.projects.length > 0 && prune.has(item.project) && (item.kind === 'app' || item.deletionProtection === false);
  return inventory.filter((item) => item.declared && !declared.has(`${item.kind}:${item.project}/${item.name}`) && !mayPrune(item));
}

export function stackInputs(state: DesiredState, settings: DriverSettings = {}, retained: readonly InventoryItem[] = []): StackInput[] {
  const stacks = new Map<string, StackInput>();
  const stackFor = (project: string, provider: Provider, region: string, gcpProject: string | undefined): StackInput => {
    const id = stackName(project, provider, region);
    let stack = stacks.get(id);
    if (!stack) {
      stack = { id, project, provider, region, ...(gcpProject ? { gcpProject } : {}), apps: [], databases: [], settings };
      stacks.set(id, stack);
    }
    return stack;
  };
  const apps: DesiredApp[] = state.projects.flatMap((p) => p.apps);
  const databases: DesiredDatabase[] = state.projects.flatMap((p) => p.databases);
  for (const item of retained) {
    if (item.kind === 'app') apps.push(item.declared as DesiredApp);
    else databases.push(item.declared as DesiredDatabase);
  }
  for (const app of apps) stackFor(app.project, app.provider, app.region, app.gcpProject).apps.push(app);
  for (const db of databases) stackFor(db.project, db.provider, db.region, db.gcpProject).databases.push(db);
  for (const stack of stacks.values()) {
    stack.apps.sort((a, b) => a.name.localeCompare(b.name));
    stack.databases.sort((a, b) => a.name.localeCompare(b.name));
  }
  return [...stacks.values()].sort((a, b) => a.id.localeCompare(b.id));
}
