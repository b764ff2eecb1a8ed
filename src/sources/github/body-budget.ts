// The bytes of webhook bodies held in memory at once, across every connection: a body
// is read only while it fits, so many large or slow deliveries cannot exhaust memory.

/** 50 MB: two of GitHub's largest (25 MB) deliveries at once. */
export const defaultBodyBudgetBytes = 50 * 1024 * 1024;

export class BodyBudget {
  private held = 0;
  private highest = 0;

  constructor(readonly capBytes = defaultBodyBudgetBytes) {}

  /** Bytes held now. */
  get inFlight(): number {
    return this.held;
  }

  /** The most ever held at once. */
  get peak(): number {
    return this.highest;
  }

  /** Holds `bytes` more if they fit under the cap; false (and nothing held) if not. */
  take(bytes: number): boolean {
    if (this.held + bytes > this.capBytes) return false;
    this.held += bytes;
    this.highest = Math.max(this.highest, this.held);
    return true;
  }

  release(bytes: number): void {
    this.held = Math.max(0, this.held - bytes);
  }
}
