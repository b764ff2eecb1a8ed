// The Store on PostgreSQL: several daemons share it, one leads (leadership.ts) and the
// others stand by; see design.md, "Scale and high availability". A small pool serves
// the reconciler, the delivery log, the history and the inbox.

import type { Inbox, Leadership, Store } from '../../reconciler/store-port.js';
import { deliveriesKept } from '../deliveries.js';
import { runsKept } from '../sqlite-store.js';
import { openDb } from './db.js';
import { createDeliveries } from './deliveries.js';
import { createDeployLog } from './deploy-log.js';
import { createFence, fencedWrites } from './fence.js';
import { createHistory } from './history.js';
import { createInbox } from './inbox.js';
import { createInventory } from './inventory.js';
import { createJobLog } from './jobs.js';
import { createLeadership } from './leadership.js';
import { migrate } from './migrations.js';
import { createRunLog } from './runs.js';
import { parsePostgresUrl } from './url.js';

export interface PostgresStoreOptions {
  /** The clock for the timestamps the store writes itself; tests pass a fixed one. */
  now?: () => Date;
  /** How many of the newest runs (with their actions and finished jobs) to keep. */
  keepRuns?: number;
  /** How many of the newest webhook deliveries to keep. */
  keepDeliveries?: number;
}

export interface PostgresStore extends Store {
  readonly shared: { readonly leadership: Leadership; readonly inbox: Inbox };
}

/** Connects, brings the schema up to date and returns the store; store.bad-url or store.unreachable when it cannot. */
export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
  const address = parsePostgresUrl(url);
  const now = options.now ?? (() => new Date());
  const timestamp = () => now().toISOString();
  const db = openDb(address);
  try {
    await migrate(db, now);
  } catch (error) {
    await db.end().catch(() => undefined);
    throw error;
  }
  const fence = createFence();
  const write = fencedWrites(db, fence);
  const leadership = createLeadership(db, fence);
  const { recent, ...deliveries } = createDeliveries(db, now, options.keepDeliveries ?? deliveriesKept);
  let closed: Promise<void> | undefined;
  return {
    ...createRunLog(write, timestamp, options.keepRuns ?? runsKept),
    ...createJobLog(db, write),
    ...createDeployLog(db, write),
    ...createInventory(db, write, timestamp),
    // A fenced transaction that writes nothing: refused unless this store still leads.
    assertLeading: () => write(async () => undefined),
    describe: address.describe,
    deliveries,
    history: createHistory(db, recent),
    shared: { leadership, inbox: createInbox(db, write, fence, timestamp) },
    // Closing twice is harmless, as it is for the SQLite store.
    close() {
      closed ??= leadership.release().then(() => db.end());
      return closed;
    },
  };
}
