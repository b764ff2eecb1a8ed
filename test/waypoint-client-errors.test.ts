// How the client classifies what a real v0.11.4 server answers for a bad token
// (pkg/server/singleprocess/auth.go, decodeToken): every text is sent as UNKNOWN.

import { Metadata, status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { classifyGrpcError } from '../src/waypoint/client/errors.js';

function serviceError(code: status, details: string) {
  return Object.assign(new Error(`${code} ${status[code]}: ${details}`), { code, details, metadata: new Metadata() });
}

describe('bad tokens', () => {
  const texts = [
    "failed to base58 decode token: invalid base58 digit ('-')",
    'Failed to decode authentication token. The magic string embedded in the token does not match what was expected. This is likely due to the token string being an invalid auth token.',
    'failed to proto unmarshal token: proto: cannot parse invalid wire-format data',
    'bad token signature: invalid authentication token',
  ];
  it.each(texts)('UNKNOWN %j is an authentication failure that needs a person, not a retry', (text) => {
    const error = classifyGrpcError(serviceError(status.UNKNOWN, text), 'ListProjects', 'waypoint:9701');
    expect(error).toMatchObject({ kind: 'stalled', code: 'waypoint.unauthenticated' });
    expect(error.message).toContain('PILOT_WAYPOINT_TOKEN');
  });

  it('any other UNKNOWN stays transient', () => {
    const error = classifyGrpcError(serviceError(status.UNKNOWN, 'stream terminated by RST_STREAM'), 'ListProjects', 'waypoint:9701');
    expect(error).toMatchObject({ kind: 'transient', code: 'waypoint.unknown' });
  });
});
