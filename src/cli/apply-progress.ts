// Live progress of `pilot apply`: a line per action and state; each job log line
// prefixed with its app (`shop/api | ...`), the bars in one column, so the logs of
// apps deployed at once can be told apart.

import type { ApplyProgress } from '../reconciler/apply.js';
import type { Output, Paint } from './io.js';

/**
 * Prefixes log lines with their app. `apps` are the apps likely to log (the manifests'),
 * so the column is set from the first line; a longer name seen later widens it.
 */
export function logPrefixer(p: Paint, apps: readonly string[]): (app: string, text: string) => string {
  let width = Math.max(0, ...apps.map((app) => app.length));
  const palette = [p.cyan, p.magenta, p.blue];
  const colours = new Map<string, (text: string) => string>();
  return (app, text) => {
    width = Math.max(width, app.length);
    let colour = colours.get(app);
    if (!colour) {
      colour = palette[colours.size % palette.length]!;
      colours.set(app, colour);
    }
    const prefix = `      ${colour(app)}${' '.repeat(width - app.length)} `;
    return text.split(/\r?\n/).map((line) => `${prefix}${p.dim(`| ${line}`)}\n`).join('');
  };
}

export function progressPrinter(out: Output, p: Paint, apps: readonly string[] = []): (event: ApplyProgress) => void {
  const lastState = new Map<string, string>();
  const logLine = logPrefixer(p, apps);
  return (event) => {
    const label = `${event.action.kind} ${event.action.target}`;
    switch (event.type) {
      case 'start':
        out.write(`[${event.index}/${event.total}] ${label}: ${event.action.reasons.join('; ')}\n`);
        break;
      case 'job':
        if (event.event.type === 'line') out.write(logLine(event.action.target, event.event.text));
        else if (lastState.get(event.action.id) !== event.event.state) {
          lastState.set(event.action.id, event.event.state);
          out.write(`      ${label}: job ${event.jobId} ${event.event.state}\n`);
        }
        break;
      case 'retry':
        out.write(p.yellow(`      ${label}: ${event.error.message}; retrying in ${Math.round(event.delayMs / 100) / 10} s (attempt ${event.attempt + 1})\n`));
        break;
      case 'end': {
        const status = event.result.status === 'done' ? p.green('done') : p.red(event.result.status);
        out.write(`      ${label}: ${status}\n`);
        break;
      }
    }
  };
}
