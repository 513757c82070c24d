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
import type { Storage } from '../../src/ports/storage.js';
import { auditAndIdentityRepositories } from './audit-identity-repositories.js';
import { directoryRepositories } from './directory-repositories.js';
import { type SqlDatabase, sqlDatabase } from './executor.js';
import { importRepository } from './import-repository.js';
import { migrate } from './migrations.js';
import { retrying } from './retry.js';
import { checkSchemaName, inSchema } from './schema.js';
import { readSession } from './session-read.js';

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
}

/** PostgreSQL storage, with `migrate()` to create or update its tables. */
export interface PostgresStorage extends Storage {
  /**
   * Applies pending migrations, each once and in its own transaction (safe
   * to run from several processes at once); returns the versions applied now.
   */
  migrate(): Promise<number[]>;
}

/** Storage on PostgreSQL (PGlite in tests and demos; `pg` or postgres.js against a server). */
export function postgresStorage(options: PostgresStorageOptions): PostgresStorage {
  const driver = sqlDatabase(options.client);
  const schema = options.schema === undefined ? undefined : checkSchemaName(options.schema);
  const db: SqlDatabase = schema === undefined ? driver : inSchema(driver, schema);
  const retries = options.retries ?? 4;
  return {
    migrate: () => migrate(db, schema),
    readSession: (digest) => retrying(retries, () => readSession(db, digest)),
    transaction: (work) =>
      retrying(retries, () =>
        db.transaction((sql) =>
          work({ ...directoryRepositories(sql), ...auditAndIdentityRepositories(sql), imports: importRepository(sql) }),
        ),
      ),
  };
}

export { migrations } from './migrations.js';
