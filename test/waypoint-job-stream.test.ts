// Re-attaching to a job's output: the server replays what is left in its ring of
// 32 x 164 entries (pkg/server/logbuffer/logbuffer.go), not everything from the start.

import { describe, expect, it } from 'vitest';
import { ReplayCursor } from '../src/waypoint/client/replay-cursor.js';
import type { TerminalEvent } from '../src/waypoint/client/messages.js';

const at = (second: number, msg: string): TerminalEvent => ({ timestamp: { seconds: String(second), nanos: 0 }, line: { msg, style: '' } });

function deliver(cursor: ReplayCursor, events: TerminalEvent[], buffered: boolean): string[] {
  const replay = cursor.replay();
  return events.filter((e) => cursor.take(e, buffered, replay)).map((e) => e.line!.msg);
}

describe('ReplayCursor', () => {
  it('delivers the new lines after a replay whose oldest lines were evicted', () => {
    const cursor = new ReplayCursor();
    expect(deliver(cursor, [1, 2, 3, 4, 5].map((s) => at(s, `l${s}`)), false)).toEqual(['l1', 'l2', 'l3', 'l4', 'l5']);
    // l1-l3 left the ring; l6 and l7 came while the stream was down.
    expect(deliver(cursor, [4, 5, 6, 7].map((s) => at(s, `l${s}`)), true)).toEqual(['l6', 'l7']);
  });

  it('skips a full replay, and tells apart lines that share one timestamp', () => {
    const cursor = new ReplayCursor();
    deliver(cursor, [at(1, 'a'), at(2, 'b'), at(2, 'c')], false);
    expect(deliver(cursor, [at(1, 'a'), at(2, 'b'), at(2, 'c'), at(2, 'd'), at(3, 'e')], true)).toEqual(['d', 'e']);
  });

  it('falls back to counting lines that carry no timestamp', () => {
    const cursor = new ReplayCursor();
    const plain = (msg: string): TerminalEvent => ({ line: { msg, style: '' } });
    deliver(cursor, [plain('x'), plain('y')], false);
    expect(deliver(cursor, [plain('x'), plain('y'), plain('z')], true)).toEqual(['z']);
  });

  it('delivers live (unbuffered) lines whatever their time', () => {
    const cursor = new ReplayCursor();
    deliver(cursor, [at(5, 'late')], false);
    expect(deliver(cursor, [at(4, 'early')], false)).toEqual(['early']);
  });
});
