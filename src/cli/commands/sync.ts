// `pilot sync`: asks a running daemon to reconcile now.

import { stringOption, type Command } from '../command.js';
import { exitCodes, UsageError, UserError } from '../errors.js';
import { formatFlag, formatOf, printJson } from '../output.js';

/** The daemon's answer, and what to do about it. */
async function refusal(base: string, response: Response): Promise<string> {
  const body = (await response.json().catch(() => ({}))) as { error?: unknown };
  const why = typeof body.error === 'string' ? `: ${body.error}` : '';
  const retry = response.headers.get('retry-after');
  // A 403 says itself what to change (the machine, the Host, the token setting).
  const hint = response.status === 401 ? '; set PILOT_API_TOKEN to the daemon\'s API token' : retry ? ` (try again in ${retry} s)` : '';
  return `the daemon at ${base} answered ${response.status}${why}${hint}`;
}

export const syncCommand: Command = {
  path: ['sync'],
  summary: 'ask a running daemon to reconcile now',
  maxPositionals: 0,
  options: { url: { type: 'string' }, ...formatFlag },
  help: `Usage: pilot sync [--url URL] [--format text|json]

Asks the daemon ('pilot serve') to fetch the manifest repository and run a full
reconcile now, instead of waiting for the next poll.

Options:
  --url URL           the daemon's address (default $PILOT_URL, else http://127.0.0.1:7900)
  --format text|json  output (default text); json prints one object:
                      { "queued": true, "url", "status" } (status: the daemon's status API)

PILOT_API_TOKEN, when set, is sent as the bearer token: a daemon with an API token
(http.apiToken) asks every caller for it; one without answers only its own machine.

Exit codes: 0 queued, 1 the daemon did not answer or refused, 2 wrong usage
(including a --url that is not an http(s) URL).
`,
  async run(args, io) {
    const format = formatOf(args);
    const given = stringOption(args, 'url');
    const base = (given ?? io.env.PILOT_URL ?? 'http://127.0.0.1:7900').replace(/\/+$/, '');
    if (!/^https?:\/\/\S+$/.test(base) || !URL.canParse(base)) {
      const what = given === undefined ? 'PILOT_URL' : '--url';
      const message = `${what} must be the daemon's http(s) URL, e.g. http://127.0.0.1:7900, not ${JSON.stringify(given ?? io.env.PILOT_URL)}`;
      // A flag is the command line; a variable is the environment, a failure of the run.
      throw given === undefined ? new UserError(message) : new UsageError(message);
    }
    const token = io.env.PILOT_API_TOKEN;
    const headers = { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
    let response: Response;
    try {
      response = await fetch(`${base}/api/sync`, { method: 'POST', headers, body: '{}', signal: AbortSignal.timeout(10_000) });
    } catch (error) {
      throw new UserError(`no daemon answered at ${base} (${(error as Error).message}); is 'pilot serve' running? (--url to point elsewhere)`);
    }
    if (response.status !== 202) throw new UserError(await refusal(base, response));
    if (format === 'json') printJson(io, { queued: true, url: base, status: `${base}/api/status` });
    else io.stdout.write(`reconcile queued at ${base}; watch ${base}/ or ${base}/api/status\n`);
    return exitCodes.ok;
  },
};
