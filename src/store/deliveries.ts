// The GitHub delivery log on state.db: which X-GitHub-Delivery ids were seen, so a
// redelivery is recognised across restarts. Only the newest rows are kept. It shares
// the store's connection.

import type Database from 'better-sqlite3';
import type { DeliveryRecord, Deliveries } from '../reconciler/store-port.js';

/** GitHub redelivers within 3 days; 10,000 ids cover that for any busy hook. */
export const deliveriesKept = 10_000;

export interface DeliveryLogOptions {
  now?: () => Date;
  /** How many of the newest deliveries to keep. */
  keep?: number;
}

interface DeliveryRow {
  id: string;
  event: string;
  result: string;
  received_at: string;
}

/** The log over an open, migrated connection. */
export function createDeliveryLog(db: Database.Database, options: DeliveryLogOptions = {}): Deliveries & { recent(limit: number): Promise<DeliveryRecord[]> } {
  const now = options.now ?? (() => new Date());
  const keep = options.keep ?? deliveriesKept;
  const insert = db.prepare<[string, string, string]>(
    "INSERT INTO deliveries (id, event, result, received_at) VALUES (?, ?, 'received', ?) ON CONFLICT (id) DO NOTHING");
  // Ties on received_at are broken by insertion order (rowid).
  const prune = db.prepare<[number]>(`
    DELETE FROM deliveries WHERE rowid IN (
      SELECT rowid FROM deliveries ORDER BY received_at DESC, rowid DESC LIMIT -1 OFFSET ?)`);
  const update = db.prepare<[string, string]>('UPDATE deliveries SET result = ? WHERE id = ?');
  const recent = db.prepare<[number], DeliveryRow>(
    'SELECT id, event, result, received_at FROM deliveries ORDER BY received_at DESC, rowid DESC LIMIT ?');

  const claim = db.transaction((id: string, event: string): boolean => {
    if (insert.run(id, event, now().toISOString()).changes === 0) return false;
    prune.run(keep);
    return true;
  });

  return {
    claim: async (id, event) => claim.immediate(id, event),
    async finish(id, result) {
      update.run(result, id);
    },
    async recent(limit) {
      if (!Number.isInteger(limit) || limit < 0) throw new RangeError(`limit must be a whole number ≥ 0, got ${limit}`);
      return recent.all(limit).map((row) => ({ id: row.id, event: row.event, result: row.result, receivedAt: row.received_at }));
    },
  };
}
