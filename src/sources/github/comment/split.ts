// Packs a comment's blocks into bodies of at most maxLength characters: whole blocks
// where they fit, a block cut inside only when it alone is too long for one body.

import type { Block } from './blocks.js';
import { measure, splitBlock } from './split-block.js';

export interface Frame {
  /** The first lines of body `index` (0-based) of `total`. */
  top(index: number, total: number): string[];
  /** The last line of every body but the last. */
  footer: string;
}

/** The lines a block opens a later body with, when it is not its section's first block. */
function continued(block: Block): string[] {
  return block.heading && block.lines[0] !== block.heading ? [`${block.heading} (continued)`, ''] : [];
}

export function pack(blocks: readonly Block[], maxLength: number, frame: Frame): string[] {
  // Room for the widest top a later body can have, and for the footer.
  const room = (index: number) => maxLength - measure(frame.top(index, 99_999)) - 2 - (2 + frame.footer.length);
  if (room(1) < 200) throw new RangeError(`maxLength ${maxLength} leaves no room for a plan`);
  const bodies: string[][] = [[]];
  let used = 0;
  const current = () => bodies[bodies.length - 1]!;
  const add = (lines: readonly string[]) => {
    used += current().length > 0 ? 2 + measure(lines) : measure(lines);
    if (current().length > 0) current().push('');
    current().push(...lines);
  };
  const fresh = () => {
    if (current().length === 0) return;
    bodies.push([]);
    used = 0;
  };
  const left = () => room(bodies.length - 1) - used - (current().length > 0 ? 2 : 0);
  for (const block of blocks) {
    if (measure(block.lines) <= left()) {
      add(block.lines);
      continue;
    }
    const opening = [...continued(block), ...block.lines];
    if (current().length > 0 && measure(opening) <= room(bodies.length)) {
      fresh();
      add(opening);
      continue;
    }
    // Too long for any body: start here if a quarter of a body (and its first line) fits, else in a new one.
    if (left() < room(bodies.length) / 4 || left() < (block.lines[0] ?? '').length + 40) fresh();
    const lines = current().length === 0 && bodies.length > 1 ? opening : block.lines;
    const first = bodies.length - 1;
    const prefix = block.heading ? [`${block.heading} (continued)`, ''] : [];
    const chunks = splitBlock(lines, (i) => (i === 0 ? left() : room(first + i)), prefix);
    for (const [i, chunk] of chunks.entries()) {
      if (i > 0) fresh();
      add(chunk);
    }
  }
  const total = bodies.length;
  return bodies.map((body, i) => {
    const top = frame.top(i, total);
    return [...top, ...(top.length ? [''] : []), ...body, ...(i < total - 1 ? ['', frame.footer] : [])].join('\n');
  });
}
