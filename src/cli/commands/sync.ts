// `pilot sync`: asks a running daemon to reconcile now.

import { stringOption, type Command } from '../command.js';
import { exitCodes, UserError } from '../errors.js';

export const syncCommand: Command = {
  path: ['sync'],
  summary: 'ask a running daemon to reconcile now',
  maxPositionals: 0,
  options: { url: { type: 'string' } },
  help: `Usage: pilot sync [--url URL]

Asks the daemon ('pilot serve') to fetch the manifest repository and run a full
reconcile now, instead of waiting for the next poll.

Options:
  --url URL   the daemon's address (default $PILOT_URL, else http://127.0.0.1:7900)

Exit codes: 0 queued, 1 the daemon did not answer, 2 wrong usage.
`,
  async run(args, io) {
    const base = (stringOption(args, 'url') ?? io.env.PILOT_URL ?? 'http://127.0.0.1:7900').replace(/\/+$/, '');
    let response: Response;
    try {
      response = await fetch(`${base}/api/sync`, { method: 'POST', signal: AbortSignal.timeout(10_000) });
    } catch (error) {
      throw new UserError(`no daemon answered at ${base} (${(error as Error).message}); is 'pilot serve' running? (--url to point elsewhere)`);
    }
    if (response.status !== 202) throw new UserError(`the daemon at ${base} answered ${response.status}`);
    io.stdout.write(`reconcile queued at ${base}; watch ${base}/ or ${base}/api/status\n`);
    return exitCodes.ok;
  },
};
