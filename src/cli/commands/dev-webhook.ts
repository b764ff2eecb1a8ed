// `pilot dev webhook`: sends a running daemon a sample GitHub delivery (push, pull
// request or release) about a repository, signed with the daemon's webhook secret.

import { announceToStandIn } from '../../dev/webhook-announce.js';
import { examplePayload, sampleEvents, type SampleEvent } from '../../dev/webhook-examples.js';
import { pullRequestActions, samplePayload, type SampleChange } from '../../dev/webhook-payload.js';
import { sampleRepository, type SampleRepository } from '../../dev/webhook-repository.js';
import { sendDelivery, signDelivery, type DeliveryAnswer } from '../../dev/webhook-send.js';
import { isPilotError } from '../../reconciler/errors.js';
import { remoteCommit } from '../../sources/git/remote-refs.js';
import { choiceOption, stringOption, type Command, type ParsedArgs } from '../command.js';
import { exitCodes, UsageError, UserError } from '../errors.js';
import type { Io } from '../io.js';
import { formatFlag, formatOf, printJson, type Format } from '../output.js';

export const defaultWebhookUrl = 'http://127.0.0.1:7900/webhooks/github';
const defaultHeadRef = 'pilot-dev-webhook';
const commitId = /^([0-9a-f]{40}|[0-9a-f]{64})$/i;

/** The flags each event reads; any other event-specific flag is a mistake worth saying. */
const eventFlags: Record<SampleEvent, string[]> = {
  push: ['ref', 'sha'],
  pull_request: ['sha', 'number', 'action', 'merged', 'base', 'head-ref'],
  release: ['ref', 'tag'],
};

function eventOf(args: ParsedArgs): SampleEvent {
  const event = args.positionals[0];
  if (event === undefined) throw new UsageError(`give the event to send: ${sampleEvents.join(', ')}`);
  if (!(sampleEvents as readonly string[]).includes(event)) throw new UsageError(`unknown event ${JSON.stringify(event)}: use ${sampleEvents.join(', ')}`);
  const stray = Object.values(eventFlags).flat().filter((flag) => args.values[flag] !== undefined && !eventFlags[event as SampleEvent].includes(flag));
  if (stray.length > 0) throw new UsageError(`--${stray[0]} does not apply to ${event}`);
  return event as SampleEvent;
}

function secretOf(args: ParsedArgs, io: Io): string {
  const secret = stringOption(args, 'secret') ?? io.env.PILOT_WEBHOOK_SECRET?.split(',').find(Boolean);
  if (!secret) throw new UsageError("no webhook secret: give --secret S or set PILOT_WEBHOOK_SECRET to the daemon's secret");
  return secret;
}

function repositoryOf(args: ParsedArgs, io: Io): SampleRepository {
  const url = stringOption(args, 'repo') ?? io.env.PILOT_REPO_URL;
  if (!url) throw new UsageError('give --repo URL (or PILOT_REPO_URL): the repository the delivery is about');
  const repository = sampleRepository(url);
  if (!repository) throw new UsageError(`--repo ${JSON.stringify(url)} is not a git URL (https://host/owner/name.git, git@host:owner/name.git, file:///path)`);
  return repository;
}

function urlOf(args: ParsedArgs): string {
  const url = stringOption(args, 'url') ?? defaultWebhookUrl;
  if (!/^https?:\/\/[^\s]+$/.test(url) || !URL.canParse(url)) throw new UsageError(`--url must be an http(s) URL, not ${JSON.stringify(url)}`);
  return url;
}

function shaOf(args: ParsedArgs): string | undefined {
  const sha = stringOption(args, 'sha');
  if (sha !== undefined && !commitId.test(sha)) throw new UsageError(`--sha must be a full commit id (40 hex digits), not ${JSON.stringify(sha)}`);
  return sha?.toLowerCase();
}

/** The commit `ref` points at, read with git when the repository is on this machine. */
async function commitOf(repository: SampleRepository, ref: string, io: Io): Promise<string> {
  if (repository.localPath === undefined) throw new UsageError(`give --sha: ${repository.clone_url} is not on this machine, so its ${ref} is not read`);
  try {
    return await remoteCommit(repository.clone_url, ref, { base: io.env as NodeJS.ProcessEnv, timeoutMs: 10_000 });
  } catch (error) {
    if (!isPilotError(error)) throw error;
    if (error.code === 'source.ref-not-found') throw new UsageError(`${repository.clone_url} has no ${ref}: push it, or give --sha`);
    throw new UsageError(`give --sha: ${error.message}`);
  }
}

function branchName(ref: string): string {
  return ref.replace(/^refs\/heads\//, '');
}

async function changeOf(event: SampleEvent, args: ParsedArgs, repository: SampleRepository, io: Io): Promise<SampleChange> {
  const sha = shaOf(args);
  if (event === 'push') {
    const given = stringOption(args, 'ref') ?? 'main';
    const ref = given.startsWith('refs/') ? given : `refs/heads/${given}`;
    return { event, ref, sha: sha ?? (await commitOf(repository, ref, io)) };
  }
  if (event === 'release') {
    return { event, tag: stringOption(args, 'tag') ?? 'v0.1.0', target: branchName(stringOption(args, 'ref') ?? 'main') };
  }
  const action = choiceOption(args, 'action', pullRequestActions, 'opened');
  const merged = args.values.merged === true;
  if (merged && action !== 'closed') throw new UsageError('--merged goes with --action closed');
  const number = stringOption(args, 'number') ?? '1';
  if (!/^[1-9]\d{0,8}$/.test(number)) throw new UsageError(`--number must be a pull request number (1 or more), not ${JSON.stringify(number)}`);
  const base = branchName(stringOption(args, 'base') ?? 'main');
  const headRef = branchName(stringOption(args, 'head-ref') ?? defaultHeadRef);
  const baseSha = repository.localPath === undefined ? undefined : await commitOf(repository, `refs/heads/${base}`, io).catch(() => undefined);
  let headSha = sha ?? (await commitOf(repository, `refs/heads/${headRef}`, io).catch((error: unknown) => {
    // Without --head-ref, a head that does not exist yet is the base's commit: the plan of what the base has.
    if (stringOption(args, 'head-ref') !== undefined || baseSha === undefined) throw error;
    io.stderr.write(`note: ${repository.clone_url} has no branch ${headRef}; the pull request's head is ${base}'s commit ${baseSha.slice(0, 12)}, so it plans no change of the manifests. Push a branch and give --head-ref to plan one.\n`);
    return baseSha;
  }));
  headSha = headSha.toLowerCase();
  return { event, action, merged, number: Number(number), base, headRef, headSha, ...(baseSha === undefined ? {} : { baseSha }) };
}

/** What was sent, as printed: the change without its event, which is printed first. */
interface Sent {
  event: SampleEvent;
  delivery: string;
  url: string;
  repository: string;
  payload: 'octokit' | 'built-in';
  change: Record<string, string | number | boolean>;
}

function sentOf(change: SampleChange, fields: Omit<Sent, 'change'>): Sent {
  const { event: _event, ...facts } = change;
  return { ...fields, change: facts };
}

function printAnswer(io: Io, format: Format, sent: Sent, answer: DeliveryAnswer): void {
  if (format === 'json') {
    let body: unknown = answer.body;
    try {
      body = JSON.parse(answer.body);
    } catch {
      // Not JSON (a proxy's error page): kept as text.
    }
    printJson(io, { ...sent, status: answer.status, body });
    return;
  }
  const facts = Object.entries(sent.change).map(([key, value]) => `${key}=${String(value)}`).join(' ');
  io.stdout.write(`sent ${sent.event} ${sent.delivery} about ${sent.repository} (${facts}) to ${sent.url}\n`);
  io.stdout.write(`${answer.status} ${answer.statusText}\n${answer.body}\n`);
}

export const devWebhookCommand: Command = {
  path: ['dev', 'webhook'],
  summary: 'send a running daemon a sample GitHub delivery (push, pull_request, release)',
  maxPositionals: 1,
  options: {
    url: { type: 'string' }, secret: { type: 'string' }, repo: { type: 'string' }, ref: { type: 'string' }, sha: { type: 'string' },
    number: { type: 'string' }, action: { type: 'string' }, merged: { type: 'boolean' }, base: { type: 'string' }, 'head-ref': { type: 'string' },
    tag: { type: 'string' }, ...formatFlag, github: { type: 'string' },
  },
  help: `Usage: pilot dev webhook push|pull_request|release [--url URL] [--secret S] [--repo URL] [options]

Sends a daemon ('pilot serve') one GitHub webhook delivery, as GitHub would:
GitHub's own example payload of the event (from @octokit/webhooks-examples when
it is installed, else a built-in minimal one) about --repo, signed with the
daemon's secret (X-Hub-Signature-256), with GitHub's headers. Prints the answer.

  --url URL           where the daemon listens (default ${defaultWebhookUrl})
  --secret S          the daemon's webhook secret (default: PILOT_WEBHOOK_SECRET,
                      its first one; prefer it: flags show in the process list)
  --repo URL          the repository the delivery is about (default PILOT_REPO_URL)
  --format text|json  how to print the answer (default text); json prints one
                      object: what was sent, the status and the daemon's body
  --github URL        first tell the GitHub stand-in of 'pilot serve --demo' at URL
                      about the commit or pull request, as GitHub would know it

push:
  --ref REF           the branch pushed, or refs/tags/T (default main)
  --sha SHA           the commit pushed (default: the ref's commit, when --repo is
                      on this machine; required otherwise)
pull_request:
  --action A          opened (default), synchronize, reopened, edited, closed
  --merged            with --action closed: the pull request was merged
  --number N          the pull request number (default 1)
  --base BRANCH       the branch it would merge into (default main)
  --head-ref REF      its branch (default ${defaultHeadRef})
  --sha SHA           its head commit (default: the head-ref's commit, when --repo
                      is on this machine; without --head-ref, the base's)
release (published):
  --tag TAG           the release's tag (default v0.1.0)
  --ref BRANCH        the branch it was cut from (default main)

Exit codes: 0 the daemon accepted it (2xx), 1 it refused it or could not be
reached, 2 wrong usage (no secret, an unknown event).

Example, against 'pilot serve --demo' (it prints this command with its values):
  pilot dev webhook push --secret S --repo file:///tmp/pilot-demo-x/manifests.git
`,
  async run(args, io) {
    const event = eventOf(args);
    const format = formatOf(args);
    const secret = secretOf(args, io);
    const repository = repositoryOf(args, io);
    const url = urlOf(args);
    const change = await changeOf(event, args, repository, io);
    const example = examplePayload(event, change.event === 'pull_request' ? { action: change.action } : {});
    if (example.from === 'built-in') io.stderr.write(`note: @octokit/webhooks-examples (a devDependency) is not installed; sending Pilot's built-in minimal ${event} payload\n`);
    const payload = samplePayload(example.payload, repository, change);
    const repositoryId = typeof payload.repository?.id === 'number' ? (payload.repository.id as number) : undefined;
    const delivery = signDelivery(event, payload, secret, repositoryId);
    const github = stringOption(args, 'github');
    if (github !== undefined) {
      if (!URL.canParse(github)) throw new UsageError(`--github must be the stand-in's URL, not ${JSON.stringify(github)}`);
      await announceToStandIn(github, repository.full_name, change).catch((error: Error) => {
        throw new UserError(error.message.startsWith('the GitHub stand-in') ? error.message : `could not reach the GitHub stand-in at ${github} (${error.message})`);
      });
    }
    const answer = await sendDelivery(url, delivery).catch((error: Error) => {
      const cause = error.cause instanceof Error ? error.cause.message : error.message;
      throw new UserError(`could not reach ${url} (${cause}): is 'pilot serve' running there?`);
    });
    const sent = sentOf(change, { event, delivery: delivery.id, url, repository: repository.clone_url, payload: example.from });
    printAnswer(io, format, sent, answer);
    return answer.status >= 200 && answer.status < 300 ? exitCodes.ok : exitCodes.failure;
  },
};
