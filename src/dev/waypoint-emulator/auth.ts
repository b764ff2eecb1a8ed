// The checks the real server's interceptors make on request metadata, in its order:
// protocol version negotiation first, then the token.

import type { Metadata } from '@grpc/grpc-js';
import { rpcError, status, type RpcError } from './errors.js';
import type { TokenStore } from './tokens.js';

export const apiProtocol = { current: 1, minimum: 1 } as const;

const protocolHeader = 'client-api-protocol';

/** RPCs whose token is not checked (the subset of the real list that server.proto has). */
const unauthenticated = new Set(['BootstrapToken', 'GetVersionInfo']);

const clientOutdated = `The client's supported protocol version is not understood by the server.

This means that the client is too outdated for the server. To solve this,
the client must be upgraded to a newer version.`;

const serverOutdated = `The server's minimum advertised protocol version is too outdated for the client.

This means that the client being run is newer than the server and the
API has changed significantly enough that this client can no longer communicate
to this server.

To solve this, either downgrade the client or upgrade the server. Please read
any upgrade guides prior to doing this to ensure a safe transition.`;

function checkProtocol(metadata: Metadata): RpcError | undefined {
  const values = metadata.get(protocolHeader);
  if (values.length !== 1) return rpcError(status.INVALID_ARGUMENT, `required header ${protocolHeader} is not set`);
  const parsed = /^(\d+),(\d+)/.exec(String(values[0]));
  const where = `header ${JSON.stringify(protocolHeader)}`;
  if (!parsed) return rpcError(status.INVALID_ARGUMENT, `${where}: protocol version header must be formatted <min>,<current>`);
  const [min, current] = [Number(parsed[1]), Number(parsed[2])];
  const versions = `(client supports ${min} to ${current}, server supports ${apiProtocol.minimum} to ${apiProtocol.current})`;
  if (current < apiProtocol.minimum) return rpcError(status.INVALID_ARGUMENT, `${where}: ${clientOutdated} ${versions}`);
  if (apiProtocol.current < min) return rpcError(status.INVALID_ARGUMENT, `${where}: ${serverOutdated} ${versions}`);
  return undefined;
}

/** `waypoint-token` wins when present (even empty); `authorization` is the fallback. */
function tokenOf(metadata: Metadata): string {
  const [preferred] = metadata.get('waypoint-token');
  if (preferred !== undefined) return String(preferred);
  const [fallback] = metadata.get('authorization');
  return fallback === undefined ? '' : String(fallback);
}

export function checkCall(method: string, metadata: Metadata, tokens: TokenStore, stream: boolean): RpcError | undefined {
  if (method !== 'GetVersionInfo') {
    const problem = checkProtocol(metadata);
    if (problem) return problem;
  }
  const token = tokenOf(metadata);
  // The stream interceptor rejects an empty token before it looks at the list of open RPCs.
  if (token === '' && (stream || !unauthenticated.has(method))) {
    return rpcError(status.UNAUTHENTICATED, 'Authorization token is not supplied');
  }
  if (unauthenticated.has(method) || tokens.accepts(token)) return undefined;
  // decodeToken fails with a plain Go error, sent as UNKNOWN (pkg/server/singleprocess/auth.go 339-361).
  return rpcError(status.UNKNOWN, tokens.rejection(token));
}
