// Makes text from manifests, plans and jobs inert in a GitHub comment: no markdown, no
// HTML, no @mentions, #123 references or :emoji:, one line; links only to http(s) URLs.
// Character references work both in markdown and inside HTML blocks like <summary>.

const entities: Record<string, string> = {
  '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '\\': '&#92;', '`': '&#96;', '*': '&#42;',
  _: '&#95;', '[': '&#91;', ']': '&#93;', '|': '&#124;', '~': '&#126;', $: '&#36;', '#': '&#35;',
};

/** A zero-width space: invisible, but GitHub no longer links what it splits. */
const zwsp = '&#8203;';

/** GitHub's emoji names made only of digits and signs; the rest contain a letter. */
const numericEmoji = new Set(['100', '1234', '+1', '-1']);

// C0/C1 controls (tab and newline are collapsed first) and the bidi controls that reorder what is shown.
const invisible = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const ansi = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;

/** At most `max` characters, ending in an ellipsis when cut. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  // Never half a surrogate pair.
  return `${/[\ud800-\udbff]$/.test(cut) ? cut.slice(0, -1) : cut}…`;
}

/** One line: whitespace runs become one space, controls go. */
export function oneLine(text: string): string {
  return text.replace(ansi, '').replace(/\s+/g, ' ').replace(invisible, '').trim();
}

/** Positions after which a zero-width space goes: mentions, #123 and GH-123 references, :emoji: names. */
function breaks(plain: string): Set<number> {
  const at = new Set<number>();
  for (const m of plain.matchAll(/@|#(?=\d)|\bgh(?=-\d)/gi)) at.add(m.index + m[0].length - 1);
  for (const m of plain.matchAll(/:(?=([a-z0-9_+-]+):)/gi)) {
    if (/[a-z_]/i.test(m[1]!) || numericEmoji.has(m[1]!)) at.add(m.index);
  }
  return at;
}

/** User text as inert inline markdown (also valid inside an HTML element), on one line, clipped to `max`. */
export function inline(text: string, max = 2000): string {
  const plain = clip(oneLine(text), max);
  const after = breaks(plain);
  // What would start a list, a quote, a heading or a setext underline at the start of a line.
  const lead = /^[-+=>]/.test(plain) ? 0 : (/^\d+[.)]/.exec(plain)?.[0].length ?? 0) - 1;
  let out = '';
  for (let i = 0; i < plain.length; i += 1) {
    const c = plain[i]!;
    // An underscore between letters or digits can neither open nor close emphasis.
    const intraword = c === '_' && /[A-Za-z0-9]/.test(plain[i - 1] ?? '') && /[A-Za-z0-9]/.test(plain[i + 1] ?? '');
    out += intraword ? c : (entities[c] ?? (i === lead ? `&#${c.charCodeAt(0)};` : c));
    if (after.has(i)) out += zwsp;
  }
  return out;
}

/** The URL when it is safe to link to: http(s), nothing that could end the link or start HTML. */
export function safeUrl(url: string): string | undefined {
  return /^https?:\/\/[^\s<>"')\\`]+$/i.test(url) ? url : undefined;
}

/** `[text](url)` when the URL is safe, else the text (or the URL) as inert text. */
export function link(text: string, url: string | undefined): string {
  const safe = url === undefined ? undefined : safeUrl(url);
  return safe ? `[${inline(text)}](${safe})` : inline(text);
}

/** A URL shown as itself: a link when safe, else inert text. */
export function urlLink(url: string): string {
  return link(url, url);
}

/** A path or ref inside a URL: each segment percent-encoded, parentheses and quotes too. */
export function encodePath(path: string): string {
  return path.split('/').map((segment) => encodeURIComponent(segment).replace(/[()'!*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)).join('/');
}

/** Lines shown as they are, in a fence no line inside can close. */
export function fenced(lines: readonly string[], maxLine = 500): string[] {
  const shown = lines.map((line) => clip(line.replace(ansi, '').replace(/[\r\u0000-\u0008\u000b-\u001f\u007f]/g, '').replace(/\n/g, ' '), maxLine));
  const longest = Math.max(0, ...shown.map((line) => Math.max(0, ...(line.match(/`+/g) ?? []).map((run) => run.length))));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [`${fence}text`, ...shown, fence];
}
