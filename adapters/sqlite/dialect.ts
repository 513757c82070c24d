import type { SqlDialect } from '../sql/dialect.js';
import { type ColumnCodec, rowMapping } from '../sql/row-mapping.js';

/** SQLite's representation: dates as epoch milliseconds, booleans as 0/1, JSON and lists as JSON text. */
const sqliteCodec: ColumnCodec = {
  readDate: (value) => new Date(Number(value)),
  writeDate: (value) => value.getTime(),
  readJson: <T>(value: unknown) => JSON.parse(String(value)) as T,
  writeJson: (value) => JSON.stringify(value),
  readBoolean: (value) => value === 1,
  writeBoolean: (value) => (value ? 1 : 0),
  readList: (value) => JSON.parse(String(value)) as string[],
  writeList: (value) => JSON.stringify(value),
};

/** better-sqlite3's extended result codes of a duplicate, by the kind of constraint. */
const duplicateCodes = { 'unique-index': 'SQLITE_CONSTRAINT_UNIQUE', 'primary-key': 'SQLITE_CONSTRAINT_PRIMARYKEY' };

/**
 * How SQLite spells the shared statements: `?` placeholders, lists as JSON
 * text read with `json_each`, the BINARY collation (code-point order on
 * UTF-8) as it is, no row locks (every transaction holds the database's
 * write lock from `BEGIN IMMEDIATE`), `instr` for an exact substring, and one
 * row per `INSERT` (in process, a prepared statement per row is as fast as one
 * long statement).
 */
export const sqliteDialect: SqlDialect = {
  codec: sqliteCodec,
  rows: rowMapping(sqliteCodec),
  placeholder: () => '?',
  rowsPerInsert: 1,
  lockRows: '',
  lockRowsSkippingHeld: '',
  bytewise: (column) => column,
  bytewiseValue: (placeholder) => placeholder,
  dateValue: (placeholder) => placeholder,
  isAnyOf: (column, list) => `${column} IN (SELECT value FROM json_each(${list}))`,
  overlaps: (column, list) =>
    `EXISTS (SELECT 1 FROM json_each(${column}) WHERE value IN (SELECT value FROM json_each(${list})))`,
  contains: (column, text, bind) => `instr(${column}, ${bind(text)}) > 0`,
  jsonArray: (placeholder) => placeholder,
  violates: (error, constraint) => (error as { code?: unknown } | null)?.code === duplicateCodes[constraint],
};
