// What `pilot bootstrap` prints around Terraform's work: the plan a person says yes to,
// and, after the apply, what to do next (the webhook for GitHub, Waypoint's address).

import type { StackOutputs } from '../drivers/outputs.js';
import type { PlannedChange } from '../bootstrap/run.js';
import { vmOutputs, vmPorts, type BootstrapOptions } from '../bootstrap/options.js';
import type { Io } from './io.js';
import { paint, useColour } from './io.js';

const symbols: Record<PlannedChange['action'], string> = { create: '+', update: '~', replace: '-/+', delete: '-' };

export function printPlan(io: Io, changes: readonly PlannedChange[], kept: readonly string[]): void {
  const p = paint(useColour(io));
  for (const change of changes) {
    const line = `  ${symbols[change.action]} ${change.address}`;
    io.stdout.write(`${change.destructive ? p.red(line) : line}\n`);
  }
  for (const address of kept) io.stdout.write(p.dim(`  = ${address} (kept)\n`));
  const count = (action: PlannedChange['action']) => changes.filter((c) => c.action === action).length;
  io.stdout.write(`${count('create')} to create, ${count('update')} to change, ${count('replace')} to replace, ${count('delete')} to destroy.\n`);
}

const text = (outputs: StackOutputs, name: string) => {
  const value = outputs[name]?.value;
  return typeof value === 'string' ? value : '';
};

/** The lines after a successful apply. The webhook secret is shown here once, never logged. */
export function nextSteps(options: BootstrapOptions, outputs: StackOutputs): string[] {
  const ip = text(outputs, vmOutputs.publicIp);
  const host = options.domain ?? ip;
  const lines = [
    `The Pilot VM is at ${ip}. Its first boot installs everything and takes a few minutes.`,
    '',
    'Next:',
    `  1. Point GitHub at it: in ${options.repo}, Settings > Webhooks > Add webhook`,
    `       Payload URL   https://${host}/webhooks/github`,
    '       Content type  application/json',
    `       Secret        ${text(outputs, vmOutputs.webhookSecret)}`,
    '       Events        pushes and pull requests',
    `     (the secret is also in ${text(outputs, vmOutputs.webhookSecretRef)}; a GitHub App takes the same URL and secret)`,
  ];
  if (options.domain) lines.push(`     Point the DNS name ${options.domain} at ${ip} first: the certificate is requested for it.`);
  else lines.push('     The certificate is self-signed: its fingerprint is on the VM\'s serial console ("pilot: TLS certificate sha256 fingerprint ...");', '     give --domain for one GitHub verifies.');
  lines.push(`  2. Watch it converge: https://${host}/ (the status page), /readyz answers 200 when it is ready.`);
  if (options.adminCidr) {
    lines.push(`  3. Waypoint is at ${ip}:${vmPorts.waypointGrpc} (UI https://${ip}:${vmPorts.waypointUi}) from ${options.adminCidr}.`);
  } else {
    lines.push(`  3. Waypoint's ports are closed (no --admin-cidr): reach them through ${options.cloud === 'aws' ? 'Session Manager' : 'IAP'} or run bootstrap again with --admin-cidr.`);
  }
  lines.push(
    '     Tokens: the daemon made its own at first start (/var/lib/pilot/waypoint-token on the VM, 0600);',
    '     for yourself, run `waypoint user token` on the VM with it (README: "The Pilot VM").',
    `  4. Project stacks keep their Terraform state in ${text(outputs, vmOutputs.stateBucket) || options.stateBucket}; the daemon is configured for it.`,
  );
  return lines;
}
