// Who may read the daemon's status and ask it to sync. With an API token: whoever
// shows it (a bearer token; for the page, a cookie derived from it). Without one:
// loopback peers only, and not through a proxy. Health checks and webhooks are open.

import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { Settings } from '../app/settings.js';

export interface HttpAccess {
  apiToken?: string;
  /** Host names (lower case, IPv6 without brackets) a sync may name in Host and Origin. */
  allowedHosts: ReadonlySet<string>;
  /** The page's cookie is sent over HTTPS only: the public URL is https. */
  secureCookie: boolean;
}

export interface Refusal {
  status: 401 | 403 | 415;
  error: string;
  headers?: Record<string, string>;
}

const wildcard = new Set(['', '0.0.0.0', '::']);
const loopbackNames = ['localhost', '127.0.0.1', '::1'];

/** What the HTTP server needs from the settings; when listening on every address, every local one is the listen address. */
export function httpAccess(http: Settings['http'], localAddresses: () => string[] = interfaceAddresses): HttpAccess {
  const hosts = new Set(loopbackNames);
  const host = bare(http.host);
  if (wildcard.has(host)) for (const address of localAddresses()) hosts.add(bare(address));
  else hosts.add(host);
  if (http.publicUrl) hosts.add(bare(new URL(http.publicUrl).hostname));
  return { ...(http.apiToken ? { apiToken: http.apiToken } : {}), allowedHosts: hosts, secureCookie: http.publicUrl?.startsWith('https://') === true };
}

/** Listening where other machines can connect, with nothing to ask them for: worth a warning at start-up. */
export function exposedWithoutToken(http: Settings['http']): boolean {
  const host = bare(http.host);
  return !http.apiToken && host !== 'localhost' && !isLoopback(host);
}

export function isLoopback(address: string | undefined): boolean {
  const ip = address?.replace(/^::ffff:/i, '');
  return ip === '::1' || (ip !== undefined && isIP(ip) === 4 && ip.startsWith('127.'));
}

/** A request a proxy on this machine passed on comes from loopback, but for someone else. */
function forwarded(headers: IncomingHttpHeaders): boolean {
  return headers.forwarded !== undefined || headers['x-forwarded-for'] !== undefined || headers['x-real-ip'] !== undefined;
}

/**
 * Why a request may not read the status (`cookie`: the page's cookie counts) or sync
 * (it does not: a browser sends cookies along with requests other sites make).
 */
export function accessRefusal(request: { remoteAddress: string | undefined; headers: IncomingHttpHeaders }, access: HttpAccess, cookie: boolean): Refusal | undefined {
  const { apiToken } = access;
  if (apiToken) {
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
    if (bearer !== undefined && same(bearer, apiToken)) return undefined;
    const session = cookie ? sessionCookieOf(request.headers.cookie) : undefined;
    if (session !== undefined && same(session, sessionValue(apiToken))) return undefined;
    return { status: 401, error: 'an API token is required: send Authorization: Bearer <the daemon\'s http.apiToken>', headers: { 'www-authenticate': 'Bearer' } };
  }
  if (isLoopback(request.remoteAddress) && !forwarded(request.headers)) return undefined;
  return { status: 403, error: 'without an API token this answers only the machine pilot runs on: set http.apiToken in pilot.config.yaml (or PILOT_API_TOKEN) and send it as Authorization: Bearer <token>' };
}

const cookieName = 'pilot_session';
/** A browser signed in with ?token= stays so for 12 hours. */
const cookieSeconds = 12 * 60 * 60;

/** The cookie's value: derived from the token, so it opens the page but cannot be used as the token to sync. */
function sessionValue(apiToken: string): string {
  return createHmac('sha256', apiToken).update('pilot status page session').digest('hex');
}

export function sessionCookie(access: HttpAccess): string {
  return `${cookieName}=${sessionValue(access.apiToken ?? '')}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${cookieSeconds}${access.secureCookie ? '; Secure' : ''}`;
}

function sessionCookieOf(header: string | undefined): string | undefined {
  return header?.split(';').map((part) => part.trim().split('=')).find(([name]) => name === cookieName)?.[1];
}

/** Equal, in time that depends on neither value. */
export function same(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** Lower case, IPv6 brackets removed. */
export function bare(host: string): string {
  return host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
}

function interfaceAddresses(): string[] {
  return Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((entry) => entry.address));
}
