// The only sources a Pilot VM admits besides HTTPS from anywhere: --admin-cidr (Waypoint)
// and --ssh-cidr (SSH), each only when given. Either being "the whole internet" would
// undo the point of asking for it, so the VM stacks refuse it as well as the command.

import { isIPv4 } from 'node:net';
import type { BootstrapOptions } from '../bootstrap/options.js';

function checkCidr(flag: string, cidr: string): void {
  const [address = '', bits = '', ...rest] = cidr.split('/');
  const prefix = /^\d{1,2}$/.test(bits) ? Number(bits) : -1;
  if (rest.length > 0 || !isIPv4(address) || prefix < 0 || prefix > 32) throw new Error(`${flag} "${cidr}" is not an IPv4 CIDR such as 203.0.113.7/32`);
  if (prefix === 0) throw new Error(`${flag} ${cidr} would open the port to the whole internet: give your own address or network`);
}

export function checkSources(options: BootstrapOptions): void {
  if (options.adminCidr !== undefined) checkCidr('--admin-cidr', options.adminCidr);
  if (options.sshCidr !== undefined) checkCidr('--ssh-cidr', options.sshCidr);
}
