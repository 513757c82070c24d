import { PGlite } from '@electric-sql/pglite';
import { describe, expect, it } from 'vitest';
import { postgresStorage } from '../../adapters/postgres/index.js';
import { describeStorageContract } from '../contract/storage.js';

// One migrated database; every test gets its own clone of it.
const template = new PGlite();
const firstRun = await postgresStorage({ client: template }).migrate();
const fresh = async () => postgresStorage({ client: await template.clone() });

describe('pglite storage: migrations', () => {
  it('applies every migration once and is idempotent', async () => {
    expect(firstRun).toEqual([1, 2]);
    expect(await postgresStorage({ client: template }).migrate()).toEqual([]);
    const versions = await template.query<{ version: number }>(
      'SELECT version FROM tenantry_migrations ORDER BY version',
    );
    expect(versions.rows.map((row) => row.version)).toEqual([1, 2]);
  });
});

describeStorageContract('pglite', fresh);
