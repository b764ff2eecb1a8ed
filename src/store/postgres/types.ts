// How rows come back from PostgreSQL: in the shapes the SQLite store's rows have, so
// both stores share one conversion to records (../rows.ts). Ids and generations
// (bigint) as numbers, times (timestamptz) as ISO 8601 strings, JSON as its text.

import pg from 'pg';

const { builtins } = pg.types;

export function storeTypes(): pg.CustomTypesConfig {
  const types = new pg.TypeOverrides();
  // Run ids and generations stay far below 2^53.
  types.setTypeParser(builtins.INT8, Number);
  const toDate = pg.types.getTypeParser(builtins.TIMESTAMPTZ);
  types.setTypeParser(builtins.TIMESTAMPTZ, (text: string) => (toDate(text) as Date).toISOString());
  // As written: JSON.parse of the text, by the caller, tells a JSON null from no value.
  types.setTypeParser(builtins.JSON, (text: string) => text);
  return types;
}
