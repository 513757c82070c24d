import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { describe, expect, it } from 'vitest';
import { postgresStorage } from '../../adapters/postgres/index.js';
import { describeStorageContract } from '../contract/storage.js';
import { makeTenantry, person } from '../support/tenantry.js';

// One migrated database; every test gets its own clone of it.
const template = new PGlite();
const firstRun = await postgresStorage({ client: template }).migrate();
const fresh = async () => postgresStorage({ client: await template.clone() });

describe('pglite storage: migrations', () => {
  it('applies every migration once and is idempotent', async () => {
    expect(firstRun).toEqual([1, 2, 3, 4]);
    expect(await postgresStorage({ client: template }).migrate()).toEqual([]);
    const versions = await template.query<{ version: number }>(
      'SELECT version FROM tenantry_migrations ORDER BY version',
    );
    expect(versions.rows.map((row) => row.version)).toEqual([1, 2, 3, 4]);
  });

  it('creates the trigram search index when PGlite loads pg_trgm, and searches through it', async () => {
    const db = new PGlite({ extensions: { pg_trgm } });
    try {
      const storage = postgresStorage({ client: db });
      await storage.migrate();
      const { operator } = await makeTenantry(() => storage);
      const { organization } = await operator.organizations.create({ name: 'Acme', firstUser: person('Ann', 'Admin') });
      await operator.users.add({ ...person('Ada', 'Lovelace'), organizationId: organization.id });
      await db.exec('SET enable_seqscan = off');
      const plan = await db.query<{ 'QUERY PLAN': string }>(
        "EXPLAIN SELECT id FROM tenantry_users WHERE search_text LIKE '%lovelace%'",
      );
      expect(plan.rows.map((row) => row['QUERY PLAN']).join('\n')).toContain('tenantry_users_search');
      const found = await operator.users.list({
        organizationId: organization.id,
        search: 'LOVELACE',
        status: 'pending',
      });
      expect(found.items.map((user) => user.lastName)).toEqual(['Lovelace']);
    } finally {
      await db.close();
    }
  });
});

describeStorageContract('pglite', fresh);

describe('pglite storage: validating a session', () => {
  it('takes one statement, outside any transaction, while no renewal is due', async () => {
    const client = await template.clone();
    const statements: string[] = [];
    // The same PGlite, with every statement counted.
    type Queryable = { query(text: string, params?: unknown[]): Promise<unknown> };
    const counted = (target: Queryable): Queryable => ({
      query: (text, params) => {
        statements.push(text);
        return target.query(text, params);
      },
    });
    const counting = {
      ...counted(client),
      transaction: <T>(work: (tx: Queryable) => Promise<T>) =>
        client.transaction((tx) => {
          statements.push('BEGIN');
          return work(counted(tx));
        }),
    };
    const { um, operator, mailer, clock } = await makeTenantry(() => postgresStorage({ client: counting }));
    const { firstUser } = await operator.organizations.create({ name: 'Acme', firstUser: person('Ann', 'Admin') });
    const token = new URL(mailer.outbox.at(-1)?.link as string).searchParams.get('token') as string;
    const { token: session } = await um.auth.acceptInvitation({ token, password: 'a long passphrase nobody guesses' });
    statements.length = 0;
    expect((await um.auth.validateSession(session)).user.id).toBe(firstUser.id);
    expect(statements).toHaveLength(1);
    // Past the renewal interval (once a minute at most) it writes the new idle expiry, in a transaction.
    clock.advance(120_000);
    statements.length = 0;
    await um.auth.validateSession(session);
    expect(statements).toContain('BEGIN');
  });
});
