// Live progress of `pilot apply`: a line per action and state, job log lines indented.

import type { ApplyProgress } from '../reconciler/apply.js';
import type { Paint } from './io.js';
import type { Output } from './io.js';

export function progressPrinter(out: Output, p: Paint): (event: ApplyProgress) => void {
  const lastState = new Map<string, string>();
  return (event) => {
    const label = `${event.action.kind} ${event.action.target}`;
    switch (event.type) {
      case 'start':
        out.write(`[${event.index}/${event.total}] ${label}: ${event.action.reasons.join('; ')}\n`);
        break;
      case 'job':
        if (event.event.type === 'line') out.write(p.dim(`      | ${event.event.text}\n`));
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
