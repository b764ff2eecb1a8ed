// Scenario: every kind of secret Pilot handles set, a full run of the daemon (two
// revisions, webhooks good and forged, a secret set while an app waits for it), then
// everything Pilot wrote or said searched for each secret, in the encodings it could
// travel in: the state directory (state.db and every other file), the daemon's log, the
// CLI's output, what Pilot sent to Waypoint (but the secret config values the runner
// needs), the rendered waypoint.hcl, and the status API, page and metrics.

import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { startEmulator } from '../../../src/dev/waypoint-emulator/index.js';
import type { DaemonStatus } from '../../../src/daemon/status.js';
import { fingerprint } from '../../../src/waypoint/fingerprint.js';
import { cli } from '../cli.js';
import { convergedAt, startTestDaemon, waitFor, waypointToken, type TestDaemon } from '../daemon-harness.js';
import { app } from '../daemon-scenario.js';
import { deliver, pushPayload, signed } from '../daemon-webhooks.js';
import { startGitHttpServer, type GitHttpServer } from '../git-http-server.js';
import { createSourceRepo, temporaryFolder } from '../git-repos.js';
import { summarizeJob } from '../reconcile-harness.js';
import { manifestFiles, type ProjectOptions } from '../reconcile-manifests.js';
import { startGrpcTap, type TappedCall } from './grpc-tap.js';

export interface SecretSize {
  /** Apps that each read a secret. */
  apps: number;
  /** Revisions applied after the first. */
  revisions: number;
}

export const secretSizes = {
  small: { apps: 2, revisions: 1 },
  full: { apps: 10, revisions: 5 },
} satisfies Record<string, SecretSize>;

export interface SecretHit {
  secret: string;
  encoding: string;
  place: string;
}

export interface SecretResult {
  secrets: number;
  /** Places searched, by kind (state directory files, requests to Waypoint, ...), and bytes searched. */
  places: Record<string, number>;
  bytes: number;
  /** Every place a secret was found. */
  hits: SecretHit[];
  /** The same search over what legitimately holds the app secrets (SetConfig to Waypoint) finds them: the search can fail. */
  controlFound: boolean;
  /** Where a fingerprint of an app secret (sha-256, 32 hex digits, as drift detection keeps it) was found: not the value, said for the record. */
  fingerprints: string[];
  upJobs: number;
  converged: boolean;
  durationMs: number;
  violations: string[];
}

/** A fresh value per run, of characters no encoding escapes. */
const fresh = (prefix: string) => `${prefix}${randomBytes(12).toString('hex')}`;

function encodings(name: string, value: string): { secret: string; encoding: string; bytes: Buffer }[] {
  const forms = [
    ['raw', value],
    ['base64', Buffer.from(value).toString('base64')],
    ['base64url', Buffer.from(value).toString('base64url')],
    ['hex', Buffer.from(value).toString('hex')],
    ['utf-16le', Buffer.from(value, 'utf16le').toString('latin1')],
  ];
  if (name === 'repository token') forms.push(['basic auth', Buffer.from(`x-access-token:${value}`).toString('base64')]);
  // base64 of a value is shifted by its offset in a longer encoded text: search the middle, which any alignment keeps.
  return forms.map(([encoding, text]) => ({ secret: name, encoding: encoding!, bytes: Buffer.from(encoding === 'raw' || encoding === 'hex' || encoding === 'utf-16le' ? text! : text!.slice(4, -4), 'latin1') }));
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(full)));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

/** A request as text to search: bytes as UTF-8 and as base64, every field. */
function requestText(call: TappedCall): string {
  return JSON.stringify(call.request ?? null, (_key, value: unknown) => {
    if (value && typeof value === 'object' && (value as { type?: string }).type === 'Buffer' && Array.isArray((value as { data?: unknown }).data)) {
      const bytes = Buffer.from((value as { data: number[] }).data);
      return `${bytes.toString('utf8')} ${bytes.toString('base64')}`;
    }
    return value;
  });
}

/** SetConfig with the values of `names` (the secrets the runner needs) blanked; undefined when nothing else is left to search. */
function withoutSecretValues(call: TappedCall, names: ReadonlySet<string>): TappedCall {
  if (call.method !== 'SetConfig') return call;
  const request = structuredClone(call.request) as { variables?: { name: string; static?: string }[] };
  for (const variable of request.variables ?? []) if (names.has(variable.name)) variable.static = '<runner needs it>';
  return { ...call, request };
}

const project = 'vault';

export async function runSecretScan(size: SecretSize): Promise<SecretResult> {
  const started = Date.now();
  const emulator = await startEmulator({ port: 0, token: waypointToken, stepMs: 20, concurrency: 8 });
  const tap = await startGrpcTap(emulator.address);
  let daemon: TestDaemon | undefined;
  let server: GitHttpServer | undefined;
  const result: SecretResult = { secrets: 0, places: {}, bytes: 0, hits: [], controlFound: false, fingerprints: [], upJobs: 0, converged: false, durationMs: 0, violations: [] };
  const repoToken = fresh('ghp_');
  const webhookSecret = fresh('whsec_');
  const apiToken = fresh('pilot_api_');
  const appSecrets = Array.from({ length: size.apps }, (_, i) => ({ app: `s${i}`, name: `KEY_${i}`, value: fresh(`sk_live_${i}_`) }));
  const secrets = new Map<string, string>([['repository token', repoToken], ['webhook secret', webhookSecret], ['API token', apiToken], ['Waypoint token', waypointToken], ...appSecrets.map((s) => [`${s.name} of ${s.app}`, s.value] as const)]);
  result.secrets = secrets.size;
  const texts: { place: string; bytes: Buffer }[] = [];
  const said = (place: string, text: string) => texts.push({ place, bytes: Buffer.from(text) });
  try {
    const source = await createSourceRepo('vault-src');
    const projectOf = (memory: number): ProjectOptions => ({
      name: project,
      apps: [
        app('web', source.url, { memory, env: { MODE: 'live' } }),
        ...appSecrets.map((s, i) => app(s.app, source.url, { memory, env: { [s.name]: { secret: true }, MODE: 'live' }, ...(i > 0 ? { dependsOn: ['s0'] } : {}) })),
      ],
    });
    // The manifest repository behind HTTP Basic auth: the repository token is needed to read it.
    const remote = await createSourceRepo('vault-manifests', manifestFiles(projectOf(512)));
    server = await startGitHttpServer({ root: path.dirname(remote.bare), username: 'x-access-token', token: repoToken });
    const url = server.url(path.basename(remote.bare));
    const work = path.join(path.dirname(remote.bare), 'work');
    const fullName = 'acme/vault-manifests';
    const stateDir = await temporaryFolder('pilot-vault-state-');
    const env = { PILOT_WAYPOINT_ADDR: tap.address, PILOT_WAYPOINT_TLS: 'off', PILOT_WAYPOINT_TOKEN: waypointToken, NO_COLOR: '1', PILOT_CLOUDS: 'off', PILOT_HOME: stateDir };
    const run = async (argv: string[], stdin?: string) => {
      const out = await cli(argv, { env, ...(stdin !== undefined ? { stdin } : {}) });
      said(`pilot ${argv.slice(0, 2).join(' ')} (stdout)`, out.stdout);
      said(`pilot ${argv.slice(0, 2).join(' ')} (stderr)`, out.stderr);
      return out;
    };

    // The first secret before the daemon starts: the others while their apps wait.
    const first = appSecrets[0]!;
    const set = await run(['secret', 'set', `${project}/${first.app}`, first.name, work], `${first.value}\n`);
    if (set.code !== 0) throw new Error(`pilot secret set failed: ${set.stderr}`);

    daemon = await startTestDaemon({
      emulator, stateDir, repository: { url, branch: 'main', token: repoToken },
      config: { waypoint: { address: tap.address, tls: 'off', token: waypointToken }, webhookSecrets: [webhookSecret], http: { host: '127.0.0.1', port: 0, apiToken } },
    });
    const d = daemon;
    const authorized = { authorization: `Bearer ${apiToken}` };
    const status = async () => (await (await fetch(`${d.url}/api/status`, { headers: authorized })).json()) as DaemonStatus;
    const keys = [`${project}/web`, ...appSecrets.map((s) => `${project}/${s.app}`)];
    await waitFor(async () => (await status()).apps.some((a) => a.app === 's1' || a.app === 's0'), 'the first run', 120_000);
    for (const s of appSecrets.slice(1)) {
      const stored = await run(['secret', 'set', `${project}/${s.app}`, s.name, work], s.value);
      if (stored.code !== 0) throw new Error(`pilot secret set failed: ${stored.stderr}`);
    }
    const announce = async (commit: string, secret = webhookSecret) =>
      deliver(d.url, await signed('push', pushPayload(url, fullName, 'main', commit), { secret }));
    // The secrets are set: a sync (as `pilot sync` sends it) deploys the apps that waited.
    const sync = await fetch(`${d.url}/api/sync`, { method: 'POST', headers: { ...authorized, 'content-type': 'application/json' }, body: '{}' });
    if (sync.status !== 202) throw new Error(`POST /api/sync answered ${sync.status}: ${await sync.text()}`);
    let revision = remote.first;
    await waitFor(async () => convergedAt(revision, keys)(await status()), 'the first revision converged', 120_000);
    for (let n = 1; n <= size.revisions; n++) {
      revision = await remote.commit(manifestFiles(projectOf(n % 2 ? 1024 : 512)));
      // A forged delivery first (refused), then the real one.
      await announce(revision, `${webhookSecret}-guessed`);
      await announce(revision);
      result.converged = await waitFor(async () => convergedAt(revision, keys)(await status()), `revision ${n} converged`, 120_000).then(() => true, () => false);
      if (!result.converged) break;
    }

    // What the daemon says about itself.
    said('GET /api/status', JSON.stringify(await status()));
    said('GET / (status page)', await (await fetch(`${d.url}/`, { headers: authorized })).text());
    said('GET /metrics', await (await fetch(`${d.url}/metrics`, { headers: authorized })).text());
    said('GET /readyz', await (await fetch(`${d.url}/readyz`)).text());
    await run(['secret', 'list', `${project}/${first.app}`]);
    await d.stop();
    daemon = undefined;
    await run(['status', '--format', 'json']);
    await run(['status']);
    said('daemon log', d.logs.text());

    // What Pilot sent to Waypoint, the secrets the runner needs taken out.
    const needed = new Set(appSecrets.map((s) => s.name));
    const requests = tap.calls.map((call) => ({ place: `${call.method} request to Waypoint`, text: requestText(withoutSecretValues(call, needed)) }));
    for (const r of requests) said(r.place, r.text);
    for (const job of emulator.queuedJobs.map(summarizeJob)) said(`waypoint.hcl of ${job.project}/${job.app}`, job.waypointHcl);
    const files = await filesUnder(stateDir);
    for (const file of files) texts.push({ place: `state directory: ${path.relative(stateDir, file)}`, bytes: await readFile(file) });

    for (const [name, value] of secrets) {
      for (const form of encodings(name, value)) {
        for (const text of texts) if (text.bytes.includes(form.bytes)) result.hits.push({ secret: name, encoding: form.encoding, place: text.place });
      }
    }
    for (const { place } of texts) {
      const kind = place.startsWith('state directory') ? 'state directory files' : place.endsWith('request to Waypoint') ? 'requests to Waypoint'
        : place.startsWith('waypoint.hcl') ? 'waypoint.hcl' : place.startsWith('GET') ? 'HTTP answers' : place.startsWith('pilot') ? 'CLI output' : place;
      result.places[kind] = (result.places[kind] ?? 0) + 1;
    }
    result.bytes = texts.reduce((n, t) => n + t.bytes.length, 0);
    // The control: the SetConfig requests as sent hold every app secret.
    const sent = tap.calls.filter((c) => c.method === 'SetConfig').map(requestText).join('\n');
    result.controlFound = appSecrets.every((s) => sent.includes(s.value));
    for (const s of appSecrets) {
      const print = Buffer.from(fingerprint(s.value));
      for (const text of texts) if (text.bytes.includes(print)) result.fingerprints.push(`${s.name}: ${text.place}`);
    }
    result.upJobs = emulator.queuedJobs.map(summarizeJob).filter((j) => j.project === project && j.operation === 'up').length;
  } finally {
    await daemon?.stop();
    await server?.close();
    await tap.close();
    await emulator.stop();
  }
  result.durationMs = Date.now() - started;
  result.violations = secretViolations(result, size);
  return result;
}

export function secretViolations(r: SecretResult, size: SecretSize): string[] {
  const out: string[] = [];
  for (const hit of r.hits) out.push(`${hit.secret} (${hit.encoding}) found in ${hit.place}`);
  if (!r.controlFound) out.push('the control search did not find the app secrets where they are sent: the search is broken');
  if (!r.converged) out.push('the run did not converge');
  const apps = size.apps + 1;
  if (r.upJobs < apps) out.push(`${r.upJobs} up jobs for ${apps} apps`);
  return out;
}
