/**
 * SQLite storage for tenantry on a better-sqlite3 `Database`. The database is
 * the caller's; tenantry never imports the driver. Transactions run one at a
 * time per connection and hold SQLite's write lock from their start, so they
 * are serializable; other processes on the same file wait up to 5 s for it.
 * Within one process, share one `Database` per file: better-sqlite3 waits for
 * a lock synchronously, so a second connection would block the event loop
 * while the first one's transaction waits on it.
 *
 * @example
 * ```ts
 * import Database from 'better-sqlite3';
 * import { sqliteStorage } from 'tenantry/sqlite';
 * const storage = sqliteStorage({ database: new Database('tenantry.db') });
 * await storage.migrate();
 * ```
 *
 * @module
 */
import type { RateLimiter, Storage } from '../../src/adapter-kit/index.js';
import { sqlRepositories } from '../sql/repositories.js';
import { configure, type SqliteDatabase, serialized } from './connection.js';
import { sqliteDialect } from './dialect.js';
import { migrate } from './migrations.js';
import { sqliteRateLimiter } from './rate-limiter.js';
import { sqliteSearchIndex } from './search-blocks.js';
import { registerSearchFunctions, sqliteSearchPage } from './user-search.js';

export type { SqliteDatabase, SqliteStatement } from './connection.js';

/** Options of {@link sqliteStorage}. */
export interface SqliteStorageOptions {
  /**
   * A better-sqlite3 `Database` (file or `:memory:`). Constructing the storage
   * turns foreign keys on, sets a 5 s busy timeout and, for a file, write-ahead logging.
   */
  database: SqliteDatabase;
}

/** SQLite storage, with `migrate()` to create or update its tables. */
export interface SqliteStorage extends Storage {
  /**
   * Applies pending migrations, each once and in its own transaction (safe
   * to run from several processes at once); returns the versions applied now.
   */
  migrate(): Promise<number[]>;
  /**
   * Allowances every process on this database file shares, in
   * `tenantry_rate_limits`: one statement a call, between transactions.
   */
  rateLimiter: RateLimiter;
}

/**
 * Storage on SQLite through better-sqlite3, for single-server apps, tests and demos.
 *
 * @example
 * ```ts
 * const database = new Database(':memory:');
 * const storage = sqliteStorage({ database });
 * await storage.migrate();
 * const um = new UserManagement({ storage, mailer });
 * ```
 */
export function sqliteStorage(options: SqliteStorageOptions): SqliteStorage {
  const { database } = options;
  configure(database);
  const storage: SqliteStorage = {
    migrate: () => migrate(database),
    transaction: (work) => serialized(database, (sql) => work(sqlRepositories(sql, sqliteDialect))),
    rateLimiter: sqliteRateLimiter(database),
  };
  if (!database.function) return storage;
  // The search blocks need their filter check registered on the connection (better-sqlite3 has it).
  registerSearchFunctions(database as Required<Pick<SqliteDatabase, 'function'>>);
  const dialect = { ...sqliteDialect, searchPage: sqliteSearchPage };
  return {
    ...storage,
    transaction: (work) => serialized(database, (sql) => work(sqlRepositories(sql, dialect))),
    searchIndex: sqliteSearchIndex(database),
  };
}

export { migrations } from './migrations.js';
