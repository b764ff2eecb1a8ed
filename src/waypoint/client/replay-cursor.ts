// Which lines of a job's output a follower already delivered, across reconnects.

import type { TerminalEvent } from './messages.js';

/**
 * Which lines were delivered, to skip their replay when the stream is reopened. The
 * server replays what is still in its ring of 32 x 164 entries
 * (pkg/server/logbuffer/logbuffer.go 19-20), not every line from the start, so a count
 * of lines delivered would skip new lines once old ones were evicted. Lines are
 * placed by their timestamps instead: older than the last delivered one, or one of the
 * lines delivered at that very time, is a replay.
 */
export class ReplayCursor {
  private last = -1n;
  private atLast = 0;
  private count = 0;

  /** True when the event is new; records it as delivered. */
  take(event: TerminalEvent, buffered: boolean, replay: { sameTime: number; countOnly: number }): boolean {
    const time = event.timestamp ? BigInt(event.timestamp.seconds) * 1_000_000_000n + BigInt(event.timestamp.nanos) : undefined;
    if (buffered && time === undefined && replay.countOnly > 0) {
      replay.countOnly -= 1;
      return false;
    }
    if (buffered && time !== undefined && time < this.last) return false;
    if (buffered && time !== undefined && time === this.last && replay.sameTime > 0) {
      replay.sameTime -= 1;
      return false;
    }
    this.count += 1;
    if (time !== undefined && time === this.last) this.atLast += 1;
    else if (time !== undefined && time > this.last) [this.last, this.atLast] = [time, 1];
    return true;
  }

  /** What a new stream's replay may repeat: lines at the last time, and (without timestamps) all lines. */
  replay(): { sameTime: number; countOnly: number } {
    return { sameTime: this.atLast, countOnly: this.count };
  }
}
