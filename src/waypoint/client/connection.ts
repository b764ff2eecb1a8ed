// How Pilot reaches a Waypoint server: address, TLS mode, token and keepalive.

import { readFile } from 'node:fs/promises';
import * as grpc from '@grpc/grpc-js';
import { PilotError } from '../../reconciler/errors.js';
import type { Logger } from '../../reconciler/logger.js';
import { waypointService } from '../proto/load.js';

/** verify: check the certificate (against caFile, else the system's roots); skip-verify: accept
 * Waypoint's self-signed default certificate; off: plaintext, loopback only. */
export type TlsMode = 'verify' | 'skip-verify' | 'off';

export interface ConnectionOptions {
  /** host:port; the port defaults to 9701. */
  address: string;
  token?: string;
  tls: TlsMode;
  caFile?: string;
  /** Name to expect in the certificate when it differs from the address's host. */
  serverName?: string;
  /** Deadline of each unary call (default 30 s). */
  deadlineMs?: number;
  logger?: Logger;
}

export function normalizeAddress(address: string): string {
  const trimmed = address.replace(/^(grpcs?|https?):\/\//, '').replace(/\/+$/, '');
  return /:\d+$/.test(trimmed) ? trimmed : `${trimmed}:9701`;
}

export function isLoopback(address: string): boolean {
  const host = address.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

async function credentialsFor(options: ConnectionOptions, address: string): Promise<grpc.ChannelCredentials> {
  switch (options.tls) {
    case 'off':
      if (!isLoopback(address)) {
        throw new PilotError('stalled', 'waypoint.insecure', `refusing plaintext to ${address}: the token would cross the network unencrypted; use --waypoint-tls verify or skip-verify (plaintext is for loopback only)`);
      }
      return grpc.credentials.createInsecure();
    case 'skip-verify':
      options.logger?.warn({ address }, 'waypoint certificate not verified (tls skip-verify)');
      return grpc.credentials.createSsl(null, null, null, { rejectUnauthorized: false, checkServerIdentity: () => undefined });
    case 'verify': {
      const ca = options.caFile ? await readFile(options.caFile).catch((error: NodeJS.ErrnoException) => {
        throw new PilotError('stalled', 'waypoint.ca-file', `cannot read the CA file ${options.caFile} (${error.code ?? error.message})`);
      }) : null;
      return grpc.credentials.createSsl(ca);
    }
  }
}

/** Keepalive within the server's rules: it refuses pings more often than every 20 s. */
const channelOptions: grpc.ChannelOptions = {
  'grpc.keepalive_time_ms': 30_000,
  'grpc.keepalive_timeout_ms': 10_000,
  'grpc.keepalive_permit_without_calls': 1,
  'grpc.max_receive_message_length': 64 * 1024 * 1024,
};

export async function openChannel(options: ConnectionOptions): Promise<{ stub: grpc.Client; address: string }> {
  const address = normalizeAddress(options.address);
  const credentials = await credentialsFor(options, address);
  const extra: grpc.ChannelOptions = options.serverName ? { 'grpc.ssl_target_name_override': options.serverName } : {};
  const Service = waypointService();
  return { stub: new Service(address, credentials, { ...channelOptions, ...extra }), address };
}

/** Headers of every call: the token under both keys the server reads, and the protocol. */
export function callMetadata(token: string | undefined, rpc: string): grpc.Metadata {
  const metadata = new grpc.Metadata();
  if (rpc !== 'GetVersionInfo') {
    metadata.set('client-api-protocol', '1,1');
    metadata.set('client-entrypoint-protocol', '1,1');
  }
  if (token) {
    metadata.set('waypoint-token', token);
    metadata.set('authorization', token);
  }
  return metadata;
}
