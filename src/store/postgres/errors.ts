// The driver's errors classified once, at the store's edge: a server that cannot be
// reached (or refuses us) becomes store.unreachable, naming where and what to check,
// never the password; anything else (a bug, a constraint) goes up as it is.

import { PilotError } from '../../reconciler/errors.js';
import { scrub, type StoreAddress } from './url.js';

const networkCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);

/** The driver's own words for a connection that closed or never opened (they carry no code). */
const connectionMessages = /Connection terminated|connection error|timeout expired|timeout exceeded when trying to connect|Query read timeout|Client was closed|not queryable|client password must be a string/i;

/**
 * SQLSTATE classes 08 (connection exception) and 28 (authorization), a database that
 * does not exist (3D000), and a server shutting down or starting (57P01-57P03).
 */
function isConnectionCode(code: string): boolean {
  return networkCodes.has(code) || /^(08|28)/.test(code) || code === '3D000' || /^57P0[123]$/.test(code);
}

export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return (typeof code === 'string' && isConnectionCode(code)) || connectionMessages.test(error.message);
}

/** What an operator should check, by what the server or the network said. */
function advice(code: string, message: string): string {
  // pg's words when the server asks for a password and none was given anywhere.
  if (/client password must be a string/i.test(message)) return 'the server asks for a password and none was given: set PGPASSWORD, add it to ~/.pgpass, or give the whole URL as PILOT_STATE_URL';
  if (code.startsWith('28')) return 'check the user and password in the store URL (and pg_hba.conf on the server)';
  if (code === '3D000') return 'create the database (CREATE DATABASE) or fix its name in the store URL';
  if (code.startsWith('57P0')) return 'the server is shutting down or starting: wait for it, then run again';
  return 'check that PostgreSQL runs there and accepts connections from this machine (host, port, firewall, listen_addresses, pg_hba.conf)';
}

function unreachable(address: StoreAddress, error: unknown): PilotError {
  const code = String((error as { code?: unknown } | null)?.code ?? '');
  const message = error instanceof Error ? error.message : String(error);
  const said = scrub(message, address);
  // The driver's error goes along as the cause only when its words hold no password.
  return new PilotError('stalled', 'store.unreachable', `cannot use the state store ${address.describe} (${said}): ${advice(code, message)}`,
    said === message ? { cause: error } : {});
}

/** A connection failure as store.unreachable; PilotErrors and every other error as they are. */
export function toStoreError(error: unknown, address: StoreAddress): unknown {
  if (error instanceof PilotError || !isConnectionError(error)) return error;
  return unreachable(address, error);
}
