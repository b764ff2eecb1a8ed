// One queue for every trigger: requests that arrive while a reconcile runs are merged
// into one pending request, so a burst of pushes and polls makes one more run, not many.

export type Trigger = 'startup' | 'poll' | 'webhook' | 'watch' | 'sync' | 'drift';

export interface ReconcileRequest {
  triggers: Trigger[];
  /** A full reconcile of every project (drift checks, start-up); else only what changed. */
  full: boolean;
  /** App keys whose source moved (push or release to an app's repository). */
  apps: string[];
  /** For a release: app key -> tag to deploy in place of the branch the app tracks. */
  refs: Record<string, string>;
}

export function mergeRequests(a: ReconcileRequest, b: ReconcileRequest): ReconcileRequest {
  return {
    triggers: [...new Set([...a.triggers, ...b.triggers])],
    full: a.full || b.full,
    apps: [...new Set([...a.apps, ...b.apps])].sort(),
    refs: { ...a.refs, ...b.refs },
  };
}

export function request(trigger: Trigger, extra: Partial<Omit<ReconcileRequest, 'triggers'>> = {}): ReconcileRequest {
  return { triggers: [trigger], full: extra.full ?? false, apps: extra.apps ?? [], refs: extra.refs ?? {} };
}

export class ReconcileQueue {
  private pending: ReconcileRequest | undefined;
  private wake: (() => void) | undefined;
  private closed = false;

  push(next: ReconcileRequest): void {
    if (this.closed) return;
    this.pending = this.pending ? mergeRequests(this.pending, next) : next;
    this.wake?.();
  }

  /** The next (merged) request, or undefined once closed. */
  async take(): Promise<ReconcileRequest | undefined> {
    while (!this.pending && !this.closed) await new Promise<void>((resolve) => (this.wake = resolve));
    this.wake = undefined;
    const taken = this.pending;
    this.pending = undefined;
    return this.closed ? undefined : taken;
  }

  get size(): number {
    return this.pending ? 1 : 0;
  }

  close(): void {
    this.closed = true;
    this.wake?.();
  }
}
