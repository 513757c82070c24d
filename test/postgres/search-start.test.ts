import { PGlite } from '@electric-sql/pglite';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { afterAll, describe, expect, it } from 'vitest';
import { postgresDialect } from '../../adapters/postgres/dialect.js';
import { type PostgresStorage, postgresStorage } from '../../adapters/postgres/index.js';
import { postgresSearchStart } from '../../adapters/postgres/search-start.js';
import { Parameters } from '../../adapters/sql/dialect.js';
import { userQuerySql } from '../../adapters/sql/user-query.js';
import type { User, UserQuery } from '../../src/adapter-kit/index.js';
import { organizationRecord, userRecord } from '../../src/testing/index.js';
import { describeWithServer, queryInSchema, serverStorages } from '../support/postgres-server.js';

type Run = (text: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

/**
 * A narrowed search page is two statements: the start (the build's revision
 * and the first block that may hold a match) and the page from that start.
 * Here a user is renamed and the company rebuilt between the two, the
 * interleaving a busy server allows: the page still finds them.
 */
function describeSearchStart(name: string, seededRun: () => Promise<{ run: Run; storage: PostgresStorage }>) {
  describe(`${name}: a narrowed page started before a rebuild`, () => {
    const seeded = seededRun();
    const page = (search: string): UserQuery => ({
      organizationId,
      search,
      statuses: ['active'],
      resource: { type: 'project', id: 'p1' },
      sort: 'name',
      order: 'asc',
      limit: 10,
    });
    const startOf = async (run: Run, query: UserQuery) => {
      const params = new Parameters(postgresDialect);
      const text = postgresSearchStart(query, params, undefined);
      if (text === undefined) throw new Error('expected a narrowed search to read its start');
      const [start] = await run(text, params.values);
      return start ?? null;
    };
    const pageFrom = async (run: Run, query: UserQuery, start: Record<string, unknown> | null) => {
      const { text, params } = userQuerySql(postgresDialect, query, 'id', start);
      return (await run(text, params)).map((row) => row.id);
    };
    const renameAndRebuild = async (storage: PostgresStorage, user: User, lastName: string) => {
      await storage.transaction((tx) => tx.users.update({ ...user, lastName }));
      await storage.searchIndex.rebuild(organizationId);
    };

    it('finds a user renamed to match before the block it started from', async () => {
      const { run, storage } = await seeded;
      await storage.searchIndex.rebuild(organizationId);
      const start = await startOf(run, page('quixote'));
      // The first block by name that may hold "quixote" is the last user's, 'Zz Quixote'.
      expect(start?.k0).not.toBeNull();
      await renameAndRebuild(storage, early, 'Aa Quixote');
      expect(await pageFrom(run, page('quixote'), start)).toEqual([early.id, late.id]);
      // The page as a caller reads it after the rebuild agrees.
      const found = await storage.transaction((tx) => tx.users.query(page('quixote')));
      expect(found.map((user) => user.id)).toEqual([early.id, late.id]);
    });

    it('finds a user renamed to match when no block held the term at the start', async () => {
      const { run, storage } = await seeded;
      await storage.searchIndex.rebuild(organizationId);
      const start = await startOf(run, page('cervantes'));
      expect(start).toMatchObject({ k0: null });
      expect(await pageFrom(run, page('cervantes'), start)).toEqual([]);
      await renameAndRebuild(storage, middle, 'Cervantes');
      expect(await pageFrom(run, page('cervantes'), start)).toEqual([middle.id]);
    });
  });
}

const organizationId = organizationRecord().id;
const users = Array.from({ length: 1_280 }, (_, index) =>
  userRecord(organizationId, {
    lastName: index === 1_279 ? 'Zz Quixote' : `Lovelace${String(index).padStart(4, '0')}`,
  }),
);
const [early, middle, late] = [users[10], users[640], users[1_279]] as [User, User, User];

async function seed(storage: PostgresStorage) {
  await storage.migrate();
  await storage.transaction(async (tx) => {
    await tx.organizations.insert(organizationRecord({ id: organizationId }));
    await tx.users.insertMany(users);
    // One user in four holds project p1, and the three renamed.
    for (const [index, user] of users.entries()) {
      if (index % 4 === 0 || [early, middle, late].includes(user))
        await tx.resources.add({ organizationId, userId: user.id, type: 'project', resourceId: 'p1' });
    }
  });
}

describeSearchStart('pglite', async () => {
  const db = new PGlite({ extensions: { pg_trgm, btree_gin } });
  afterAll(() => db.close());
  const storage = postgresStorage({ client: db });
  await seed(storage);
  const run: Run = async (text, params) => (await db.query<Record<string, unknown>>(text, params)).rows;
  return { run, storage };
});

describeWithServer('real PostgreSQL server', (url) => {
  const storages = serverStorages(url);
  afterAll(() => storages.close());
  describeSearchStart('real PostgreSQL server', async () => {
    const storage = await storages.make();
    const schema = storages.schemas.at(-1) as string;
    await seed(storage);
    return { run: queryInSchema(storages.pool, schema), storage };
  });
});
