import pg from 'pg';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { type PostgresStorage, postgresStorage } from '../../adapters/postgres/index.js';
import { searchText } from '../../adapters/sql/user-query.js';
import {
  fixtureTime as at,
  describeStorageContract,
  organizationRecord,
  outboxRecord,
  userRecord,
} from '../../src/testing/index.js';
import { describeFailureInjection, dumpTables } from '../contract/failure-injection.js';
import { describeWithServer, freshSchema, serverStorages } from '../support/postgres-server.js';

describeWithServer('real PostgreSQL server', (url) => {
  const storages = serverStorages(url);
  const sql = postgres(url, { max: 4, onnotice: () => undefined });
  const client = new pg.Client({ connectionString: url });
  const connected = client.connect();
  // Closing waits for every pool's connections, which a busy server may keep for a while: bounded, and given time.
  afterAll(async () => {
    await client.end();
    await sql.end({ timeout: 5 });
    await storages.close();
  }, 60_000);

  describe('migrations', () => {
    it('applies every migration once, in its schema, with the trigram search index', async () => {
      const schema = `t_migrate_${process.pid}`;
      storages.schemas.push(schema);
      const storage = postgresStorage({ client: storages.pool, schema });
      const [first, second] = await Promise.all([storage.migrate(), storage.migrate()]);
      expect([...first, ...second].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
      expect(await storage.migrate()).toEqual([]);
      const { rows } = await storages.pool.query(
        'SELECT indexname FROM pg_indexes WHERE schemaname = $1 AND tablename = $2 ORDER BY indexname',
        [schema, 'tenantry_users'],
      );
      const indexes = rows.map((row) => row.indexname);
      expect(indexes).toContain('tenantry_users_search_by_organization');
      // Migration 15: the permission and role indexes hold the organization, replacing the installation's.
      expect(indexes).toEqual(
        expect.arrayContaining(['tenantry_users_permissions_by_organization', 'tenantry_users_roles_by_organization']),
      );
      expect(indexes).not.toContain('tenantry_users_permissions');
      expect(indexes).not.toContain('tenantry_users_roles');
      // Migration 12 keeps the search index's pending list short, so a bulk import cannot turn searches into scans.
      const options = await storages.pool.query(
        `SELECT reloptions FROM pg_class WHERE oid = format('%I.%I', $1::text, 'tenantry_users_search_by_organization')::regclass`,
        [schema],
      );
      expect(options.rows[0].reloptions).toEqual(['gin_pending_list_limit=256']);
      // Migration 5 replaced the tokens' index by organization in the storage's schema, not in the search path's.
      const tokenIndexes = await storages.pool.query(
        'SELECT schemaname, indexname FROM pg_indexes WHERE tablename = $1 AND schemaname = ANY($2) ORDER BY indexname',
        ['tenantry_tokens', [schema, 'public']],
      );
      expect(tokenIndexes.rows).toEqual([
        { schemaname: schema, indexname: 'tenantry_tokens_by_expiry' },
        { schemaname: schema, indexname: 'tenantry_tokens_by_organization_origin' },
        { schemaname: schema, indexname: 'tenantry_tokens_by_user' },
        { schemaname: schema, indexname: 'tenantry_tokens_consumed' },
        { schemaname: schema, indexname: 'tenantry_tokens_pkey' },
      ]);
      const publicTables = await storages.pool.query(
        "SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 'tenantry_%'",
      );
      expect(publicTables.rows[0].n).toBe(0);
    });

    it('answers a user search from the trigram index', async () => {
      const storage = await storages.make();
      const schema = storages.schemas.at(-1) as string;
      await storage.transaction(async (tx) => {
        const organization = organizationRecord();
        await tx.organizations.insert(organization);
        const many = (index: number) => ({ lastName: index === 1_000 ? 'Quixote' : `Lovelace${index}` });
        await tx.users.insertMany(
          Array.from({ length: 2_000 }, (_, index) => userRecord(organization.id, many(index))),
        );
      });
      await storages.pool.query(`ANALYZE "${schema}".tenantry_users`);
      const connection = await storages.pool.connect();
      try {
        await connection.query('BEGIN');
        await connection.query(`SET LOCAL search_path TO "${schema}"`);
        // A scan of 2,000 rows is cheap; forbidding it shows the index fits the search expression.
        await connection.query('SET LOCAL enable_seqscan = off');
        const plan = await connection.query(`EXPLAIN SELECT id FROM tenantry_users WHERE ${searchText} LIKE $1`, [
          '%quixote%',
        ]);
        expect(plan.rows.map((row) => row['QUERY PLAN']).join('\n')).toContain('tenantry_users_search');
      } finally {
        await connection.query('ROLLBACK');
        connection.release();
      }
    });

    it('refuses a schema name that is not a plain identifier', () => {
      expect(() => postgresStorage({ client: storages.pool, schema: 'x"; DROP TABLE y; --' })).toThrow(TypeError);
    });
  });

  it('stores JSON values as JSON objects through every driver', async () => {
    await connected;
    for (const driver of [storages.pool, sql, client]) {
      const storage = await storages.make(driver);
      const schema = storages.schemas.at(-1) as string;
      await storage.transaction((tx) =>
        tx.organizations.insert(organizationRecord({ profile: { website: 'https://köln.example' } })),
      );
      const { rows } = await storages.pool.query(
        `SELECT jsonb_typeof(profile) AS type, profile->>'website' AS website FROM "${schema}".tenantry_organizations`,
      );
      expect(rows).toEqual([{ type: 'object', website: 'https://köln.example' }]);
    }
  });

  describe('the outbox', () => {
    it('splits the due items between two pools claiming at once, never handing one item out twice', async () => {
      const schema = freshSchema('claims');
      storages.schemas.push(schema);
      const pools = [new pg.Pool({ connectionString: url, max: 4 }), new pg.Pool({ connectionString: url, max: 4 })];
      try {
        const couriers = pools.map((pool) => postgresStorage({ client: pool, schema }));
        await couriers[0]?.migrate();
        const items = Array.from({ length: 400 }, (_, index) => outboxRecord({ createdAt: at(index) }));
        await couriers[0]?.transaction((tx) => tx.outbox.insert(items));
        // Each pool runs four claim loops side by side, each until it finds nothing left to claim.
        const drain = async (courier: PostgresStorage) => {
          const claimed: string[] = [];
          for (;;) {
            const batch = await courier.transaction((tx) =>
              tx.outbox.claim({ limit: 7, now: at(1_000_000), until: at(2_000_000) }),
            );
            if (batch.length === 0) return claimed;
            claimed.push(...batch.map((item) => item.id));
          }
        };
        const perPool = await Promise.all(
          couriers.map(async (courier) => (await Promise.all([1, 2, 3, 4].map(() => drain(courier)))).flat()),
        );
        const claimed = perPool.flat();
        expect(new Set(claimed).size).toBe(claimed.length);
        expect(claimed.sort()).toEqual(items.map((item) => item.id).sort());
        for (const ids of perPool) expect(ids.length).toBeGreaterThan(0);
      } finally {
        await Promise.all(pools.map((pool) => pool.end()));
      }
    });
  });

  describeStorageContract('postgres (pg Pool)', () => storages.make());
  describeStorageContract('postgres (postgres.js)', () => storages.make(sql));
  describeStorageContract('postgres (pg Client)', async () => {
    await connected;
    return storages.make(client);
  });

  describeFailureInjection('postgres (pg Pool)', () => withDump(storages.pool));
  describeFailureInjection('postgres (postgres.js)', () => withDump(sql));

  async function withDump(driver: unknown) {
    const storage = await storages.make(driver);
    const schema = storages.schemas.at(-1) as string;
    const select = async (table: string) =>
      (await storages.pool.query(`SELECT * FROM "${schema}".${table} ORDER BY 1`)).rows;
    return { storage, dump: () => dumpTables(select) };
  }
});
