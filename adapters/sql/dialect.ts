import type { UserQuery } from '../../src/adapter-kit/index.js';
import type { ColumnCodec, Row, RowMapping } from './row-mapping.js';

/**
 * A write sent later, beside others, as one statement: an `INSERT`,
 * `UPDATE` or `DELETE` without `RETURNING`, whose effects no statement
 * before the next one reads.
 */
export interface DeferredWrite {
  text: string;
  params: readonly unknown[];
  /** The table it writes, as PostgreSQL names it in an error (unqualified). */
  table: string;
  /** The error to throw instead, when the statement failed on this write's table; undefined to keep it. */
  translate?: (error: unknown) => Error | undefined;
  /** For an update of one row by its key: the key, so that a lock of that row deferred to it can travel with it. */
  key?: string;
}

/**
 * A row read as it stood (`version`), whose lock waits for the row's write:
 * the write goes through only if the row is still that version, or the
 * transaction runs again. `lock` takes the lock at once instead, should the
 * transaction need one earlier (a `SELECT … FOR UPDATE` of the row at that version).
 */
export interface DeferredLock {
  table: string;
  key: string;
  version: string;
  lock: { text: string; params: readonly unknown[] };
}

/**
 * Runs one SQL statement inside a transaction and returns its rows (none for
 * a write without `RETURNING`); refuses once the transaction has ended. Each
 * adapter translates its driver to it.
 */
export interface SqlExecutor {
  query(text: string, params?: readonly unknown[]): Promise<Row[]>;
  /**
   * Holds a write to send with a later round trip, where the transaction
   * can (PostgreSQL over a network); without it, repositories send the write at once.
   */
  defer?(write: DeferredWrite): Promise<void>;
  /**
   * Where the transaction can, a way to lock a row only when it is written
   * (see {@link DeferredLock}); undefined when a read must lock it now, with `FOR UPDATE`.
   */
  lockLater?(): ((lock: DeferredLock) => void) | undefined;
}

/** Sends a write now, or holds it where the executor can; a failure goes through `translate`. */
export async function writeSoon(sql: SqlExecutor, write: DeferredWrite): Promise<void> {
  if (sql.defer) return sql.defer(write);
  try {
    await sql.query(write.text, write.params);
  } catch (error) {
    throw write.translate?.(error) ?? error;
  }
}

/** Which constraint a failed write violated, as far as the repositories tell them apart. */
export type ConstraintKind = 'unique-index' | 'primary-key';

/**
 * How one database spells what the shared repositories say differently:
 * placeholders, lists, byte-wise comparison, row locks, substring search,
 * batch sizes and the errors of duplicate keys. Everything else (the
 * statements' shape, `RETURNING`, upserts) is the same SQL on every database.
 */
export interface SqlDialect {
  /** How values are stored: dates, booleans, JSON and lists. */
  readonly codec: ColumnCodec;
  /** Every record read from and written to its row, as {@link codec} stores values. */
  readonly rows: RowMapping;
  /** The placeholder of the statement's `index`-th parameter, counting from 1: `$1` or `?`. */
  placeholder(index: number): string;
  /** Rows per `INSERT` of a batch: many where each statement is a round trip, one where statements cost none. */
  readonly rowsPerInsert: number;
  /** Appended to a `SELECT` that locks its rows until the transaction ends; empty where transactions run one at a time. */
  readonly lockRows: string;
  /** Appended to a `SELECT` that locks its rows and passes over rows another transaction holds. */
  readonly lockRowsSkippingHeld: string;
  /** A text column compared by code point, whatever its collation (`id COLLATE "C"`). */
  bytewise(column: string): string;
  /** A bound text value compared by code point, for a row comparison with {@link bytewise} columns. */
  bytewiseValue(placeholder: string): string;
  /** A bound date in a row comparison, typed where the database cannot tell. */
  dateValue(placeholder: string): string;
  /** True when `column` equals any value of the list bound at `list` (bound as `codec.writeList` writes it). */
  isAnyOf(column: string, list: string): string;
  /** True when the list in `column` holds any value of the list bound at `list`. */
  overlaps(column: string, list: string): string;
  /** True when `column` contains `text` as an exact substring; binds what it needs with `bind`. */
  contains(column: string, text: string, bind: (value: unknown) => string): string;
  /**
   * A user listing with a search, where the dialect writes it a way of its own
   * (without it, the shared statement filters by {@link contains}).
   */
  searchPage?(page: SearchPage): string;
  /**
   * A statement to read before a search page, whose first row (or `null`) the
   * page is then written with, as {@link SearchPage.start}; `undefined` where
   * the page needs none. `position` is the cursor's keys as a row of values
   * bound with `params`.
   */
  searchStart?(query: UserQuery, params: Parameters, position: string | undefined): string | undefined;
  /** A bound JSON array (JSON text), as the column expects it. */
  jsonArray(placeholder: string): string;
  /** Whether a failed write violated a constraint of this kind. */
  violates(error: unknown, constraint: ConstraintKind): boolean;
}

/** A search listing's parts, for {@link SqlDialect.searchPage}: it returns the whole statement. */
export interface SearchPage {
  /** The columns to return. */
  columns: string;
  /** Every condition of the listing but the search (organization, status, grants, resource, cursor…). */
  filters: readonly string[];
  /** The sort keys, the id last; each orders the same way as `ASC` or `DESC`. */
  keys: readonly string[];
  direction: 'ASC' | 'DESC';
  /** The normalized search term: a substring of `search_text`. */
  search: string;
  /** The organization listed, and the listing's order. */
  organizationId: string;
  sort: 'name' | 'email' | 'createdAt';
  /** The cursor's keys as a row of bound values, when the page starts after one (see `filters`). */
  position?: string;
  /** Whether a filter beyond the status and the cursor narrows the listing (roles, grants, resource, creation). */
  narrowed: boolean;
  /** What the dialect's `searchStart` statement read before the page: its first row, `null` for none. */
  start?: Row | null;
  /** The page's size. */
  limit: number;
  bind: (value: unknown) => string;
  /** What the filters ask a user to hold: each entry any one of its roles or permissions. */
  holding: readonly { roles: readonly string[]; permissions: readonly string[] }[];
  /**
   * Every condition of `filters` again, their values bound anew after those
   * bound so far: for a dialect whose placeholders are positional (`?`),
   * which a statement cannot repeat.
   */
  rebind(): readonly string[];
}

/**
 * A statement's parameters. Bind them in the order their placeholders appear
 * in the text: SQLite's `?` placeholders are positional.
 */
export class Parameters {
  readonly values: unknown[] = [];

  constructor(private readonly dialect: SqlDialect) {}

  /** Adds a value as it is; returns its placeholder. */
  readonly bind = (value: unknown): string => {
    this.values.push(value);
    return this.dialect.placeholder(this.values.length);
  };

  /** Adds a date as the database stores it. */
  readonly date = (value: Date): string => this.bind(this.dialect.codec.writeDate(value));

  /** Adds a list of texts as the database stores it. */
  readonly list = (values: readonly string[]): string => this.bind(this.dialect.codec.writeList(values));

  /** Adds a row of values in parentheses: `($1, $2, …)`. */
  readonly tuple = (values: readonly unknown[]): string => `(${values.map(this.bind).join(', ')})`;
}

/** A runner of statements written with fresh {@link Parameters} each: `build` writes the text and binds its values. */
export function querying(
  sql: SqlExecutor,
  dialect: SqlDialect,
): (build: (params: Parameters) => string) => Promise<Row[]> {
  return (build) => {
    const params = new Parameters(dialect);
    const text = build(params);
    return sql.query(text, params.values);
  };
}

/** ` WHERE a AND b`, or nothing when there are no conditions. */
export const whereAll = (conditions: readonly string[]): string =>
  conditions.length === 0 ? '' : ` WHERE ${conditions.join(' AND ')}`;

/**
 * Inserts rows in as few statements as the dialect batches: one statement of
 * `rowsPerInsert` rows at a time. `onDuplicate` turns a unique violation of
 * the batch (its rows, to name an address) into the error the core expects;
 * `into.skipDuplicates` passes over rows a unique index already holds instead.
 * With `into.soon`, the statements may be held to share a later round trip
 * ({@link writeSoon}): for rows no statement of the transaction reads back
 * before the next one.
 */
export async function insertRows<T>(
  sql: SqlExecutor,
  dialect: SqlDialect,
  into: { table: string; columns: string; values: (record: T) => unknown[]; skipDuplicates?: boolean; soon?: boolean },
  records: readonly T[],
  onDuplicate?: { constraint: ConstraintKind; error: (batch: readonly T[]) => Error },
): Promise<void> {
  for (let start = 0; start < records.length; start += dialect.rowsPerInsert) {
    const batch = records.slice(start, start + dialect.rowsPerInsert);
    const params = new Parameters(dialect);
    const rows = batch.map((record) => params.tuple(into.values(record))).join(', ');
    const skip = into.skipDuplicates ? ' ON CONFLICT DO NOTHING' : '';
    const text = `INSERT INTO ${into.table} (${into.columns}) VALUES ${rows}${skip}`;
    if (into.soon) {
      const translate = onDuplicate
        ? (error: unknown) => (dialect.violates(error, onDuplicate.constraint) ? onDuplicate.error(batch) : undefined)
        : undefined;
      await writeSoon(sql, { text, params: params.values, table: into.table, ...(translate ? { translate } : {}) });
      continue;
    }
    const insert = sql.query(text, params.values);
    await (onDuplicate
      ? translatingDuplicate(dialect, insert, onDuplicate.constraint, () => onDuplicate.error(batch))
      : insert);
  }
}

/** Runs a write, throwing `onDuplicate()` instead when it violates a constraint of that kind. */
export async function translatingDuplicate<T>(
  dialect: SqlDialect,
  write: Promise<T>,
  constraint: ConstraintKind,
  onDuplicate: () => Error,
): Promise<T> {
  try {
    return await write;
  } catch (error) {
    if (dialect.violates(error, constraint)) throw onDuplicate();
    throw error;
  }
}

/** `UPDATE table SET every column but the first WHERE first column = …`, for a table keyed by its first column. */
export function updateByKey(dialect: SqlDialect, table: string, columns: string, values: readonly unknown[]) {
  const params = new Parameters(dialect);
  const [key, ...names] = columns.split(', ');
  const assignments = names.map((name, index) => `${name} = ${params.bind(values[index + 1])}`).join(', ');
  return { text: `UPDATE ${table} SET ${assignments} WHERE ${key} = ${params.bind(values[0])}`, params: params.values };
}
