import type { SqlDialect } from '../sql/dialect.js';
import { type ColumnCodec, rowMapping } from '../sql/row-mapping.js';
import { postgresSearchStart } from './search-start.js';
import { anywhere, postgresSearchPage } from './user-search.js';

/**
 * PostgreSQL's representation: timestamptz columns as `Date`, text[] columns
 * as arrays, jsonb as objects (so postgres.js stores real jsonb rather than a
 * string) and top-level JSON arrays as text, which pg would otherwise send as
 * a PostgreSQL array.
 */
const postgresCodec: ColumnCodec = {
  readDate: (value) => (value instanceof Date ? value : new Date(String(value))),
  writeDate: (value) => value,
  readJson: <T>(value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value) as T,
  writeJson: (value) => (Array.isArray(value) ? JSON.stringify(value) : value),
  readBoolean: (value) => Boolean(value),
  writeBoolean: (value) => value,
  readList: (value) => (value as string[] | null) ?? [],
  writeList: (value) => value,
};

/** The unique violation's SQLSTATE, for a unique index and a primary key alike. */
const uniqueViolation = '23505';

/**
 * How PostgreSQL spells the shared statements: `$n` placeholders, text[]
 * parameters with `= ANY` and `&&` (which the GIN indexes of migration 4
 * serve), `COLLATE "C"` for code-point order, row locks that transactions
 * running side by side need, `LIKE` for search (served by the trigram index
 * of migration 2), and a thousand rows per batch `INSERT` (a statement is a
 * round trip; 28 parameters a user stays far below the 65,535 allowed).
 */
export const postgresDialect: SqlDialect = {
  codec: postgresCodec,
  rows: rowMapping(postgresCodec),
  placeholder: (index) => `$${index}`,
  rowsPerInsert: 1_000,
  lockRows: ' FOR UPDATE',
  lockRowsSkippingHeld: ' FOR UPDATE SKIP LOCKED',
  bytewise: (column) => `${column} COLLATE "C"`,
  bytewiseValue: (placeholder) => `${placeholder}::text COLLATE "C"`,
  dateValue: (placeholder) => `${placeholder}::timestamptz`,
  isAnyOf: (column, list) => `${column} = ANY(${list}::text[])`,
  overlaps: (column, list) => `${column} && ${list}::text[]`,
  contains: (column, text, bind) => `${column} LIKE ${bind(anywhere(text))}`,
  searchPage: postgresSearchPage,
  searchStart: postgresSearchStart,
  // JSON text, so that every driver sends it the same way (postgres.js would type a string as text).
  jsonArray: (placeholder) => `${placeholder}::text::jsonb`,
  violates: (error) => (error as { code?: unknown } | null)?.code === uniqueViolation,
};
