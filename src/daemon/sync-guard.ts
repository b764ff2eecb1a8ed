// What POST /api/sync asks of a request beyond access: JSON (a page elsewhere can post
// a form or text/plain without asking first, not JSON), a Host that names this daemon
// (DNS rebinding), no Origin of another site, and no more than one sync a second.

import type { IncomingHttpHeaders } from 'node:http';
import { bare, type HttpAccess, type Refusal } from './http-access.js';

/** The host name of a Host header or of an Origin; undefined when it is not one. */
function hostNameOf(text: string, scheme: boolean): string | undefined {
  try {
    return bare(new URL(scheme ? text : `http://${text}`).hostname);
  } catch {
    return undefined;
  }
}

export function syncRefusal(headers: IncomingHttpHeaders, access: HttpAccess): Refusal | undefined {
  const host = hostNameOf(headers.host ?? '', false);
  if (host === undefined || !access.allowedHosts.has(host)) {
    return { status: 403, error: `Host ${host ?? '(none)'} is not an address of this daemon; reach it by its listen address, localhost or http.publicUrl` };
  }
  if (headers.origin !== undefined) {
    const origin = hostNameOf(headers.origin, true);
    if (origin === undefined || !access.allowedHosts.has(origin)) return { status: 403, error: 'a sync is not taken from pages of another site' };
  }
  const mediaType = headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'application/json') return { status: 415, error: 'Content-Type must be application/json' };
  return undefined;
}

/** One admitted per `intervalMs`: returns 0 when admitted, else the milliseconds until the next can be. */
export function pace(intervalMs: number, now: () => number = Date.now): () => number {
  let last = -Infinity;
  return () => {
    const wait = last + intervalMs - now();
    if (wait > 0) return wait;
    last = now();
    return 0;
  };
}
