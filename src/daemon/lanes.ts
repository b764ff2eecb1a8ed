// The daemon's two lanes. The apply lane holds one pending branch request, into which
// every request arriving during a run is merged; the plan lane holds the newest head
// of each pull request. Each lane has its own worker, so a plan never waits behind an
// apply (and an apply is never merged with a plan).

import { mergeRequests, type BranchRequest, type PullRequestPlan, type Request } from '../reconciler/requests.js';

/** A lane: push adds (merging as the lane's rule says), take waits for the next. */
class Lane<T> {
  private pending: T[] = [];
  private wake: (() => void) | undefined;
  private closed = false;

  constructor(private readonly add: (pending: T[], next: T) => T[]) {}

  push(next: T): void {
    if (this.closed) return;
    this.pending = this.add(this.pending, next);
    this.wake?.();
  }

  /** The next request, or undefined once closed. */
  async take(): Promise<T | undefined> {
    while (this.pending.length === 0 && !this.closed) await new Promise<void>((resolve) => (this.wake = resolve));
    this.wake = undefined;
    return this.closed ? undefined : this.pending.shift();
  }

  get size(): number {
    return this.pending.length;
  }

  close(): void {
    this.closed = true;
    this.wake?.();
  }
}

export class Lanes {
  readonly apply = new Lane<BranchRequest>((pending, next) => [pending[0] ? mergeRequests(pending[0], next) : next]);
  /** A newer head of a pull request replaces the one still waiting. */
  readonly plan = new Lane<PullRequestPlan>((pending, next) => [...pending.filter((p) => p.repository !== next.repository || p.number !== next.number), next]);

  push(request: Request): void {
    if (request.kind === 'branch') this.apply.push(request);
    else this.plan.push(request);
  }

  get size(): number {
    return this.apply.size + this.plan.size;
  }

  close(): void {
    this.apply.close();
    this.plan.close();
  }
}

/** Runs `work` on each request of `lane` in turn until the lane closes; a failure is logged, not fatal. */
export async function drain<T>(lane: { take(): Promise<T | undefined> }, work: (request: T) => Promise<void>, onError: (error: unknown) => void): Promise<void> {
  for (let next: T | undefined; (next = await lane.take()) !== undefined; ) {
    await work(next).catch(onError);
  }
}
