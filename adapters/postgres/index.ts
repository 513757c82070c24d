/**
 * PostgreSQL storage for tenantry: one set of SQL for PGlite, a `pg` Pool or
 * Client and postgres.js, through a small query-executor seam. The driver is
 * the caller's; tenantry never imports one.
 *
 * @example
 * ```ts
 * import pg from 'pg';
 * import { postgresStorage } from 'tenantry/postgres';
 * const storage = postgresStorage({ client: new pg.Pool({ connectionString: process.env.DATABASE_URL }) });
 * await storage.migrate();
 * ```
 *
 * @module
 */
import type { RateLimiter, SearchIndexStorage, Storage, StorageTransaction } from '../../src/adapter-kit/index.js';
import { sqlRepositories } from '../sql/repositories.js';
import { postgresDialect } from './dialect.js';
import { type PreparedStatements, type SqlDatabase, type SqlExecutor, sqlDatabase } from './executor.js';
import { migrate } from './migrations.js';
import { sqlRateLimiter } from './rate-limiter.js';
import { retrying } from './retry.js';
import { checkSchemaName, inSchema } from './schema.js';
import { postgresSearchIndex } from './search-blocks.js';
import { readSession } from './session-read.js';
import { readUserContext } from './user-context-read.js';

/** Options of {@link postgresStorage}. */
export interface PostgresStorageOptions {
  /** A PGlite instance, a `pg` Pool or connected Client, or a postgres.js `sql`. */
  client: unknown;
  /**
   * The schema that holds tenantry's tables (created by `migrate()` if
   * missing). Default: none, so the connection's `search_path` decides (usually `public`).
   */
  schema?: string;
  /**
   * How many times a transaction that failed with a serialization failure
   * (40001) or a deadlock (40P01) is run again, after a short random pause. Default 4.
   */
  retries?: number;
  /**
   * Whether the statements run outside transactions on every request (the
   * session read behind `validateSession`, the rate limiter's) are named
   * prepared statements, planned once per connection rather than on every
   * call. Default `'auto'`: prepared where the connection is the client's
   * own, and working unchanged behind a pooler in transaction mode:
   *
   * - with `pg` (Pool or Client), named until one fails with `26000` (does
   *   not exist) or `42P05` (already exists), the signs of a pooler sharing
   *   server connections; then unnamed for good, and the statement that met
   *   it runs again (it had not run);
   * - with postgres.js, named if the process id its connection was given at
   *   start-up is the one serving it (asked once), which a pooler's is not.
   *
   * `true`: always named, for a direct connection, a pooler in session mode
   * or one that tracks prepared statements (PgBouncer 1.21 and later with
   * `max_prepared_statements`). `false`: never named. PGlite ignores it.
   *
   * @example
   * ```ts
   * // Behind PgBouncer 1.21+ with max_prepared_statements: keep the session read prepared.
   * postgresStorage({ client: pool, preparedStatements: true });
   * ```
   */
  preparedStatements?: PreparedStatements;
}

/** PostgreSQL storage, with `migrate()` to create or update its tables. */
export interface PostgresStorage extends Storage {
  /**
   * Applies pending migrations, each once and in its own transaction (safe
   * to run from several processes at once); returns the versions applied now.
   */
  migrate(): Promise<number[]>;
  /** Allowances every process on this database shares, in `tenantry_rate_limits`, one statement a call. */
  rateLimiter: RateLimiter;
  /** The search blocks of large organizations (migration 14), rebuilt by `maintenance.refreshSearch`. */
  searchIndex: SearchIndexStorage;
}

/** The shared SQL repositories, with the reads only PostgreSQL's JSON functions make one statement. */
function postgresRepositories(sql: SqlExecutor): StorageTransaction {
  const repositories = sqlRepositories(sql, postgresDialect);
  repositories.users.getWithContext = (id, options) => readUserContext(sql, id, options);
  return repositories;
}

/** Storage on PostgreSQL (PGlite in tests and demos; `pg` or postgres.js against a server). */
export function postgresStorage(options: PostgresStorageOptions): PostgresStorage {
  const driver = sqlDatabase(options.client, { preparedStatements: options.preparedStatements ?? 'auto' });
  const schema = options.schema === undefined ? undefined : checkSchemaName(options.schema);
  const db: SqlDatabase = schema === undefined ? driver : inSchema(driver, schema);
  const retries = options.retries ?? 4;
  return {
    migrate: () => migrate(db, schema),
    readSession: (digest) => retrying(retries, () => readSession(db, digest)),
    rateLimiter: sqlRateLimiter(db, { retries }),
    searchIndex: postgresSearchIndex(db),
    // The first try locks rows when it writes them; a try again after a row changed in between locks as it reads.
    transaction: (work) =>
      retrying(retries, (tries) =>
        db.transaction((sql) => work(postgresRepositories(sql)), { optimistic: tries === 0 }),
      ),
  };
}

export type { PreparedStatements } from './executor.js';
export { migrations } from './migrations.js';
export type { PostgresRateLimiterOptions } from './rate-limiter.js';
export { postgresRateLimiter } from './rate-limiter.js';
