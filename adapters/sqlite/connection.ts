import { Mutex } from '../../src/adapter-kit/index.js';
import type { SqlExecutor } from '../sql/dialect.js';

/** One result row, column name to value. */
export type Row = Record<string, unknown>;

/** What a better-sqlite3 statement offers (structurally, so tenantry never imports the driver). */
export interface SqliteStatement {
  /** Whether the statement returns rows (a `SELECT`, or a write with `RETURNING`). */
  readonly reader: boolean;
  all(...params: unknown[]): unknown[];
  run(...params: unknown[]): { changes: number };
}

/** What a better-sqlite3 `Database` offers: only what this adapter uses. */
export interface SqliteDatabase {
  prepare(source: string): SqliteStatement;
  exec(source: string): unknown;
  readonly inTransaction: boolean;
  readonly memory: boolean;
  /**
   * Registers a function that statements on this connection may call (the
   * search blocks' filter check). Without it, searches walk the sort index as
   * they did before the blocks, and there is no search index to build.
   */
  function?(
    name: string,
    options: { deterministic: boolean; varargs: boolean },
    implementation: (...args: never[]) => unknown,
  ): unknown;
}

/** One mutex per connection, so two storages over the same `Database` never interleave their transactions. */
const mutexes = new WeakMap<SqliteDatabase, Mutex>();

function turnsOf(database: SqliteDatabase): Mutex {
  let mutex = mutexes.get(database);
  if (!mutex) {
    mutex = new Mutex();
    mutexes.set(database, mutex);
  }
  return mutex;
}

/** Prepared statements per connection, by SQL text. */
const statementCaches = new WeakMap<SqliteDatabase, Map<string, SqliteStatement>>();

function prepared(database: SqliteDatabase, text: string): SqliteStatement {
  let cache = statementCaches.get(database);
  if (!cache) {
    cache = new Map();
    statementCaches.set(database, cache);
  }
  let statement = cache.get(text);
  if (!statement) {
    statement = database.prepare(text);
    if (cache.size < 500) cache.set(text, statement);
  }
  return statement;
}

/**
 * Sets the connection up once: foreign keys on, a 5 s wait for another
 * process's write lock instead of failing at once, and write-ahead logging
 * for a file database (readers then never block the writer).
 */
export function configure(database: SqliteDatabase): void {
  database.exec('PRAGMA foreign_keys = ON');
  database.exec('PRAGMA busy_timeout = 5000');
  if (!database.memory) database.exec('PRAGMA journal_mode = WAL');
}

/**
 * Runs `work` in one SQLite transaction, one transaction at a time per
 * connection (better-sqlite3 is synchronous, `work` is not: without the queue
 * two transactions would share the connection's one open transaction).
 * `BEGIN IMMEDIATE` takes the database's write lock at once and holds it to the
 * end, so every transaction is serializable and row locks (`forUpdate`) are
 * not needed. Any throw rolls every write back and is rethrown as it is.
 */
export function serialized<T>(database: SqliteDatabase, work: (sql: SqlExecutor) => Promise<T>): Promise<T> {
  return turnsOf(database).run(async () => {
    let open = true;
    const statement = (text: string) => {
      if (!open) throw new Error('transaction already finished');
      return prepared(database, text);
    };
    const sql: SqlExecutor = {
      // better-sqlite3 runs a statement that returns no rows with `run`, and refuses `all` for it.
      query: async (text, params = []) => {
        const prepared = statement(text);
        if (prepared.reader) return prepared.all(...params) as Row[];
        prepared.run(...params);
        return [];
      },
    };
    database.exec('BEGIN IMMEDIATE');
    try {
      const result = await work(sql);
      database.exec('COMMIT');
      return result;
    } catch (error) {
      if (database.inTransaction) database.exec('ROLLBACK');
      throw error;
    } finally {
      open = false;
    }
  });
}

/**
 * Runs `work` in the queue of the connection's transactions but outside any
 * of them, so each of its statements commits on its own (autocommit) rather
 * than joining, and rolling back with, a transaction that is waiting on I/O.
 */
export function betweenTransactions<T>(database: SqliteDatabase, work: () => T): Promise<T> {
  return turnsOf(database).run(async () => work());
}
