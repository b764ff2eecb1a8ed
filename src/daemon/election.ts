// One leader among daemons sharing a store. A standby asks for the store's lock every
// retryMs; the leader proves it still holds it every renewMs, on the lock's own
// connection. The leader stops acting the moment the lock is in doubt: the connection
// closed (the server ended the session: the lock went with it), a renewal that failed,
// or one that got no answer within leaseMs (a partition: the server may free the lock
// once it notices, so this side must stop first). Stopping is for good: a daemon that
// led once does not lead again in the same process (its supervisor restarts it, as a
// standby). Fencing in the store covers the moment between losing and noticing.

import type { Lease, Leadership } from '../reconciler/store-port.js';
import type { PinoLogger } from './logger.js';

export interface ElectionTiming {
  /** How often a standby asks for the lock (default 2 s). */
  retryMs: number;
  /** How often the leader renews (default 2 s). */
  renewMs: number;
  /** A renewal unanswered this long counts as the lock lost (default 10 s). */
  leaseMs: number;
}

export const defaultElectionTiming: ElectionTiming = { retryMs: 2_000, renewMs: 2_000, leaseMs: 10_000 };

export interface LeadershipStatus {
  /** standby: waiting for the lock; leader: holding it; lost: held it and lost it (stopping). */
  role: 'standby' | 'leader' | 'lost';
  /** This daemon's name in the lease. */
  self: string;
  /** The lease as last read: who leads, since when, last renewed. */
  lease?: Lease;
  /** This daemon's generation while it leads. */
  generation?: number;
  /** Why it stopped leading. */
  lostReason?: string;
}

export interface ElectionOptions {
  leadership: Leadership;
  self: string;
  logger: PinoLogger;
  timing?: Partial<ElectionTiming>;
  /** This daemon now leads: start acting. */
  onLead(generation: number): void;
  /** It no longer does: stop acting now (called once). */
  onLost(reason: string): void;
}

export interface Election {
  readonly status: LeadershipStatus;
  /** Refreshes the lease shown (standbys show who leads). */
  refreshLease(): Promise<void>;
  stop(): Promise<void>;
}

/** Rejects when `promise` takes longer than `ms`. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

export function startElection(options: ElectionOptions): Election {
  const timing = { ...defaultElectionTiming, ...options.timing };
  const { leadership, logger } = options;
  const status: LeadershipStatus = { role: 'standby', self: options.self };
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const lose = (reason: string) => {
    // A stop gives the lock up on purpose: that is no loss to report.
    if (stopped || status.role !== 'leader') return;
    status.role = 'lost';
    status.lostReason = reason;
    clearTimeout(timer);
    logger.error({ reason, generation: status.generation }, 'lost the leadership: this daemon stops acting');
    // Gives the lock up as well: the store refuses this daemon's writes from now on, even
    // where it has not seen the loss itself (a renewal that is merely late).
    void leadership.release().catch(() => undefined);
    options.onLost(reason);
  };
  leadership.onLost(lose);

  const schedule = (ms: number, step: () => Promise<void>) => {
    if (stopped || status.role === 'lost') return;
    timer = setTimeout(() => void step(), ms);
  };

  const renew = async () => {
    try {
      const held = await within(leadership.renew(), timing.leaseMs, 'renewing the leadership');
      if (!held) return lose('the lock was gone when the lease was renewed');
    } catch (error) {
      return lose(error instanceof Error ? error.message : String(error));
    }
    schedule(timing.renewMs, renew);
    // For the page only: a read that fails (a pool connection a proxy closed) is no loss.
    status.lease = (await within(leadership.lease(), timing.leaseMs, 'reading the lease').catch(() => undefined)) ?? status.lease;
  };

  const campaign = async () => {
    try {
      const generation = await within(leadership.tryAcquire(options.self), timing.leaseMs, 'asking for the leadership');
      // Stopped while asking: a lock got meanwhile goes back at once.
      if (stopped) {
        if (generation !== undefined) await leadership.release();
        return;
      }
      if (generation !== undefined) {
        status.role = 'leader';
        status.generation = generation;
        logger.info({ generation, self: options.self }, 'leading: this daemon reconciles and plans');
        options.onLead(generation);
        schedule(timing.renewMs, renew);
        status.lease = (await leadership.lease().catch(() => undefined)) ?? status.lease;
        return;
      }
      status.lease = await leadership.lease();
    } catch (error) {
      logger.warn({ err: { message: error instanceof Error ? error.message : String(error) } }, 'could not ask for the leadership; asking again');
    }
    schedule(timing.retryMs, campaign);
  };
  void campaign();

  return {
    status,
    async refreshLease() {
      status.lease = (await leadership.lease()) ?? status.lease;
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await leadership.release().catch(() => undefined);
    },
  };
}
