// Google APIs' JSON error shape and bearer-token check, shared by the Storage and Compute stand-ins.

import type { ServerResponse } from 'node:http';
import { sendJson, type RecordedRequest } from './http-stand-in.js';

const statusNames: Record<number, string> = {
  400: 'INVALID_ARGUMENT', 401: 'UNAUTHENTICATED', 403: 'PERMISSION_DENIED', 404: 'NOT_FOUND', 409: 'ALREADY_EXISTS',
};

export function googleError(res: ServerResponse, code: number, message: string, reason: string, extra: Record<string, string> = {}): void {
  sendJson(res, code, { error: { code, message, errors: [{ message, domain: 'global', reason, ...extra }], status: statusNames[code] } });
}

/** Answers 401 as Google does and returns false unless the request carries a token the test issued. */
export function requireBearer(req: RecordedRequest, res: ServerResponse, isValidToken: (token: string) => boolean): boolean {
  const header = req.headers.authorization;
  if (!header) {
    googleError(res, 401, 'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential.', 'required', { location: 'Authorization', locationType: 'header' });
    return false;
  }
  const token = /^Bearer (\S+)$/.exec(header)?.[1];
  if (token === undefined || !isValidToken(token)) {
    googleError(res, 401, 'Invalid Credentials', 'authError', { location: 'Authorization', locationType: 'header' });
    return false;
  }
  return true;
}
