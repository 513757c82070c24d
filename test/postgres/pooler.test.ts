import pg from 'pg';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { migrations, type PostgresStorage, postgresStorage } from '../../adapters/postgres/index.js';
import { describeStorageContract } from '../../src/testing/index.js';
import { describeWithPooler } from '../support/postgres-pooler.js';
import { freshSchema, serverStorages } from '../support/postgres-server.js';
import { hammer, sharedInstallations } from './pooler-hammer.js';

const CLIENTS_PER_DRIVER = 10;
const CALLS = 600;
// Nothing in the burst is a call tenantry refuses, so every one succeeds; a driver's error would count as failed.
const everyCallAnswered = { succeeded: CALLS, refused: {}, failed: {} };

// The pooler (.ci/pgbouncer) gives all clients together two or three server connections, so a client's next
// statement or transaction runs on whichever server connection is free, not on the one it used before.
describeWithPooler('through PgBouncer in transaction mode', (url) => {
  const storages = serverStorages(url);
  const sql = postgres(url, { max: CLIENTS_PER_DRIVER, onnotice: () => undefined });
  const client = new pg.Client({ connectionString: url });
  const connected = client.connect();
  const pools = Array.from({ length: 3 }, () => new pg.Pool({ connectionString: url, max: CLIENTS_PER_DRIVER }));
  afterAll(async () => {
    await Promise.all(pools.map((pool) => pool.end()));
    await client.end();
    await sql.end();
    await storages.close();
  });

  /** Storages on one new schema, one per driver, its tables created through the first. */
  async function sharingOneSchema(drivers: readonly unknown[]): Promise<PostgresStorage[]> {
    const schema = freshSchema('hammer');
    storages.schemas.push(schema);
    const made = drivers.map((driver) => postgresStorage({ client: driver, schema }));
    await made[0]?.migrate();
    return made;
  }

  describe(`${CALLS} calls at once, many clients over few server connections`, () => {
    it(`answers every call from three pg pools of ${CLIENTS_PER_DRIVER} with a result or a TenantryError`, async () => {
      const shared = await sharedInstallations(await sharingOneSchema(pools));
      expect(await hammer(shared, CALLS)).toEqual(everyCallAnswered);
    });

    it(`answers every call from postgres.js with ${CLIENTS_PER_DRIVER} connections with a result or a TenantryError`, async () => {
      const shared = await sharedInstallations(await sharingOneSchema([sql]));
      expect(await hammer(shared, CALLS)).toEqual(everyCallAnswered);
    });

    it('answers every call from pg pools, a pg Client and postgres.js together', async () => {
      await connected;
      const shared = await sharedInstallations(await sharingOneSchema([...pools, client, sql]));
      expect(await hammer(shared, CALLS)).toEqual(everyCallAnswered);
    });

    it('runs every migration once when several pools migrate one schema at once', async () => {
      const schema = freshSchema('migrate');
      storages.schemas.push(schema);
      const applied = await Promise.all(pools.map((pool) => postgresStorage({ client: pool, schema }).migrate()));
      expect(applied.flat().sort((a, b) => a - b)).toEqual(migrations.map((migration) => migration.version));
    });
  });

  describeStorageContract('postgres through PgBouncer (pg Pool)', () => storages.make());
  describeStorageContract('postgres through PgBouncer (postgres.js)', () => storages.make(sql));
  describeStorageContract('postgres through PgBouncer (pg Client)', async () => {
    await connected;
    return storages.make(client);
  });
});
