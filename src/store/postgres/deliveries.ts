// The GitHub delivery log: which X-GitHub-Delivery ids were seen. Several daemons may
// receive the same redelivery; the primary key decides which one acts on it. Only the
// newest rows are kept. Never fenced: a standby records deliveries too.

import type { Deliveries, DeliveryRecord } from '../../reconciler/store-port.js';
import type { Db } from './db.js';

interface DeliveryRow {
  id: string;
  event: string;
  result: string;
  received_at: string;
}

export function createDeliveries(db: Db, now: () => Date, keep: number): Deliveries & { recent(limit: number): Promise<DeliveryRecord[]> } {
  return {
    // An id another daemon is inserting makes this insert wait for its commit, then do nothing.
    claim: (id, event) => db.transaction(async (client) => {
      const { rowCount } = await client.query(
        "INSERT INTO deliveries (id, event, result, received_at) VALUES ($1, $2, 'received', $3) ON CONFLICT (id) DO NOTHING",
        [id, event, now().toISOString()]);
      if (rowCount === 0) return false;
      // Ties on received_at are broken by insertion order (seq).
      await client.query('DELETE FROM deliveries WHERE seq IN (SELECT seq FROM deliveries ORDER BY received_at DESC, seq DESC OFFSET $1)', [keep]);
      return true;
    }),

    async forget(id) {
      await db.query('DELETE FROM deliveries WHERE id = $1', [id]);
    },

    async finish(id, result) {
      await db.query('UPDATE deliveries SET result = $1 WHERE id = $2', [result, id]);
    },

    async recent(limit) {
      const { rows } = await db.query<DeliveryRow>('SELECT id, event, result, received_at FROM deliveries ORDER BY received_at DESC, seq DESC LIMIT $1', [limit]);
      return rows.map((row) => ({ id: row.id, event: row.event, result: row.result, receivedAt: row.received_at }));
    },
  };
}
