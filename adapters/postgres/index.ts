/**
 * PostgreSQL storage for tenantry: one set of SQL for a `pg` Pool and a PGlite
 * instance, through a small query-executor seam. The driver is the caller's;
 * tenantry never imports one.
 *
 * @example
 * ```ts
 * import { PGlite } from '@electric-sql/pglite';
 * import { postgresStorage } from 'tenantry/postgres';
 * const storage = postgresStorage({ client: new PGlite() });
 * await storage.migrate();
 * ```
 *
 * @module
 */
import type { Storage } from '../../src/ports/storage.js';
import { auditAndIdentityRepositories } from './audit-identity-repositories.js';
import { directoryRepositories } from './directory-repositories.js';
import { sqlDatabase } from './executor.js';
import { migrate } from './migrations.js';

/** Options of {@link postgresStorage}. */
export interface PostgresStorageOptions {
  /** A PGlite instance or a `pg` Pool. */
  client: unknown;
}

/** PostgreSQL storage, with `migrate()` to create or update its tables. */
export interface PostgresStorage extends Storage {
  /** Applies pending migrations; returns the versions applied now. */
  migrate(): Promise<number[]>;
}

/** Storage on PostgreSQL (a `pg` Pool, or PGlite in tests and demos). */
export function postgresStorage(options: PostgresStorageOptions): PostgresStorage {
  const db = sqlDatabase(options.client);
  return {
    migrate: () => migrate(db),
    transaction: (work) =>
      db.transaction((sql) => work({ ...directoryRepositories(sql), ...auditAndIdentityRepositories(sql) })),
  };
}

export { migrations } from './migrations.js';
