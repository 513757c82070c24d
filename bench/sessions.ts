/** `validateSession` per adapter, next to a bare `SELECT 1` through the same client: the floor of one round trip. */
import { PGlite } from '@electric-sql/pglite';
import Database from 'better-sqlite3';
import pg from 'pg';
import { memoryStorage } from '../dist/memory.js';
import { postgresStorage } from '../dist/postgres.js';
import { sqliteStorage } from '../dist/sqlite.js';
import { signedIn } from './fixtures.js';
import { type Budget, type Measurement, ratio, time } from './harness.js';

export async function sessionBenchmarks(budget: Budget, databaseUrl: string | undefined): Promise<Measurement[]> {
  const suite = 'validateSession';
  const rows: Measurement[] = [];

  const memory = await signedIn(memoryStorage());
  rows.push(await time(suite, 'memory', () => memory.um.auth.validateSession(memory.token), budget));

  const database = new Database(':memory:');
  const sqlite = sqliteStorage({ database });
  await sqlite.migrate();
  const onSqlite = await signedIn(sqlite);
  rows.push(await time(suite, 'SQLite (in memory)', () => onSqlite.um.auth.validateSession(onSqlite.token), budget));

  const pglite = new PGlite();
  const onPglite = postgresStorage({ client: pglite });
  await onPglite.migrate();
  const pgliteSession = await signedIn(onPglite);
  const pgliteSelect = await time(suite, 'PGlite: bare SELECT 1', () => pglite.query('SELECT 1'), budget);
  const pgliteValidate = await time(
    suite,
    'PGlite',
    () => pgliteSession.um.auth.validateSession(pgliteSession.token),
    budget,
  );
  pgliteValidate.note = `${ratio(pgliteValidate, pgliteSelect)} a bare SELECT 1`;
  rows.push(pgliteSelect, pgliteValidate);
  await pglite.close();

  if (databaseUrl) {
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
    const schema = `bench_${process.pid}`;
    try {
      const server = postgresStorage({ client: pool, schema });
      await server.migrate();
      const serverSession = await signedIn(server);
      const statements = await countStatements(pool, () => serverSession.um.auth.validateSession(serverSession.token));
      const select = await time(suite, 'PostgreSQL server: bare SELECT 1', () => pool.query('SELECT 1'), budget);
      const validate = await time(
        suite,
        'PostgreSQL server (pg Pool)',
        () => serverSession.um.auth.validateSession(serverSession.token),
        budget,
      );
      validate.statements = statements;
      validate.note = `${statements} statement(s); ${ratio(validate, select)} a bare SELECT 1`;
      rows.push(select, validate);
    } finally {
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await pool.end();
    }
  }
  return rows;
}

/** How many statements one call sends through the pool (each is a round trip). */
async function countStatements(pool: pg.Pool, call: () => Promise<unknown>): Promise<number> {
  const query = pool.query;
  let count = 0;
  pool.query = ((...args: Parameters<typeof query>) => {
    count++;
    return query.apply(pool, args);
  }) as typeof query;
  try {
    await call();
  } finally {
    pool.query = query;
  }
  return count;
}
