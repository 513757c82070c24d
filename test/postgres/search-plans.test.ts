import { PGlite } from '@electric-sql/pglite';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { afterAll, describe, expect, it } from 'vitest';
import { postgresDialect } from '../../adapters/postgres/dialect.js';
import { type PostgresStorage, postgresStorage } from '../../adapters/postgres/index.js';
import { postgresSearchStart } from '../../adapters/postgres/search-start.js';
import { Parameters } from '../../adapters/sql/dialect.js';
import { userQuerySql } from '../../adapters/sql/user-query.js';
import type { UserQuery } from '../../src/adapter-kit/index.js';
import { organizationRecord, userRecord } from '../../src/testing/index.js';
import { describeWithServer, queryInSchema, serverStorages } from '../support/postgres-server.js';

type Run = (text: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

/**
 * The plans a search page runs in a company of 3,000 users, its statistics
 * fresh: a term everyone matches is found by walking the users in order, and
 * the trigram index is not read; a term only the last user by name matches is
 * found through the trigram index; a page with a filter beyond status, the
 * company built, starts its walk at the first block that may hold a match.
 */
function describeSearchPlans(name: string, seededRun: () => Promise<{ run: Run; storage: PostgresStorage }>) {
  describe(`${name}: the plan of a search page`, () => {
    const seeded = seededRun().then(({ run, storage }) => {
      // EXPLAIN's rows as one text.
      const explain = async (text: string, params: unknown[]) =>
        (await run(`EXPLAIN (ANALYZE) ${text}`, params)).map((row) => row['QUERY PLAN']).join('\n');
      return { run, explain, storage };
    });
    const page = (organizationId: string, search: string): UserQuery => ({
      organizationId,
      search,
      statuses: ['active'],
      sort: 'name',
      order: 'asc',
      limit: 51,
    });

    it('finds a common term’s page in the listing’s order, and a rare one through the trigram index', async () => {
      const { explain } = await seeded;
      const ran = async (search: string) => {
        const { text, params } = userQuerySql(postgresDialect, page(organizationId, search), 'id');
        const plan = await explain(text, params);
        const trigrams = plan.match(/Bitmap Index Scan on tenantry_users_search.*/)?.[0];
        return { trigramIndexRead: trigrams !== undefined && !trigrams.includes('never executed') };
      };
      expect(await ran('example')).toEqual({ trigramIndexRead: false });
      expect(await ran('quixote')).toEqual({ trigramIndexRead: true });
    });

    it('once the company’s search blocks are built, walks only the blocks that hold every trigram of the term', async () => {
      const { explain, storage } = await seeded;
      await storage.searchIndex.rebuild(organizationId);
      const { text, params } = userQuerySql(postgresDialect, page(organizationId, 'quixote'), 'id');
      const plan = await explain(text, params);
      // 24 blocks by name (23 of 128 users, one of 56): the one user matching is in one, and no other has all 5 bits.
      const blocks = plan.match(
        /Index Scan using tenantry_search_blocks_pkey[^\n]*\n(?:[^\n]*\n){2}\s*Rows Removed by Filter: (\d+)/,
      );
      expect(Number(blocks?.[1])).toBe(23);
      expect(plan).toMatch(
        /Index Only Scan using tenantry_users_by_name on tenantry_users \S+ +\(cost=[^)]*\) \(actual [^)]*loops=1\)/,
      );
      expect(plan).not.toMatch(/Bitmap Index Scan on tenantry_users_search[^\n]*\(actual(?! time=[^)]*never)/);
    });

    it('starts a narrowed page from the first block that may hold a match, a bound the planner sees', async () => {
      const { explain, run, storage } = await seeded;
      await storage.searchIndex.rebuild(organizationId);
      const query = { ...page(organizationId, 'quixote'), roles: ['basic'] };
      const params = new Parameters(postgresDialect);
      const [start] = await run(postgresSearchStart(query, params, undefined) as string, params.values);
      const { text, params: pageParams } = userQuerySql(postgresDialect, query, 'id', start);
      const plan = await explain(text, pageParams);
      // The walk by name starts at the first keys of the last block (56 users), given as values, not a subquery.
      const walk = plan.match(
        /Index Only Scan using tenantry_users_by_name[^\n]*\n\s*Index Cond: \([^\n]*ROW\(last_name_key, first_name_key, id\) >= ROW\('[^\n]*\n[^\n]*\n\s*Rows Removed by Filter: (\d+)/,
      );
      expect(Number(walk?.[1])).toBe(56);
    });
  });
}

const organizationId = organizationRecord().id;
const users = Array.from({ length: 3_000 }, (_, index) =>
  userRecord(
    organizationId,
    index === 1_500 ? { firstName: 'Zed', lastName: 'Zz Quixote' } : { lastName: `Lovelace${index}` },
  ),
);

async function seed(storage: ReturnType<typeof postgresStorage>) {
  await storage.migrate();
  await storage.transaction(async (tx) => {
    await tx.organizations.insert(organizationRecord({ id: organizationId }));
    await tx.users.insertMany(users);
  });
}

describeSearchPlans('pglite with pg_trgm and btree_gin', async () => {
  const db = new PGlite({ extensions: { pg_trgm, btree_gin } });
  afterAll(() => db.close());
  const storage = postgresStorage({ client: db });
  await seed(storage);
  await db.exec('VACUUM ANALYZE tenantry_users');
  const run: Run = async (text, params) => (await db.query<Record<string, unknown>>(text, params)).rows;
  return { run, storage };
});

describeWithServer('real PostgreSQL server', (url) => {
  const storages = serverStorages(url);
  afterAll(() => storages.close());
  describeSearchPlans('real PostgreSQL server', async () => {
    const storage = await storages.make();
    const schema = storages.schemas.at(-1) as string;
    await seed(storage);
    await storages.pool.query(`VACUUM ANALYZE "${schema}".tenantry_users`);
    return { run: queryInSchema(storages.pool, schema), storage };
  });
});
