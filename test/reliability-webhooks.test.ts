// Reliability: a flood of signed GitHub deliveries with redeliveries and forgeries
// (test/support/reliability/webhook-flood.ts; `npm run soak` sends 10,000). The delivery
// log is filled near its bound first, so the flood crosses it.

import { afterAll, describe, expect, it } from 'vitest';
import { deliveriesKept } from '../src/store/index.js';
import { removeTemporaryFolders } from './support/git-repos.js';
import { floodSizes, runWebhookFlood } from './support/reliability/webhook-flood.js';

afterAll(async () => {
  await removeTemporaryFolders();
});

describe('a flood of deliveries, a tenth redelivered and a tenth forged', () => {
  it('acts on each valid delivery once, refuses every forgery with 401, and keeps the delivery log within its bound', { timeout: 150_000 }, async () => {
    const size = floodSizes.small;
    const result = await runWebhookFlood(size);
    const context = `seed ${size.seed}`;
    expect(result.violations, context).toEqual([]);
    expect(result.sent, context).toBe(size.deliveries);
    expect(result.statuses, context).toEqual({ 202: result.valid, 200: result.duplicates, 401: result.forged });
    expect(result.forgedReusingIds, context).toBeGreaterThan(0);
    expect(result.requests, context).toBe(result.expectedRequests);
    expect(result.handledWrong, context).toEqual([]);
    // Filled to 150 under the bound, then more than 150 new ids: exactly the bound is kept.
    expect(size.prefill + result.valid, context).toBeGreaterThan(deliveriesKept);
    expect(result.deliveryRows, context).toBe(deliveriesKept);
    expect(result.logWrong, context).toEqual([]);
  });
});
