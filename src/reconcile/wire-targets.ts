// Targets joined with what the cloud stacks produced: each app's wiring (subnets,
// registry, bucket) in its rendered file and hash, and the fingerprints of the
// database values it reads, so a changed password or host redeploys its config.

import { configHash, externalConfig } from './build-targets.js';
import { connectionOf, databaseProperty, wiringOf, type StackOutputs } from '../drivers/outputs.js';
import { appKey } from '../reconciler/actual-state.js';
import type { DesiredApp } from '../reconciler/desired-state.js';
import { PilotError } from '../reconciler/errors.js';
import type { ConfigValue } from '../reconciler/ports.js';
import type { AppTarget, Targets } from '../reconciler/targets.js';
import type { AppWiring } from '../reconciler/wiring.js';
import { configFingerprint } from '../waypoint/fingerprint.js';

export type OutputsOf = (app: DesiredApp) => StackOutputs;

/** Rehashes every app of an enabled driver with its stack's wiring; returns the wiring by app key. */
export function wireTargets(targets: Targets, outputsOf: OutputsOf): Map<string, AppWiring> {
  const wirings = new Map<string, AppWiring>();
  for (const [key, target] of Object.entries(targets.apps)) {
    const { app } = target;
    if (!targets.drivers.includes(app.provider)) continue;
    const outputs = outputsOf(app);
    const wiring = wiringOf(outputs, app.name);
    wirings.set(key, wiring);
    target.configHash = configHash(app, wiring);
    for (const [name, value] of Object.entries(app.env)) {
      if (value.kind !== 'database') continue;
      const connection = connectionOf(outputs, value.database);
      if (connection) target.configFingerprints[name] = configFingerprint({ kind: 'static', value: databaseProperty(connection, value.property) });
    }
  }
  return wirings;
}

/** The values an app's config store needs; database values come from its stack's outputs. */
export function configValues(target: AppTarget, names: readonly string[], outputsOf: OutputsOf): Record<string, ConfigValue> {
  const { app } = target;
  const key = appKey(app.project, app.name);
  const values: Record<string, ConfigValue> = {};
  for (const name of names) {
    const value = app.env[name];
    if (value?.kind === 'external') {
      values[name] = externalConfig(value.ref);
      continue;
    }
    if (value?.kind !== 'database') continue;
    const connection = connectionOf(outputsOf(app), value.database);
    if (!connection) {
      throw new PilotError('stalled', 'config.database-unknown', `${key}: ${name} reads database ${value.database}, whose stack has no outputs yet (is the ${app.provider} driver enabled and the stack applied?)`);
    }
    values[name] = { kind: 'static', value: databaseProperty(connection, value.property) };
  }
  return values;
}
