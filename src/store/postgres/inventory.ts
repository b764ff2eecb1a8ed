// What Pilot created (so pruning deletes only what it owns), and the release pins.

import type { InventoryItem } from '../../reconciler/actual-state.js';
import type { Inventory, ReleasePin, ReleasePins } from '../../reconciler/store-port.js';
import { inventoryFromRow, inventoryToRow, type InventoryRow } from '../rows.js';
import type { Db } from './db.js';
import type { FencedWrite } from './fence.js';

const inventoryColumns = 'kind, project, name, provider, region, deletion_protection, declared';

/** An inventory row as PostgreSQL returns it: deletion_protection is a boolean here, 0 or 1 in state.db. */
type PgInventoryRow = Omit<InventoryRow, 'deletion_protection'> & { deletion_protection: boolean | null };

function inventoryRow(row: PgInventoryRow): InventoryRow {
  return { ...row, deletion_protection: row.deletion_protection === null ? null : Number(row.deletion_protection) };
}

export function createInventory(db: Db, write: FencedWrite, timestamp: () => string): Inventory & ReleasePins {
  return {
    async inventory(): Promise<InventoryItem[]> {
      const { rows } = await db.query<PgInventoryRow>(`SELECT ${inventoryColumns} FROM inventory ORDER BY kind, project, name`);
      return rows.map((row) => inventoryFromRow(inventoryRow(row)));
    },

    // Adding again refreshes what may change (region, protection) and keeps added_at.
    async addToInventory(item: InventoryItem): Promise<void> {
      const row = inventoryToRow(item);
      const protection = row.deletion_protection === null ? null : row.deletion_protection === 1;
      await write((client) => client.query(`
        INSERT INTO inventory (${inventoryColumns}, added_at) VALUES ($1, $2, $3, $4, $5, $6, $7::json, $8)
        ON CONFLICT (kind, project, name) DO UPDATE SET
          provider = excluded.provider, region = excluded.region, deletion_protection = excluded.deletion_protection,
          declared = coalesce(excluded.declared, inventory.declared)`,
      [row.kind, row.project, row.name, row.provider, row.region, protection, row.declared, timestamp()]));
    },

    async removeFromInventory(kind: InventoryItem['kind'], project: string, name: string): Promise<void> {
      await write((client) => client.query('DELETE FROM inventory WHERE kind = $1 AND project = $2 AND name = $3', [kind, project, name]));
    },

    async pinRelease(pin: Omit<ReleasePin, 'at'>): Promise<void> {
      await write((client) => client.query(`
        INSERT INTO release_pins (project, app, tag, tracked_ref, base_commit, at) VALUES ($1, $2, $3, $4, $5, $6)
        ON CONFLICT (project, app) DO UPDATE SET
          tag = excluded.tag, tracked_ref = excluded.tracked_ref, base_commit = excluded.base_commit, at = excluded.at`,
      [pin.project, pin.app, pin.tag, pin.trackedRef, pin.baseCommit, timestamp()]));
    },

    async releasePins(): Promise<ReleasePin[]> {
      const { rows } = await db.query<{ project: string; app: string; tag: string; tracked_ref: string; base_commit: string; at: string }>(
        'SELECT project, app, tag, tracked_ref, base_commit, at FROM release_pins ORDER BY project, app');
      return rows.map((row) => ({ project: row.project, app: row.app, tag: row.tag, trackedRef: row.tracked_ref, baseCommit: row.base_commit, at: row.at }));
    },

    async unpinRelease(project: string, app: string): Promise<void> {
      await write((client) => client.query('DELETE FROM release_pins WHERE project = $1 AND app = $2', [project, app]));
    },
  };
}
