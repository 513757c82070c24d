/** `users.add` one call after another, on each adapter. */
import { PGlite } from '@electric-sql/pglite';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { Storage } from '../dist/index.js';
import { memoryStorage } from '../dist/memory.js';
import { postgresStorage } from '../dist/postgres.js';
import { sqliteStorage } from '../dist/sqlite.js';
import { signedIn } from './fixtures.js';
import { type Budget, type Measurement, time } from './harness.js';

async function addThroughput(name: string, storage: Storage, budget: Budget): Promise<Measurement> {
  const { um, admin, organization } = await signedIn(storage);
  const as = um.as({ type: 'user', userId: admin.id });
  let next = 0;
  return time(
    'users.add (with its invitation)',
    name,
    () => {
      next++;
      return as.users.add({
        organizationId: organization.id,
        email: `user${next}@bench.example`,
        firstName: 'Bench',
        lastName: `User ${next}`,
        roles: ['basic'],
      });
    },
    budget,
    { slow: true },
  );
}

export async function writeBenchmarks(budget: Budget, databaseUrl: string | undefined): Promise<Measurement[]> {
  const rows = [await addThroughput('memory', memoryStorage(), budget)];
  const sqlite = sqliteStorage({ database: new Database(':memory:') });
  await sqlite.migrate();
  rows.push(await addThroughput('SQLite (in memory)', sqlite, budget));
  const pglite = new PGlite();
  const onPglite = postgresStorage({ client: pglite });
  await onPglite.migrate();
  rows.push(await addThroughput('PGlite', onPglite, budget));
  await pglite.close();
  if (databaseUrl) {
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
    const schema = `bench_add_${process.pid}`;
    try {
      const server = postgresStorage({ client: pool, schema });
      await server.migrate();
      rows.push(await addThroughput('PostgreSQL server (pg Pool)', server, budget));
    } finally {
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await pool.end();
    }
  }
  return rows;
}
