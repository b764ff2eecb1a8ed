// gRPC failures -> PilotError, classified once, here, with messages an operator can act on.

import { status as Status, type ServiceError } from '@grpc/grpc-js';
import { PilotError, type ErrorKind } from '../../reconciler/errors.js';

const kinds: Partial<Record<Status, { kind: ErrorKind; code: string }>> = {
  [Status.UNAVAILABLE]: { kind: 'transient', code: 'waypoint.unavailable' },
  [Status.DEADLINE_EXCEEDED]: { kind: 'transient', code: 'waypoint.deadline' },
  [Status.ABORTED]: { kind: 'transient', code: 'waypoint.aborted' },
  [Status.INTERNAL]: { kind: 'transient', code: 'waypoint.internal' },
  [Status.UNKNOWN]: { kind: 'transient', code: 'waypoint.unknown' },
  [Status.CANCELLED]: { kind: 'transient', code: 'waypoint.cancelled' },
  [Status.RESOURCE_EXHAUSTED]: { kind: 'waiting', code: 'waypoint.busy' },
  [Status.UNAUTHENTICATED]: { kind: 'stalled', code: 'waypoint.unauthenticated' },
  [Status.PERMISSION_DENIED]: { kind: 'stalled', code: 'waypoint.permission-denied' },
  [Status.INVALID_ARGUMENT]: { kind: 'stalled', code: 'waypoint.invalid-argument' },
  [Status.FAILED_PRECONDITION]: { kind: 'stalled', code: 'waypoint.failed-precondition' },
  [Status.NOT_FOUND]: { kind: 'stalled', code: 'waypoint.not-found' },
  [Status.ALREADY_EXISTS]: { kind: 'stalled', code: 'waypoint.already-exists' },
  [Status.UNIMPLEMENTED]: { kind: 'stalled', code: 'waypoint.unimplemented' },
  [Status.OUT_OF_RANGE]: { kind: 'stalled', code: 'waypoint.out-of-range' },
};

function advice(code: Status, address: string): string {
  switch (code) {
    case Status.UNAUTHENTICATED:
      return `authentication failed: Waypoint at ${address} did not accept the token; set PILOT_WAYPOINT_TOKEN (or --waypoint-token) to a token from 'waypoint user token'`;
    case Status.PERMISSION_DENIED:
      return `permission denied by Waypoint at ${address}: the token lacks the rights for this call`;
    case Status.UNAVAILABLE:
      return `Waypoint at ${address} is unreachable: check that the server runs and the address, port and TLS mode (--waypoint-tls) are right`;
    case Status.DEADLINE_EXCEEDED:
      return `Waypoint at ${address} did not answer in time`;
    default:
      return `Waypoint at ${address} refused the call`;
  }
}

/**
 * The real server rejects a bad token with plain errors, which gRPC sends as UNKNOWN
 * (pkg/server/singleprocess/auth.go, decodeToken): a token that is not base58, one
 * without the magic prefix, one that does not unmarshal, and a bad signature. Only
 * the last says "invalid authentication token"; all four are authentication failures,
 * which no retry mends.
 */
const badTokenText = /invalid authentication token|failed to base58 decode token|Failed to decode authentication token|failed to proto unmarshal token/;

export function isServiceError(error: unknown): error is ServiceError {
  return typeof error === 'object' && error !== null && 'code' in error && typeof (error as ServiceError).code === 'number' && 'details' in error;
}

/** `rpc` names the call, e.g. QueueJob; the server's own words follow the advice. */
export function classifyGrpcError(error: unknown, rpc: string, address: string): PilotError {
  if (error instanceof PilotError) return error;
  if (!isServiceError(error)) return new PilotError('transient', 'waypoint.client', `${rpc}: ${(error as Error).message ?? String(error)}`, { cause: error });
  if (error.code === Status.UNKNOWN && badTokenText.test(error.details)) {
    return new PilotError('stalled', 'waypoint.unauthenticated', `${rpc}: ${advice(Status.UNAUTHENTICATED, address)} (${error.details})`, { cause: error });
  }
  const entry = kinds[error.code] ?? { kind: 'stalled' as const, code: 'waypoint.error' };
  const details = error.details ? ` (${error.details})` : '';
  return new PilotError(entry.kind, entry.code, `${rpc}: ${advice(error.code, address)}${details}`, {
    cause: error,
    ...(entry.kind === 'waiting' ? { retryAfterMs: 5_000 } : {}),
  });
}

export function grpcCode(error: unknown): Status | undefined {
  const cause = error instanceof PilotError ? error.cause : error;
  return isServiceError(cause) ? cause.code : undefined;
}
