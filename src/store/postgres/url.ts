// A postgres:// store URL, checked once where it enters: where it points, said without
// its password, and the password itself kept only to scrub it from the driver's words.

import { PilotError } from '../../reconciler/errors.js';

export interface StoreAddress {
  /** The URL as given, for the driver alone: it may hold the password. */
  readonly url: string;
  /** postgres://user@host:port/database: what logs, errors and `describe` show. */
  readonly describe: string;
  /** The passwords the URL holds (in its userinfo or a password= parameter), to scrub. */
  readonly secrets: readonly string[];
}

const example = 'postgres://USER:PASSWORD@HOST:5432/DATABASE';

export function parsePostgresUrl(url: string): StoreAddress {
  const scheme = url.slice(0, url.indexOf(':'));
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Not even the host is shown: a malformed URL may put its password anywhere.
    throw badUrl(`a ${scheme}: store URL that does not parse (is a character in the password not percent-encoded?): use ${example}`);
  }
  const secrets = [parsed.password, parsed.searchParams.get('password') ?? ''].filter(Boolean).flatMap((secret) => [secret, safeDecode(secret)]);
  const user = safeDecode(parsed.username);
  const host = parsed.hostname || parsed.searchParams.get('host') || '';
  const database = safeDecode(parsed.pathname.replace(/^\//, ''));
  const where = `${scheme}://${user ? `${user}@` : ''}${host}:${parsed.port || '5432'}/${database}`;
  if (!host) throw badUrl(`the store URL ${where} names no host: use ${example}`);
  if (!database) throw badUrl(`the store URL ${where} names no database: use ${example}`);
  return { url, describe: where, secrets: [...new Set(secrets)] };
}

/** Text with every password of the address replaced, for messages that quote the driver. */
export function scrub(text: string, address: Pick<StoreAddress, 'secrets'>): string {
  return address.secrets.reduce((out, secret) => out.split(secret).join('***'), text);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function badUrl(message: string): PilotError {
  return new PilotError('stalled', 'store.bad-url', message);
}
