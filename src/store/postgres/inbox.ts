// Work any daemon hands to the leader. Taking marks items with the taker's generation:
// an item a dead leader took (an older generation) is taken again by the next one.

import type { Inbox } from '../../reconciler/store-port.js';
import type { Db } from './db.js';
import type { Fence, FencedWrite } from './fence.js';

export function createInbox(db: Db, write: FencedWrite, fence: Fence, timestamp: () => string): Inbox {
  return {
    // Not fenced: a standby receives webhooks and hands them on.
    async post(item: unknown): Promise<void> {
      const json = JSON.stringify(item) as string | undefined;
      if (json === undefined) throw new TypeError(`an inbox item must be a JSON value, not ${typeof item}`);
      await db.query('INSERT INTO inbox (item, posted_at) VALUES ($1::json, $2)', [json, timestamp()]);
    },

    async take(limit: number): Promise<{ id: number; item: unknown }[]> {
      if (!Number.isInteger(limit) || limit < 0) throw new RangeError(`limit must be a whole number ≥ 0, got ${limit}`);
      const generation = fence.generation;
      if (generation === undefined) throw new Error('only the leader takes from the inbox: call leadership.tryAcquire first');
      // SKIP LOCKED: an item another transaction is marking is left to it, never waited for.
      const { rows } = await write((client) => client.query<{ id: number; item: string }>(`
        UPDATE inbox SET taken_generation = $1 WHERE id IN (
          SELECT id FROM inbox WHERE taken_generation IS NULL OR taken_generation < $1 ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED)
        RETURNING id, item`, [generation, limit]));
      return rows.sort((a, b) => a.id - b.id).map((row) => ({ id: row.id, item: JSON.parse(row.item) as unknown }));
    },

    // Fenced too: a leader that lost the lock may not have finished the item, so it
    // stays for the next leader to take.
    async done(id: number): Promise<void> {
      await write((client) => client.query('DELETE FROM inbox WHERE id = $1', [id]));
    },
  };
}
