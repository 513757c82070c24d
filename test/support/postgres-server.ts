import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, it } from 'vitest';
import { type PostgresStorage, postgresStorage } from '../../adapters/postgres/index.js';

/** The real server's URL, from `DATABASE_URL` (`.ci/postgres start` sets it). */
export const databaseUrl = process.env.DATABASE_URL;

/**
 * `describe` for the real-server suites: without `DATABASE_URL` they are
 * skipped with a note, unless `TENANTRY_REQUIRE_DATABASE` is set (CI), where a
 * missing server fails the run instead of passing it silently.
 */
export function describeWithServer(name: string, body: (url: string) => void): void {
  if (databaseUrl) {
    describe(name, () => body(databaseUrl));
    return;
  }
  if (process.env.TENANTRY_REQUIRE_DATABASE) {
    describe(name, () => {
      it('needs DATABASE_URL', () => {
        throw new Error('DATABASE_URL is not set, but TENANTRY_REQUIRE_DATABASE asks for the real-server tests');
      });
    });
    return;
  }
  // The body is not run: it would build pools and connect to a server that is not there.
  describe(name, () => {
    it.skip('needs a PostgreSQL server: set DATABASE_URL, e.g. eval "$(.ci/postgres start)"', () => undefined);
  });
}

/** A fresh schema name, so tests on one database never see each other's rows. */
export function freshSchema(prefix = 't'): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

/**
 * Drops the schemas a suite created, four at a time: a contract suite leaves
 * a few hundred, and one after another they outlast a hook's time on a busy
 * server.
 */
export async function dropSchemas(pool: pg.Pool, schemas: readonly string[]): Promise<void> {
  const left = [...schemas];
  const dropper = async () => {
    for (let schema = left.pop(); schema !== undefined; schema = left.pop()) {
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    }
  };
  await Promise.all(Array.from({ length: 4 }, dropper));
}

/** A small pool and one fresh schema for a suite, both dropped when the suite ends. Call it in the suite's body. */
export function suiteSchema(url: string, prefix: string): { pool: pg.Pool; schema: string } {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const schema = freshSchema(prefix);
  afterAll(async () => {
    await dropSchemas(pool, [schema]);
    await pool.end();
  });
  return { pool, schema };
}

/** A pool per suite, and storages each in a new migrated schema; `close()` drops them and ends the pool. */
export function serverStorages(url: string) {
  const pool = new pg.Pool({ connectionString: url, max: 8 });
  const schemas: string[] = [];
  return {
    pool,
    async make(client: unknown = pool): Promise<PostgresStorage> {
      const schema = freshSchema();
      schemas.push(schema);
      const storage = postgresStorage({ client, schema });
      await storage.migrate();
      return storage;
    },
    schemas,
    async close() {
      await dropSchemas(pool, schemas);
      await pool.end();
    },
  };
}

/** Runs a statement on a connection of `pool` with `schema` as its search path: its rows. */
export function queryInSchema(pool: pg.Pool, schema: string) {
  return async (text: string, params: unknown[]): Promise<Record<string, unknown>[]> => {
    const connection = await pool.connect();
    try {
      await connection.query(`SET search_path TO "${schema}"`);
      return (await connection.query(text, params)).rows;
    } finally {
      await connection.query('RESET search_path');
      connection.release();
    }
  };
}

/**
 * Holds a row lock (`lockSql` is a `SELECT … FOR UPDATE` on a table of
 * `schema`) while `start` sets calls going, and lets go once `waiters`
 * statements on that schema wait for a lock: each call has then begun before
 * any of them wrote, so they truly happen at once.
 */
export async function whileRowHeld<T>(
  pool: pg.Pool,
  schema: string,
  lockSql: string,
  params: readonly unknown[],
  waiters: number,
  start: () => Promise<T>,
): Promise<T> {
  const holder = await pool.connect();
  try {
    await holder.query('BEGIN');
    await holder.query(lockSql, [...params]);
    const running = start();
    for (let tries = 0; tries < 250 && (await lockWaiters(pool, schema)) < waiters; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await holder.query('COMMIT');
    return await running;
  } finally {
    holder.release();
  }
}

async function lockWaiters(pool: pg.Pool, schema: string): Promise<number> {
  const { rows } = await pool.query(
    "SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND strpos(query, $1) > 0",
    [`"${schema}".`],
  );
  return rows[0].n;
}
