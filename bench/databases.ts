import { PGlite } from '@electric-sql/pglite';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import pg from 'pg';
import type { User } from '../dist/index.js';
import { type PostgresStorage, postgresStorage } from '../dist/postgres.js';
import { statementsOf } from '../test/support/statements.js';

/** A migrated storage on a fresh PGlite; the instance is closed when `run` ends. */
export async function withPglite<T>(run: (storage: PostgresStorage, db: PGlite) => Promise<T>): Promise<T> {
  const db = new PGlite({ extensions: { pg_trgm, btree_gin } });
  try {
    const storage = postgresStorage({ client: db });
    await storage.migrate();
    return await run(storage, db);
  } finally {
    await db.close();
  }
}

/**
 * A migrated storage in a schema of its own on the server at `databaseUrl`,
 * dropped with the pool when `run` ends; nothing without a URL.
 */
export async function withServer<T>(
  databaseUrl: string | undefined,
  run: (storage: PostgresStorage, pool: pg.Pool, schema: string) => Promise<T>,
): Promise<T | undefined> {
  if (!databaseUrl) return undefined;
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  const schema = `bench_${process.pid}_${Date.now()}`;
  try {
    const storage = postgresStorage({ client: pool, schema });
    await storage.migrate();
    return await run(storage, pool, schema);
  } finally {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  }
}

/** A user record for seeding storage directly, created `index` seconds after a fixed moment. */
export function benchUser(index: number, organizationId: string, fields: Partial<User> = {}): User {
  const at = new Date(1_700_000_000_000 + index * 1_000);
  return {
    id: `usr_bench${index.toString(36).padStart(12, '0')}`,
    organizationId,
    email: `user${index}@bench.example`,
    firstName: 'Bench',
    lastName: `User ${index}`,
    phone: null,
    status: 'pending',
    canSignIn: true,
    permissions: [],
    roles: ['basic'],
    expiresAt: null,
    failedSignIns: 0,
    lockedAt: null,
    lockedUntil: null,
    mustChangePassword: false,
    emailNotifications: true,
    preferences: {},
    fields: {},
    termsAcceptedAt: null,
    createdAt: at,
    updatedAt: at,
    activatedAt: null,
    lastSignInAt: null,
    erasedAt: null,
    ...fields,
  };
}

/** How many statements (BEGIN and COMMIT included) one call sends through any `pg` client of the process. */
export async function countQueries(call: () => Promise<unknown>): Promise<number> {
  return (await statementsOf(call)).length;
}
