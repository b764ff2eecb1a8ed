// A job's terminal output as the real server keeps it: in memory only, in
// logbuffer.Buffer (pkg/server/logbuffer/logbuffer.go 19-20, 75-116): 32 chunks of 164
// entries; when the last chunk fills, the whole set is replaced by an empty one, so a
// reader that starts later sees only what was written since (at most 5,247 entries).
// Readers keep their own place and read at most 64 entries at a time, never across a
// chunk (pkg/server/singleprocess/logstream.go 116; logbuffer.go 211-237, 358-401).

import type { TerminalEvent } from './types.js';

export const chunkCount = 32;
export const chunkSize = 164;
export const readLimit = 64;

export interface OutputRing {
  chunks: TerminalEvent[][];
  current: number;
}

export interface RingReader {
  ring: OutputRing;
  chunks: TerminalEvent[][];
  index: number;
  cursor: number;
}

function emptyChunks(): TerminalEvent[][] {
  return Array.from({ length: chunkCount }, () => []);
}

export function createRing(): OutputRing {
  return { chunks: emptyChunks(), current: 0 };
}

export function writeRing(ring: OutputRing, events: readonly TerminalEvent[]): void {
  for (const event of events) {
    const chunk = ring.chunks[ring.current]!;
    chunk.push(event);
    if (chunk.length < chunkSize) continue;
    ring.current++;
    // Readers still on the old set finish it; new readers start on the fresh one.
    if (ring.current >= chunkCount) Object.assign(ring, { chunks: emptyChunks(), current: 0 });
  }
}

/** Buffer.Reader(-1): from the start of the current set of chunks. */
export function openReader(ring: OutputRing): RingReader {
  return { ring, chunks: ring.chunks, index: 0, cursor: 0 };
}

/** Reader.Read(64, false): the next entries of one chunk, or undefined when there are none yet. */
export function readBatch(reader: RingReader): TerminalEvent[] | undefined {
  const chunk = reader.chunks[reader.index]!;
  const end = Math.min(chunk.length, reader.cursor + readLimit);
  const batch = end > reader.cursor ? chunk.slice(reader.cursor, end) : undefined;
  reader.cursor = end;
  if (reader.cursor >= chunkSize) {
    reader.index++;
    reader.cursor = 0;
    if (reader.index >= reader.chunks.length) Object.assign(reader, { chunks: reader.ring.chunks, index: 0 });
  }
  return batch;
}

/** ReadCompleted: everything a new reader can still get, in one list. */
export function readAll(ring: OutputRing | undefined): TerminalEvent[] {
  if (!ring) return [];
  const reader = openReader(ring);
  const events: TerminalEvent[] = [];
  for (let batch = readBatch(reader); batch; batch = readBatch(reader)) events.push(...batch);
  return events;
}
