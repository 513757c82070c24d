import { PGlite } from '@electric-sql/pglite';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { describe, expect, it } from 'vitest';
import { postgresStorage } from '../../adapters/postgres/index.js';
import { makeTenantry, person } from '../support/tenantry.js';

describe('pglite storage: search', () => {
  it('with btree_gin too, searches through a trigram index led by the organization', async () => {
    const db = new PGlite({ extensions: { pg_trgm, btree_gin } });
    try {
      const storage = postgresStorage({ client: db });
      await storage.migrate();
      const { operator } = await makeTenantry(() => storage);
      const { organization } = await operator.organizations.create({ name: 'Acme', firstUser: person('Ann', 'Admin') });
      await operator.users.add({ ...person('Ada', 'Lovelace'), organizationId: organization.id });
      const indexes = await db.query<{ indexname: string }>(
        "SELECT indexname FROM pg_indexes WHERE tablename = 'tenantry_users' AND indexname LIKE 'tenantry_users_search%'",
      );
      expect(indexes.rows.map((row) => row.indexname)).toEqual(['tenantry_users_search_by_organization']);
      const options = await db.query<{ reloptions: string[] }>(
        "SELECT reloptions FROM pg_class WHERE relname = 'tenantry_users_search_by_organization'",
      );
      expect(options.rows[0]?.reloptions).toEqual(['gin_pending_list_limit=256']);
      const list = (search: string) =>
        operator.users.list({ organizationId: organization.id, search, status: 'pending', sort: 'name', order: 'asc' });
      expect((await list('LOVELACE')).items.map((user) => user.lastName)).toEqual(['Lovelace']);
      expect((await list('ad')).items.map((user) => user.lastName)).toEqual(['Admin', 'Lovelace']);
      expect((await list('zebra')).items).toEqual([]);
    } finally {
      await db.close();
    }
  });
});
