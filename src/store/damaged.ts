// SQLite's word that state.db is not a database it can read (a bad copy, a full disk, a
// torn write), turned into what an operator can act on: the file, and the way out.

import { PilotError } from '../reconciler/errors.js';

const damagedCodes = /^SQLITE_(CORRUPT|NOTADB)/;

/** A PilotError for SQLite's corruption codes; any other error as it is. */
export function damagedStore(file: string, error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !damagedCodes.test(code)) return error;
  return new PilotError(
    'stalled',
    'store.damaged',
    `${file} is damaged (SQLite: ${(error as Error).message}). Restore it from your backup, or move it aside with its -wal and -shm files ` +
      `(mv ${file} ${file}.damaged) and run again: Pilot starts a new record, redeploys each app in the manifests once, ` +
      'and forgets apps it deployed that the manifests no longer name (remove those by hand).',
    { cause: error },
  );
}
