import { PGlite } from '@electric-sql/pglite';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { afterAll, expect, it } from 'vitest';
import { postgresStorage } from '../../adapters/postgres/index.js';
import { organizationRecord, userRecord } from '../../src/testing/index.js';
import { deferred } from '../support/deferred.js';
import { describeWithServer, serverStorages } from '../support/postgres-server.js';
import { describeSearchBlocks } from '../support/search-blocks.js';

describeSearchBlocks('pglite', async () => {
  const db = new PGlite({ extensions: { pg_trgm, btree_gin } });
  afterAll(() => db.close());
  const storage = postgresStorage({ client: db });
  await storage.migrate();
  return storage;
});

describeWithServer('real PostgreSQL server', (url) => {
  const storages = serverStorages(url);
  afterAll(() => storages.close());
  describeSearchBlocks('real PostgreSQL server', () => storages.make());

  it('a build waits for a write of users in flight, so the user it wrote is in the build', async () => {
    const storage = await storages.make();
    const organization = organizationRecord();
    await storage.transaction((tx) => tx.organizations.insert(organization));
    const held = deferred();
    const inserted = deferred();
    const writing = storage.transaction(async (tx) => {
      const user = userRecord(organization.id, { lastName: 'Inflight' });
      await tx.users.insert(user);
      await tx.users.get(user.id); // sends the insert, which a transaction may hold back until its next statement
      inserted.resolve();
      await held.promise;
    });
    await inserted.promise;
    const steps: string[] = [];
    const building = storage.searchIndex.rebuild(organization.id).then((state) => {
      steps.push('built');
      return state;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    steps.push('committing');
    held.resolve();
    await writing;
    expect(await building).toMatchObject({ users: 1 });
    expect(steps).toEqual(['committing', 'built']);
    expect((await storage.searchIndex.states(1))[0]).toMatchObject({ users: 1, changed: 0, built: true });
  });
});
