// `pilot serve`: the daemon that keeps the clouds matching the manifest repository.

import path from 'node:path';
import type { Overrides } from '../../app/settings.js';
import { ConfigError, parseDuration } from '../../app/setting-values.js';
import { startServe } from '../../app/serve.js';
import { setUpDemo, type Demo } from '../../dev/demo.js';
import { createLogger } from '../../daemon/logger.js';
import { choiceOption, stringOption, wholeNumberOption, type Command, type ParsedArgs } from '../command.js';
import { exitCodes, UsageError, UserError } from '../errors.js';
import { useColour, type Io } from '../io.js';
import { settingsFrom, stateFlags, waypointFlags } from '../settings-flags.js';

const logLevels = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

/** A duration flag (--poll 30s), checked here so a wrong one is wrong usage, not a configuration error. */
function durationOption(args: ParsedArgs, flag: string): string | undefined {
  const value = stringOption(args, flag);
  try {
    if (value !== undefined) parseDuration(value, 0, `--${flag}`);
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
  return value;
}

/** serve's own flags, as overrides of the settings (the shared ones are read by settingsFrom). */
function overrides(args: ParsedArgs): Overrides {
  const o: Overrides = {};
  const set = <K extends keyof Overrides>(key: K, value: Overrides[K] | undefined) => {
    if (value !== undefined) o[key] = value;
  };
  set('repoUrl', stringOption(args, 'repo'));
  set('branch', stringOption(args, 'branch'));
  set('poll', durationOption(args, 'poll'));
  set('drift', durationOption(args, 'drift'));
  set('host', stringOption(args, 'host'));
  set('port', wholeNumberOption(args, 'port', 0, 65535));
  set('concurrency', wholeNumberOption(args, 'concurrency', 1));
  if (args.values['no-self-heal'] === true) set('selfHeal', false);
  return o;
}

/** --log-level, else PILOT_LOG_LEVEL (a wrong variable is a configuration error), else info. */
function logLevelOf(args: ParsedArgs, io: Io): string {
  if (stringOption(args, 'log-level') !== undefined) return choiceOption(args, 'log-level', logLevels, 'info');
  const level = io.env.PILOT_LOG_LEVEL ?? 'info';
  if (!(logLevels as readonly string[]).includes(level)) throw new UserError(`PILOT_LOG_LEVEL must be one of ${logLevels.join(', ')}, not ${JSON.stringify(level)}`);
  return level;
}

/** Listens from the start, so a signal during start-up or right after the banner still stops cleanly. */
function untilSignal(): { signal: Promise<string>; dispose(): void } {
  let dispose = () => {};
  const signal = new Promise<string>((resolve) => {
    const onInt = () => resolve('SIGINT');
    const onTerm = () => resolve('SIGTERM');
    process.once('SIGINT', onInt);
    process.once('SIGTERM', onTerm);
    dispose = () => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
    };
  });
  return { signal, dispose };
}

export const serveCommand: Command = {
  path: ['serve'],
  summary: 'run the daemon: poll, webhooks, drift checks, status page',
  maxPositionals: 0,
  options: {
    ...stateFlags, ...waypointFlags, demo: { type: 'boolean' }, watch: { type: 'string' }, repo: { type: 'string' }, branch: { type: 'string' },
    poll: { type: 'string' }, drift: { type: 'string' }, 'no-self-heal': { type: 'boolean' }, concurrency: { type: 'string' },
    host: { type: 'string' }, port: { type: 'string' }, 'log-level': { type: 'string' }, 'log-format': { type: 'string' },
    clouds: { type: 'string' }, terraform: { type: 'string' }, 'terraform-mirror': { type: 'string' },
  },
  help: `Usage: pilot serve [--config pilot.config.yaml] [options]
       pilot serve --demo
       pilot serve --watch DIR [options]

Keeps Waypoint matching the manifest repository: fetches the tracked branch
(every --poll, and at once on a GitHub push webhook), re-plans the projects whose
files changed, runs a full reconcile every --drift to notice drift, and serves
  /            a status page          /api/status  the same as JSON
  /healthz     alive                  /readyz      source, Waypoint and store ready
  /metrics     Prometheus metrics     /webhooks/github  GitHub deliveries

  --demo              everything on one machine: a local manifest repository made
                      from examples/demo, the Waypoint emulator, state in a temp dir,
                      webhooks with a throwaway secret (see 'pilot dev webhook')
  --watch DIR         read manifests from a local folder and reconcile on change
  --config FILE       pilot.config.yaml (schema: schemas/pilot-config.schema.json)
  --repo URL --branch B   the manifest repository (PILOT_REPO_URL, PILOT_REPO_BRANCH;
                      token: PILOT_REPO_TOKEN)
  --poll 60s --drift 10m  intervals (PILOT_POLL_INTERVAL, PILOT_DRIFT_INTERVAL)
  --no-self-heal      report drift instead of converging it
  --concurrency N     apps deployed at once (default 4)
  --host H --port N   HTTP address (default 127.0.0.1:7900; PILOT_HOST, PILOT_PORT)
  --state-dir DIR     state.db, the repository cache and the lock (PILOT_HOME)
  --waypoint ADDR --waypoint-tls MODE --waypoint-ca FILE   (PILOT_WAYPOINT_ADDR,
                      PILOT_WAYPOINT_TLS, PILOT_WAYPOINT_CA; token: PILOT_WAYPOINT_TOKEN)
  --clouds MODE       terraform (default): databases, static hosting, registries
                      and networks through terraform; stand-in: terraform_data in
                      their place (no cloud account); off: none (PILOT_CLOUDS)
  --log-level L       trace, debug, info (default), warn, error, fatal, silent
                      (PILOT_LOG_LEVEL)
  --log-format F      json (default: a JSON object per line, for log shippers) or
                      pretty (a line for people; PILOT_LOG_FORMAT)

It takes no --format: it is a server, whose output is its log (--log-format);
its state is also served as JSON at /api/status.

Webhook secrets come from the config file or PILOT_WEBHOOK_SECRET (comma-separated
for rotation). The API token (http.apiToken or PILOT_API_TOKEN) is asked of callers
of /, /api/status, /metrics and /api/sync; without one they answer only this machine.
Secrets are never accepted as flags.

Stops cleanly on SIGINT or SIGTERM (exit 0); a restart follows the jobs that were
running. A second daemon on the same state directory refuses to start.

Several daemons (on several machines) may share one PostgreSQL state store
(state.url in the config, or PILOT_STATE_URL=postgres://...): one leads and
reconciles; the others serve the status page and take webhooks and syncs, which
they hand to the leader. When the leader stops or loses its database connection,
another takes over within seconds and follows the jobs in flight.

Exit codes: 0 stopped by a signal, 1 could not start (configuration from the
file or PILOT_* variables, lock, port in use), 3 it led a shared state store
(PostgreSQL) and lost the lock, so it stopped acting (start it again: it stands
by), 2 wrong usage (an unknown flag,
or a flag's value that is not valid: --port, --poll, --drift, --concurrency,
--clouds, --waypoint-tls, --log-level, --log-format).
`,
  async run(args, io: Io) {
    const format = choiceOption(args, 'log-format', ['json', 'pretty'] as const, io.env.PILOT_LOG_FORMAT === 'pretty' ? 'pretty' : 'json');
    const logger = createLogger({ level: logLevelOf(args, io), format, colour: useColour(io) });
    const stopSignal = untilSignal();
    try {
      return await serve(args, io, logger, stopSignal.signal);
    } finally {
      stopSignal.dispose();
    }
  },
};

/**
 * How to send the demo a sample webhook. The secret is printed only when the demo made
 * it: a throwaway for a daemon on loopback. One given in PILOT_WEBHOOK_SECRET is never
 * printed; `pilot dev webhook` reads it from there.
 */
function demoWebhooks(demo: Demo, url: string): string {
  const webhookUrl = `${url}/webhooks/github`;
  const secret = demo.webhookSecretMade ? ` --secret ${demo.webhookSecret}` : '';
  return (
    `GitHub webhooks: ${webhookUrl}, secret ${demo.webhookSecretMade ? 'made for this demo only (a local throwaway, so it is shown here)' : 'from PILOT_WEBHOOK_SECRET'}\n` +
    `Send a sample push of the manifest repository (or pull_request, to plan a pull request):\n` +
    `  pilot dev webhook push --url ${webhookUrl}${secret} --repo ${demo.config.repository?.url ?? ''} --github ${demo.github.url}\n` +
    `GitHub stand-in: ${demo.github.page} shows the comments, checks and deployments Pilot posts\n`
  );
}

async function serve(args: ParsedArgs, io: Io, logger: ReturnType<typeof createLogger>, stopSignal: Promise<string>): Promise<number> {
  let demo: Demo | undefined;
  let settings;
  if (args.values.demo === true) {
    demo = await setUpDemo(wholeNumberOption(args, 'port', 0, 65535) ?? 7900, io.env.PILOT_WEBHOOK_SECRET?.split(',') ?? []);
    settings = demo.config;
  } else {
    settings = settingsFrom(args, io, overrides(args), 'daemon');
  }
  const watchDir = stringOption(args, 'watch') ? path.resolve(io.cwd, stringOption(args, 'watch')!) : undefined;
  if (!watchDir && !settings.repository) throw new UserError('no manifest repository: give --repo URL (or repository.url in --config), --watch DIR, or --demo');
  if (!settings.waypoint) throw new UserError("no Waypoint: give --waypoint ADDR (or PILOT_WAYPOINT_ADDR, or waypoint.address in --config); for a local one, run 'pilot dev waypoint'");
  // The demo's GitHub is a stand-in on loopback: no need to pace writes as GitHub asks.
  const daemon = await startServe(settings, { logger, ...(watchDir ? { watchDir } : {}), ...(demo ? { github: { pacing: 'none' as const } } : {}) }, io.env as NodeJS.ProcessEnv).catch(async (error: unknown) => {
    await demo?.stop();
    throw error;
  });
  io.stderr.write(`pilot is serving ${daemon.url}/ (status page), ${daemon.url}/api/status\n`);
  if (demo) {
    io.stderr.write(
      `\nDemo: the manifest repository is checked out at\n  ${demo.manifestWork}\nChange it and watch the status page converge, for example:\n` +
        `  cd ${demo.manifestWork} && sed -i 's/memory: 512 /memory: 1024/' pilot.yaml && git commit -qam "more memory" && git push -q\n` +
        `Waypoint emulator: ${demo.emulator.address}\n${demoWebhooks(demo, daemon.url)}${demo.note ? `Note: ${demo.note}\n` : ''}\n`,
    );
  }
  const ended = await Promise.race([stopSignal.then((signal) => ({ signal })), daemon.lostLeadership.then((lost) => ({ lost }))]);
  await daemon.stop('signal' in ended ? ended.signal : 'lost the leadership');
  await demo?.stop();
  if ('lost' in ended) {
    // Its supervisor (systemd's Restart=) starts it again, as a standby.
    io.stderr.write(`pilot stopped: it led the shared state store and lost its lock (${ended.lost}); another daemon leads now. Start it again to stand by.\n`);
    return leadershipLostExit;
  }
  return exitCodes.ok;
}

/** The daemon led a shared store and lost the lock: it stopped acting, and exits for its supervisor to restart it. */
export const leadershipLostExit = 3;
