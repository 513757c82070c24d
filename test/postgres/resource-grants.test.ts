import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it } from 'vitest';
import { migrations, postgresStorage } from '../../adapters/postgres/index.js';
import { organizationRecord, userRecord } from '../../src/testing/index.js';

type Queryable = { query(text: string, params?: unknown[]): Promise<unknown> };

/** A storage on `client` that records every statement it sends, with its parameters. */
function recordingStorage(client: PGlite) {
  const statements: { text: string; params: unknown[] }[] = [];
  const recording = (target: Queryable): Queryable => ({
    query: (text, params = []) => {
      statements.push({ text, params });
      return target.query(text, params);
    },
  });
  const storage = postgresStorage({
    client: {
      ...recording(client),
      transaction: <T>(work: (tx: Queryable) => Promise<T>) => client.transaction((tx) => work(recording(tx))),
    },
  });
  return { storage, statements };
}

describe('pglite storage: profile fields and resource grants', () => {
  it('reads the users stored before migration 7 with no profile fields and no access', async () => {
    const db = new PGlite();
    try {
      await db.exec(
        'CREATE TABLE tenantry_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
      );
      for (const migration of migrations.filter((item) => item.version < 7)) {
        await db.exec(migration.sql);
        await db.query('INSERT INTO tenantry_migrations (version, name) VALUES ($1, $2)', [
          migration.version,
          migration.name,
        ]);
      }
      await db.query(
        `INSERT INTO tenantry_users (id, organization_id, email, first_name, last_name, status, can_sign_in, permissions,
           roles, failed_sign_ins, must_change_password, email_notifications, preferences, created_at, updated_at,
           email_key, last_name_key, first_name_key, search_text)
         VALUES ('usr_old', 'org_a', 'old@example.test', 'Old', 'User', 'active', true, '{}', '{}', 0, false, true,
           '{}', $1, $1, 'old@example.test', 'user', 'old', 'old user')`,
        [new Date('2026-01-01T00:00:00Z')],
      );
      const storage = postgresStorage({ client: db });
      expect(await storage.migrate()).toEqual([7, 8, 9, 10, 11, 12, 13, 14, 15]);
      expect(await storage.transaction((tx) => tx.users.get('usr_old'))).toMatchObject({ fields: {} });
      expect(await storage.transaction((tx) => tx.resources.forUsers(['usr_old']))).toEqual(new Map());
    } finally {
      await db.close();
    }
  });

  it('keeps the statistics on organization, type and resource id in the storage’s schema', async () => {
    const db = new PGlite();
    try {
      await postgresStorage({ client: db, schema: 'portal' }).migrate();
      await postgresStorage({ client: db, schema: 'other' }).migrate();
      const { rows } = await db.query(
        `SELECT stxnamespace::regnamespace::text AS schema, stxname AS name,
           (SELECT array_agg(attname ORDER BY attnum) FROM pg_attribute
            WHERE attrelid = stxrelid AND attnum = ANY(stxkeys)) AS columns
         FROM pg_statistic_ext ORDER BY 1`,
      );
      const statistics = {
        name: 'tenantry_resource_grants_holders',
        columns: ['organization_id', 'type', 'resource_id'],
      };
      expect(rows).toEqual([
        { schema: 'other', ...statistics },
        { schema: 'portal', ...statistics },
      ]);
    } finally {
      await db.close();
    }
  });

  describe('the plans of the two questions', () => {
    const client = new PGlite();
    const { storage, statements } = recordingStorage(client);
    const organization = organizationRecord();
    const users = Array.from({ length: 6_000 }, (_, index) =>
      userRecord(organization.id, { lastName: `L${index % 977}` }),
    );
    const prepared = (async () => {
      await storage.migrate();
      await storage.transaction(async (tx) => {
        await tx.organizations.insert(organization);
        await tx.users.insertMany(users);
      });
      // Grants written directly, as a large customer has them: a job some twenty users hold, an instance half of them
      // do, some by holding every instance.
      await client.query(
        `WITH hashed AS (SELECT organization_id, id, ('x' || substr(md5(id), 1, 4))::bit(16)::int AS h FROM tenantry_users)
         INSERT INTO tenantry_resource_grants (organization_id, user_id, type, resource_id)
         SELECT organization_id, id, 'job', 'few' FROM hashed WHERE h % 300 = 0
         UNION ALL
         SELECT organization_id, id, 'instance', CASE WHEN h % 10 = 0 THEN NULL ELSE 'many' END FROM hashed WHERE h % 2 = 0`,
      );
      await client.exec('ANALYZE');
    })();
    afterAll(() => client.close());

    /** The plan of the last statement that starts with `prefix`. */
    async function planOfLast(prefix: string): Promise<string> {
      const statement = statements.findLast((each) => each.text.startsWith(prefix));
      if (!statement) throw new Error(`no statement starting with ${prefix}`);
      const plan = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${statement.text}`, statement.params);
      return plan.rows.map((row) => row['QUERY PLAN']).join('\n');
    }

    const listByName = (resource: { type: string; id: string }) =>
      storage.transaction((tx) =>
        tx.users.query({
          organizationId: organization.id,
          statuses: ['active'],
          sort: 'name',
          order: 'asc',
          resource,
          limit: 50,
        }),
      );

    it('lists the few holders of a resource from the grants’ partial indexes, not by walking the company', async () => {
      await prepared;
      const found = await listByName({ type: 'job', id: 'few' });
      expect(found.length).toBeGreaterThan(5);
      const plan = await planOfLast('SELECT id,');
      expect(plan).toContain('tenantry_resource_grants_by_resource');
      expect(plan).toContain('tenantry_resource_grants_every');
      expect(plan).not.toContain('tenantry_users_by_name');
    });

    it('lists the many holders of a resource along the sort index, asking each user’s grants by index', async () => {
      await prepared;
      expect(await listByName({ type: 'instance', id: 'many' })).toHaveLength(50);
      const plan = await planOfLast('SELECT id,');
      expect(plan).toContain('tenantry_users_by_name');
      expect(plan).toContain('tenantry_resource_grants_by_user');
      expect(plan).not.toMatch(/Sort Key/);
    });

    it('pages a resource’s holders as two ordered index ranges cut at the limit', async () => {
      await prepared;
      const page = await storage.transaction((tx) =>
        tx.resources.holders({ organizationId: organization.id, type: 'instance', resourceId: 'many', limit: 50 }),
      );
      expect(page).toHaveLength(50);
      const plan = await planOfLast('SELECT user_id FROM (SELECT user_id FROM (SELECT user_id');
      expect(plan).toContain('tenantry_resource_grants_by_resource');
      expect(plan).toContain('tenantry_resource_grants_every');
      expect(plan).not.toContain('Seq Scan');
    });

    it('reads many users’ access through the index by user', async () => {
      await prepared;
      await storage.transaction((tx) => tx.resources.forUsers(users.slice(0, 20).map((user) => user.id)));
      expect(await planOfLast('SELECT user_id, type, resource_id')).toContain('tenantry_resource_grants_by_user');
    });
  });
});
