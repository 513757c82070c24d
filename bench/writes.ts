/** `users.add` one call after another, on each adapter. */
import Database from 'better-sqlite3';
import type { Storage } from '../dist/index.js';
import { memoryStorage } from '../dist/memory.js';
import { sqliteStorage } from '../dist/sqlite.js';
import { withPglite, withServer } from './databases.js';
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
  rows.push(await withPglite((storage) => addThroughput('PGlite', storage, budget)));
  const onServer = await withServer(databaseUrl, (storage) =>
    addThroughput('PostgreSQL server (pg Pool)', storage, budget),
  );
  return onServer ? [...rows, onServer] : rows;
}
