// The gRPC calls a piece of work made, counted on the emulator (Emulator.calls).

import type { Emulator } from '../../src/dev/waypoint-emulator/index.js';

/** The calls `work` made, in all and by method. */
export async function callsDuring(emulator: Emulator, work: () => Promise<unknown>): Promise<{ total: number; byMethod: Record<string, number> }> {
  const before = new Map(emulator.calls);
  await work();
  const byMethod: Record<string, number> = {};
  for (const [method, count] of emulator.calls) if (count > (before.get(method) ?? 0)) byMethod[method] = count - (before.get(method) ?? 0);
  return { total: Object.values(byMethod).reduce((a, b) => a + b, 0), byMethod };
}
