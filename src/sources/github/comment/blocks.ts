// The pieces a comment is built from: blocks of markdown lines, the unit of splitting.

export interface Block {
  /** Markdown lines; blocks are joined with a blank line. */
  lines: string[];
  /** The section heading this block sits under, repeated "(continued)" when the block opens a later part. */
  heading?: string;
}

/** Groups of lines joined by one blank line, empty groups left out. */
export function paragraphs(...groups: readonly (readonly string[])[]): string[] {
  const out: string[] = [];
  for (const group of groups.filter((g) => g.length > 0)) {
    if (out.length > 0) out.push('');
    out.push(...group);
  }
  return out;
}

/** Lines longer than this fold into a <details> block. */
export const collapseOver = 12;

/** A body folded under a summary (HTML text, already escaped), balanced on its own. */
export function collapsed(summary: string, body: readonly string[]): string[] {
  return [`<details><summary>${summary}</summary>`, '', ...body, '', '</details>'];
}
