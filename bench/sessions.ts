/** `validateSession` per adapter, next to a bare `SELECT 1` through the same client: the floor of one round trip. */
import Database from 'better-sqlite3';
import { memoryStorage } from '../dist/memory.js';
import { sqliteStorage } from '../dist/sqlite.js';
import { countQueries, withPglite, withServer } from './databases.js';
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

  rows.push(
    ...(await withPglite(async (storage, db) => {
      const { um, token } = await signedIn(storage);
      const select = await time(suite, 'PGlite: bare SELECT 1', () => db.query('SELECT 1'), budget);
      const validate = await time(suite, 'PGlite', () => um.auth.validateSession(token), budget);
      validate.note = `${ratio(validate, select)} a bare SELECT 1`;
      return [select, validate];
    })),
  );

  const onServer = await withServer(databaseUrl, async (storage, pool) => {
    const { um, token } = await signedIn(storage);
    const statements = await countQueries(() => um.auth.validateSession(token));
    const select = await time(suite, 'PostgreSQL server: bare SELECT 1', () => pool.query('SELECT 1'), budget);
    const validate = await time(suite, 'PostgreSQL server (pg Pool)', () => um.auth.validateSession(token), budget);
    validate.statements = statements;
    validate.note = `${statements} statement(s); ${ratio(validate, select)} a bare SELECT 1`;
    return [select, validate];
  });
  rows.push(...(onServer ?? []));
  return rows;
}
