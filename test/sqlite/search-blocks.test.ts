import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { sqliteStorage } from '../../adapters/sqlite/index.js';
import type { User, UserQuery } from '../../src/adapter-kit/index.js';
import { describeSearchBlocks, type IndexedStorage, seeded } from '../support/search-blocks.js';

const make = async () => {
  const storage = sqliteStorage({ database: new Database(':memory:') });
  await storage.migrate();
  return storage as IndexedStorage;
};

describeSearchBlocks('sqlite', make);

it('sqlite: a role or permission granted since the build is found by a filter the blocks passed over', async () => {
  const { storage, organization, users } = await seeded(make, 600, 9);
  await storage.searchIndex.rebuild(organization.id);
  const query = (filter: Partial<UserQuery>): UserQuery => ({
    organizationId: organization.id,
    search: 'acme.test',
    statuses: ['active', 'pending'],
    sort: 'name',
    order: 'asc',
    limit: 10,
    ...filter,
  });
  const found = async (filter: Partial<UserQuery>) =>
    (await storage.transaction((tx) => tx.users.query(query(filter)))).map((user) => user.id);
  // Nobody holds them at the build, so every block's filter lacks their tokens.
  expect(await found({ roles: ['auditor'] })).toEqual([]);
  expect(await found({ grants: { permissions: ['reports.export'], roles: [] } })).toEqual([]);
  const auditor = { ...(users[300] as User), roles: ['auditor'] };
  const exporter = { ...(users[301] as User), permissions: ['reports.export'] };
  await storage.transaction(async (tx) => {
    await tx.users.update(auditor);
    await tx.users.update(exporter);
  });
  expect(await found({ roles: ['auditor'] })).toEqual([auditor.id]);
  expect(await found({ grants: { permissions: ['reports.export'], roles: ['auditor'] } })).toHaveLength(2);
  expect((await storage.searchIndex.states(1))[0]).toMatchObject({ changed: 2, built: true });
  // After a rebuild the blocks hold the tokens themselves.
  await storage.searchIndex.rebuild(organization.id);
  expect(await found({ roles: ['auditor'] })).toEqual([auditor.id]);
  expect((await storage.searchIndex.states(1))[0]).toMatchObject({ changed: 0 });
});
