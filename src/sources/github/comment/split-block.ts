// Cuts one block's lines into chunks that each fit a budget and stand alone: a chunk
// cut inside <details> or a code fence closes it, and the next chunk opens it again.

/** A structure open at a point in the lines: how to close it and how to open it again. */
interface Open {
  close: string[];
  reopen: string[];
  fence?: string;
}

/** Joined length of lines. */
export function measure(lines: readonly string[]): number {
  return lines.reduce((n, line) => n + line.length, 0) + Math.max(0, lines.length - 1);
}

/** The open structures after `line`. Only our own lines open or close: user text is escaped or fenced. */
function after(open: readonly Open[], line: string): Open[] {
  const top = open[open.length - 1];
  if (top?.fence !== undefined) return line === top.fence ? open.slice(0, -1) : [...open];
  const fence = /^( {0,3})(`{3,})/.exec(line);
  if (fence) return [...open, { fence: `${fence[1]}${fence[2]}`, close: [`${fence[1]}${fence[2]}`], reopen: [line] }];
  if (line.startsWith('<details>')) return [...open, { close: ['', '</details>'], reopen: [line.replace(/<\/summary>/, ' (continued)</summary>'), ''] }];
  if (line === '</details>' && top) return open.slice(0, -1);
  return [...open];
}

const closers = (open: readonly Open[]) => [...open].reverse().flatMap((o) => o.close);

/** Pieces of a line too long for any chunk, never cutting a character reference. */
function hardCut(line: string, size: number): string[] {
  const pieces: string[] = [];
  let rest = line;
  while (rest.length > size) {
    let at = Math.max(1, size);
    const amp = rest.lastIndexOf('&', at);
    if (amp > 0 && at - amp < 10 && !rest.slice(amp, at).includes(';')) at = amp;
    pieces.push(rest.slice(0, at));
    rest = rest.slice(at);
  }
  return [...pieces, rest];
}

/**
 * Chunks of `lines`: chunk i holds at most budget(i) characters. Chunks after the first
 * start with `prefix` (a "continued" heading) and reopen what the cut left open.
 */
export function splitBlock(lines: readonly string[], budget: (index: number) => number, prefix: readonly string[]): string[][] {
  const chunks: string[][] = [];
  let chunk: string[] = [];
  let length = 0;
  let content = 0;
  let open: Open[] = [];
  const push = (line: string) => {
    length += chunk.length > 0 ? line.length + 1 : line.length;
    chunk.push(line);
  };
  const cut = () => {
    chunks.push([...chunk, ...closers(open)]);
    chunk = [];
    length = 0;
    content = 0;
    for (const line of [...prefix, ...open.flatMap((o) => o.reopen)]) push(line);
  };
  /** The chunk's length with `line` added and everything then open closed. */
  const withLine = (line: string, next: readonly Open[]) => {
    const close = measure(closers(next));
    return length + (chunk.length > 0 ? 1 : 0) + line.length + (close > 0 || next.length > 0 ? 1 + close : 0);
  };
  for (const whole of lines) {
    const next = after(open, whole);
    if (content > 0 && withLine(whole, next) > budget(chunks.length)) cut();
    let pieces = [whole];
    if (withLine(whole, next) > budget(chunks.length)) {
      // Only when a budget is tiny: a line alone too long becomes several lines.
      pieces = hardCut(whole, Math.max(1, budget(chunks.length) - withLine('', next)));
    }
    for (const [i, piece] of pieces.entries()) {
      if (i > 0) cut();
      push(piece);
      content += 1;
    }
    open = next;
  }
  chunks.push([...chunk, ...closers(open)]);
  return chunks;
}
