// `pilot bootstrap aws|gcp`: the Pilot VM, declared and applied with Terraform; and
// `pilot bootstrap destroy aws|gcp`, which keeps the state bucket unless asked.

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runBootstrap } from '../../bootstrap/run.js';
import { resolveBootstrapOptions, type BootstrapInput } from '../../bootstrap/resolve-options.js';
import { summarize, summaryLines } from '../../bootstrap/summary.js';
import type { BootstrapOptions } from '../../bootstrap/options.js';
import { bootstrapStackDir, bootstrapStackId, synthBootstrap, withBundle } from '../../bootstrap/synth.js';
import { defaultStateDir } from '../../store/index.js';
import { choiceOption, stringOption, wholeNumberOption, type Command, type ParsedArgs } from '../command.js';
import { exitCodes, UsageError } from '../errors.js';
import type { Io } from '../io.js';
import { formatFlag, formatOf, printJson } from '../output.js';
import { nextSteps, printPlan } from '../bootstrap-output.js';
import { prompterFor } from '../prompts.js';
import { pilotVersion } from '../run.js';

const help = `Usage: pilot bootstrap aws|gcp --repo URL [options]
       pilot bootstrap aws|gcp --repo URL --dry-run [--out DIR]
       pilot bootstrap destroy aws|gcp --repo URL [options] [--delete-state-bucket]

Creates the Pilot VM: an Ubuntu LTS VM whose cloud-init installs Docker, the Waypoint
server and runner and the Pilot daemon (a hardened systemd service), its network and
firewall (443 for webhooks; Waypoint's 9701/9702 only from --admin-cidr; 22 only with
--ssh-cidr; Docker's API never on a TCP port), its own identity with a least-privilege
policy (no static keys), a generated webhook secret in the cloud's secret store, and a
private, versioned, encrypted bucket for the project stacks' Terraform state.

It plans with Terraform, shows the plan, asks before applying (or --yes), applies with
progress and prints what to do next: the webhook URL and secret for GitHub, Waypoint's
address and how to get a token. The VM's own Terraform state stays on this machine,
under the state directory (0700). Cloud credentials come from the environment
(AWS_PROFILE or AWS_ACCESS_KEY_ID..., or gcloud's application-default login).

Options:
  --repo URL                 the manifest repository (required; no credentials in it)
  --branch NAME              the branch the daemon applies (default main)
  --region REGION            default us-east-1 (aws), us-central1 (gcp)
  --zone ZONE                gcp: the VM's zone (default REGION-a)
  --gcp-project ID           gcp: the project to create everything in (required on gcp)
  --admin-cidr CIDR          who may reach Waypoint's API and UI (default: nobody)
  --ssh-cidr CIDR            open SSH to this network (default: no SSH)
  --domain NAME              the daemon's public name: a certificate is obtained for
                             it (point its DNS at the VM); without it, self-signed
  --machine-type TYPE        default t3.medium (aws), e2-medium (gcp)
  --disk-gb N                root disk (default 30)
  --name NAME                prefix of every resource (default pilot)
  --state-bucket NAME        the project stacks' state bucket (default NAME-tfstate-<hash>)
  --share-database-network   also make the private subnets project databases can share
  --runner-image IMAGE       the Waypoint server/runner image, pinned by digest
                             (registry/name@sha256:...; default: built on the VM at
                             first boot from runner-image/ of the installed Pilot)
  --pilot-package SPEC       what the VM installs with npm: a package spec or tarball
                             URL (default: this Pilot, packed with npm pack, uploaded
                             to the state bucket and checked by its SHA-256 on the VM)
  --dry-run                  write the files and a summary; no cloud is asked
  --out DIR                  with --dry-run: write cdk.tf.json, user-data.yaml (and the
                             packed Pilot the stack would upload) here
  --yes                      apply without asking (needed when stdin is not a terminal)
  --delete-state-bucket      destroy: delete the state bucket too (it must be empty)
  --state-dir DIR            where the VM's Terraform state is kept (default ~/.pilot;
                             PILOT_HOME)
  --clouds terraform|stand-in  stand-in: terraform_data in place of the cloud (tests)
  --format text|json

Exit codes: 0 done (or nothing to change), 1 a failure (terraform, a refused plan),
2 wrong usage (a bad flag value, no --yes without a terminal).

Examples:
  pilot bootstrap aws --repo https://github.com/acme/infra --dry-run --out /tmp/vm
  pilot bootstrap aws --repo https://github.com/acme/infra --admin-cidr 203.0.113.7/32 --domain pilot.acme.com
  pilot bootstrap gcp --gcp-project acme-prod --repo https://github.com/acme/infra --yes
`;

function inputOf(args: ParsedArgs, cloud: string | undefined): BootstrapInput {
  const s = (name: string) => stringOption(args, name);
  const diskGb = wholeNumberOption(args, 'disk-gb', 1);
  const input: BootstrapInput = { cloud };
  const fields: [keyof BootstrapInput, string][] = [
    ['region', 'region'], ['zone', 'zone'], ['gcpProject', 'gcp-project'], ['machineType', 'machine-type'], ['adminCidr', 'admin-cidr'],
    ['sshCidr', 'ssh-cidr'], ['domain', 'domain'], ['repo', 'repo'], ['branch', 'branch'], ['name', 'name'], ['stateBucket', 'state-bucket'],
    ['runnerImage', 'runner-image'], ['pilotPackage', 'pilot-package'],
  ];
  for (const [key, flag] of fields) {
    const value = s(flag);
    if (value !== undefined) (input as Record<string, unknown>)[key] = value;
  }
  if (diskGb !== undefined) input.diskGb = diskGb;
  if (args.values['share-database-network'] === true) input.shareDatabaseNetwork = true;
  return input;
}

async function dryRun(io: Io, args: ParsedArgs, files: Awaited<ReturnType<typeof synthBootstrap>>, summary: ReturnType<typeof summarize>, options: BootstrapOptions): Promise<number> {
  const outFlag = stringOption(args, 'out');
  const written: string[] = [];
  if (outFlag) {
    const out = path.resolve(io.cwd, outFlag);
    await mkdir(out, { recursive: true });
    const tf = path.join(out, 'cdk.tf.json');
    const userData = path.join(out, 'user-data.yaml');
    await writeFile(tf, `${JSON.stringify(files.config, null, 2)}\n`);
    await writeFile(userData, files.userData);
    written.push(tf, userData);
    // Packed there already: the stack's pilot-package object uploads it from beside cdk.tf.json.
    if (options.pilotBundle) written.push(path.join(out, options.pilotBundle.file));
  }
  if (formatOf(args) === 'json') {
    printJson(io, { stack: files.stackId, dryRun: true, summary, written });
    return exitCodes.ok;
  }
  for (const line of summaryLines(summary)) io.stdout.write(`${line}\n`);
  for (const file of written) io.stdout.write(`wrote ${file}\n`);
  io.stdout.write(written.length ? 'Nothing applied (--dry-run).\n' : 'Nothing applied (--dry-run); add --out DIR to write the Terraform JSON and the user-data.\n');
  return exitCodes.ok;
}

/** --yes, else the terminal's answer; without a terminal a usage error, never a silent apply. */
async function confirmOrRefuse(io: Io, question: string, yes: boolean): Promise<boolean> {
  if (yes) return true;
  const prompter = prompterFor(io);
  if (!prompter) throw new UsageError('stdin is not a terminal, so pilot cannot ask before applying: read the plan above, then run again with --yes');
  return prompter.confirm(question, { default: false });
}

export const bootstrapCommand: Command = {
  path: ['bootstrap'],
  summary: 'create (or destroy) the Pilot VM on aws or gcp',
  maxPositionals: 2,
  options: {
    repo: { type: 'string' }, branch: { type: 'string' }, region: { type: 'string' }, zone: { type: 'string' }, 'gcp-project': { type: 'string' },
    'admin-cidr': { type: 'string' }, 'ssh-cidr': { type: 'string' }, domain: { type: 'string' }, 'machine-type': { type: 'string' }, 'disk-gb': { type: 'string' },
    name: { type: 'string' }, 'state-bucket': { type: 'string' }, 'share-database-network': { type: 'boolean' }, 'runner-image': { type: 'string' },
    'pilot-package': { type: 'string' }, 'dry-run': { type: 'boolean' }, out: { type: 'string' }, yes: { type: 'boolean' }, 'delete-state-bucket': { type: 'boolean' },
    'state-dir': { type: 'string' }, clouds: { type: 'string' }, ...formatFlag,
  },
  help,
  async run(args, io) {
    const [first, second] = args.positionals;
    const destroying = first === 'destroy';
    const cloud = destroying ? second : first;
    if (!destroying && second !== undefined) throw new UsageError(`unexpected argument ${JSON.stringify(second)}`);
    if (args.values.out !== undefined && args.values['dry-run'] !== true) throw new UsageError('--out goes with --dry-run: a real bootstrap writes its files under the state directory');
    if (destroying && args.values['dry-run'] === true) throw new UsageError('--dry-run is for creating: run pilot bootstrap destroy without it to see the plan and be asked');
    const clouds = choiceOption(args, 'clouds', ['terraform', 'stand-in'] as const, 'terraform');
    const resolved = resolveBootstrapOptions(inputOf(args, cloud), pilotVersion());
    if (!resolved.options) throw new UsageError(resolved.problems.join('\n  '));
    const dry = args.values['dry-run'] === true;
    const outFlag = stringOption(args, 'out');
    const stateDir = path.resolve(io.cwd, stringOption(args, 'state-dir') ?? defaultStateDir(io.env));
    // The bundle goes where Terraform runs: beside the written files, or in the stack's folder.
    const scratch = dry && !outFlag ? await mkdtemp(path.join(os.tmpdir(), 'pilot-bootstrap-')) : undefined;
    try {
      const bundleDir = scratch ?? (dry ? path.resolve(io.cwd, outFlag!) : bootstrapStackDir(stateDir, bootstrapStackId(resolved.options)));
      const options = resolved.bundle ? await withBundle(resolved.options, bundleDir) : resolved.options;
      return await bootstrap(args, io, { options, stateDir, destroying, clouds });
    } finally {
      if (scratch) await rm(scratch, { recursive: true, force: true });
    }
  },
};

interface Plan {
  options: BootstrapOptions;
  stateDir: string;
  destroying: boolean;
  clouds: 'terraform' | 'stand-in';
}

async function bootstrap(args: ParsedArgs, io: Io, { options, stateDir, destroying, clouds }: Plan): Promise<number> {
  const files = await synthBootstrap(options);
  const summary = summarize(options, files.config, files.userData);
  if (args.values['dry-run'] === true) return dryRun(io, args, files, summary, options);
  const json = formatOf(args) === 'json';
  // Progress and the plan go to stderr with --format json, so stdout holds one object.
  const out: Io = json ? { ...io, stdout: io.stderr } : io;
  if (!destroying) for (const line of summaryLines(summary)) out.stdout.write(`${line}\n`);
  const outcome = await runBootstrap({
    files, stateDir, standIn: clouds === 'stand-in', destroy: destroying, keepStateBucket: args.values['delete-state-bucket'] !== true, env: { ...process.env, ...io.env },
    onProgress: (line) => io.stderr.write(`  ${line}\n`),
    showPlan: (changes, kept) => printPlan(out, changes, kept),
    confirm: () => confirmOrRefuse(io, destroying ? 'Destroy the Pilot VM?' : 'Create the Pilot VM?', args.values.yes === true),
  });
  if (json) {
    const outputs = 'outputs' in outcome ? Object.fromEntries(Object.entries(outcome.outputs).filter(([, o]) => !o.sensitive).map(([k, o]) => [k, o.value])) : {};
    printJson(io, { stack: files.stackId, status: outcome.status, outputs, ...('kept' in outcome ? { kept: outcome.kept } : {}) });
  } else if (outcome.status === 'declined') {
    io.stdout.write('Nothing changed.\n');
  } else if (outcome.status === 'unchanged') {
    io.stdout.write('The Pilot VM is as declared: nothing to change.\n');
  } else if (outcome.status === 'destroyed') {
    io.stdout.write(`The Pilot VM is destroyed.${outcome.kept.length ? ` Kept: the state bucket ${options.stateBucket} (pass --delete-state-bucket to delete it; it must be empty).` : ''}\n`);
  } else if ('outputs' in outcome) {
    io.stdout.write(`\n${nextSteps(options, outcome.outputs).join('\n')}\n`);
  }
  return exitCodes.ok;
}
