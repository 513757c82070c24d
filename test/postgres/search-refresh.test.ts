import { PGlite } from '@electric-sql/pglite';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { afterAll, describe, expect, it } from 'vitest';
import { postgresStorage } from '../../adapters/postgres/index.js';
import { codeOf, makeTenantry, person } from '../support/tenantry.js';

const db = new PGlite({ extensions: { pg_trgm, btree_gin } });
afterAll(() => db.close());
const storage = postgresStorage({ client: db });
await storage.migrate();

describe('maintenance.refreshSearch', () => {
  it('builds the index of the organizations the policy says are due, and again once enough users changed', async () => {
    const { um, operator, as } = await makeTenantry(() => storage, {
      policy: { searchIndex: { fromUsers: 3, rebuildAfterChanges: 2 } },
    });
    const { organization, firstUser: admin } = await operator.organizations.create({
      name: 'Acme',
      firstUser: person('Ann', 'Admin'),
    });
    const small = await operator.organizations.create({ name: 'Tiny', firstUser: person('Tom', 'Thumb') });
    await operator.users.add({ ...person('Ada', 'Lovelace'), organizationId: organization.id });
    const hopper = await operator.users.add({ ...person('Grace', 'Hopper'), organizationId: organization.id });

    const first = await um.maintenance.refreshSearch();
    expect(first).toEqual({
      rebuilt: [{ organizationId: organization.id, users: 3, changed: 0, built: true }],
      busy: [],
    });
    expect(await um.maintenance.refreshSearch()).toEqual({ rebuilt: [], busy: [] });

    // One user added since: searched apart from the index, found all the same, and not enough for a build.
    const added = await operator.users.add({ ...person('Grace', 'Quixote'), organizationId: organization.id });
    const search = (term: string) =>
      operator.users.list({
        organizationId: organization.id,
        search: term,
        sort: 'name',
        order: 'asc',
        status: 'pending',
      });
    expect((await search('quixote')).items.map((user) => user.id)).toEqual([added.user.id]);
    expect((await search('lovelace')).items.map((user) => user.lastName)).toEqual(['Lovelace']);
    expect(await um.maintenance.refreshSearch()).toEqual({ rebuilt: [], busy: [] });
    // A second user renamed: two changed since the build, which the policy says is enough.
    await operator.users.update(hopper.user.id, { lastName: 'Quixotic' });
    const second = await operator.maintenance.refreshSearch();
    expect(second.rebuilt.map((state) => [state.organizationId, state.users])).toEqual([[organization.id, 4]]);
    expect((await search('quixot')).items.map((user) => user.id)).toEqual([added.user.id, hopper.user.id]);
    expect((await search('quixotic')).items.map((user) => user.id)).toEqual([hopper.user.id]);
    expect((await search('grace hopper')).items).toEqual([]);

    // Named, an organization is built whatever its size; one that does not exist is NOT_FOUND; users may not.
    const named = await um.maintenance.refreshSearch({ organizationId: small.organization.id });
    expect(named.rebuilt).toEqual([{ organizationId: small.organization.id, users: 1, changed: 0, built: true }]);
    expect(await codeOf(um.maintenance.refreshSearch({ organizationId: 'org_missing' }))).toBe('NOT_FOUND');
    expect(await codeOf(as(admin.id).maintenance.refreshSearch())).toBe('FORBIDDEN');
    expect(await codeOf(um.maintenance.refreshSearch({ organizationId: 'x\u0000' } as never))).toBe(
      'VALIDATION_FAILED',
    );
  });

  it('has nothing to build on storage without a search index', async () => {
    const { um, operator } = await makeTenantry(undefined, { policy: { searchIndex: { fromUsers: 1 } } });
    await operator.organizations.create({ name: 'Acme', firstUser: person('Ann', 'Admin') });
    expect(await um.maintenance.refreshSearch()).toEqual({ rebuilt: [], busy: [] });
  });
});
