// `pilot dev waypoint`: a local Waypoint emulator for demos and manual testing.

import { createSelfSignedCertificate, type SelfSignedCertificate } from '../../dev/waypoint-emulator/self-signed.js';
import { generateToken, startEmulator } from '../../dev/waypoint-emulator/index.js';
import { choiceOption, stringOption, type Command, type ParsedArgs } from '../command.js';
import { exitCodes, UsageError, UserError } from '../errors.js';
import type { Io } from '../io.js';

interface Settings {
  host: string;
  port: number;
  token: string;
  tls: 'off' | 'self-signed';
  stepMs: number;
}

function integerOption(args: ParsedArgs, name: string, fallback: number, max: number): number {
  const text = stringOption(args, name);
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || Number(text) > max) throw new UsageError(`--${name} must be a whole number from 0 to ${max}, not ${JSON.stringify(text)}`);
  return Number(text);
}

function settingsFrom(args: ParsedArgs): Settings {
  const token = stringOption(args, 'token');
  if (token === '') throw new UsageError('--token must not be empty');
  return {
    host: stringOption(args, 'host') ?? '127.0.0.1',
    port: integerOption(args, 'port', 9701, 65535),
    token: token ?? generateToken(),
    tls: choiceOption(args, 'tls', ['off', 'self-signed'] as const, 'off'),
    stepMs: integerOption(args, 'step-ms', 500, 600_000),
  };
}

function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

async function serve(settings: Settings, certificate: SelfSignedCertificate | undefined, io: Io): Promise<number> {
  const { host, port, token, stepMs } = settings;
  const tls = certificate && { cert: certificate.cert, key: certificate.key };
  const emulator = await startEmulator({ host, port, token, stepMs, tls }).catch((error: Error) => {
    throw new UserError(`cannot listen on ${host}:${port}: ${error.message}`);
  });
  const stopped = untilSignal();
  io.stdout.write(`Waypoint emulator listening on ${emulator.address} (${certificate ? 'TLS, self-signed' : 'plaintext'})\n`);
  io.stdout.write(`  address  ${emulator.address}\n  token    ${token}\n`);
  if (certificate) io.stdout.write(`  ca file  ${certificate.certFile}\n`);
  io.stdout.write('Stop with Ctrl-C.\n');
  const signal = await stopped;
  await emulator.stop();
  io.stdout.write(`stopped (${signal})\n`);
  return exitCodes.ok;
}

export const devWaypointCommand: Command = {
  path: ['dev', 'waypoint'],
  summary: 'run a local Waypoint server emulator (for demos and tests)',
  maxPositionals: 0,
  options: { port: { type: 'string' }, host: { type: 'string' }, token: { type: 'string' }, tls: { type: 'string' }, 'step-ms': { type: 'string' } },
  help: `Usage: pilot dev waypoint [--port 9701] [--host 127.0.0.1] [--token T] [--tls off|self-signed] [--step-ms N]

Runs Pilot's Waypoint emulator: a gRPC server that answers like a Waypoint v0.11
server (projects, apps, jobs run by a simulated runner, config, deployments) and
keeps everything in memory. It prints its address and the token clients must
send, then runs until Ctrl-C (SIGINT) or SIGTERM.

Options:
  --port N              port to listen on (default 9701; 0 picks a free one)
  --host H              address to listen on (default 127.0.0.1)
  --token T             token clients must send (default: a new random one)
  --tls off|self-signed plaintext (default), or TLS with a new self-signed
                        certificate for localhost; its CA file path is printed
                        and the file is removed on exit (needs openssl)
  --step-ms N           length of each simulated job phase in ms (default 500)
  -h, --help            show this help

It takes no --format: it is a server that runs until stopped, and what it prints
(its address, token and CA file) is for people.

Exit codes: 0 stopped by a signal, 1 could not start (port in use, no openssl),
2 wrong usage.

Example:
  pilot dev waypoint --port 0 --tls self-signed
`,
  async run(args, io) {
    const settings = settingsFrom(args);
    const certificate =
      settings.tls === 'self-signed'
        ? await createSelfSignedCertificate().catch((error: Error) => Promise.reject(new UserError(error.message)))
        : undefined;
    try {
      return await serve(settings, certificate, io);
    } finally {
      await certificate?.remove();
    }
  },
};
