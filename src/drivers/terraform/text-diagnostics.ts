// Pure: terraform's human diagnostics (stderr with -no-color) as Diagnostic values, for
// commands without a -json UI (init before 1.9) and errors printed before the UI starts.

import type { Diagnostic } from './ui-lines.js';

/**
 * "Error: <summary>" starts a diagnostic; the lines after it, up to the next one, are
 * its detail. Terraform wraps detail at ~78 columns: paragraphs are joined back into
 * one line each so that "the first line" is a whole sentence.
 */
export function parseTextDiagnostics(text: string): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  let current: { diagnostic: Diagnostic; lines: string[] } | undefined;
  const close = () => {
    if (!current) return;
    current.diagnostic.detail = paragraphs(current.lines);
    diagnostics.push(current.diagnostic);
    current = undefined;
  };
  for (const raw of text.split('\n')) {
    // Older versions and colour mode frame diagnostics in box-drawing characters.
    const line = raw.replace(/^[│╷╵]\s?/, '').trimEnd();
    const start = /^(Error|Warning): (.*)$/.exec(line);
    if (start) {
      close();
      current = { diagnostic: { severity: start[1] === 'Warning' ? 'warning' : 'error', summary: start[2]!.trim(), detail: '' }, lines: [] };
    } else if (current && !/^[╷╵]$/.test(raw.trim())) {
      current.lines.push(line);
    }
  }
  close();
  return diagnostics;
}

function paragraphs(lines: string[]): string {
  const result: string[] = [];
  let paragraph: string[] = [];
  for (const line of [...lines, '']) {
    if (line.trim() === '') {
      if (paragraph.length > 0) result.push(paragraph.join(' '));
      paragraph = [];
    } else {
      paragraph.push(line.trim());
    }
  }
  return result.join('\n');
}
