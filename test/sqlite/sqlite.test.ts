import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { sqliteStorage } from '../../adapters/sqlite/index.js';
import { organizationRecord } from '../contract/records.js';
import { describeStorageContract } from '../contract/storage.js';

const fresh = async () => {
  const storage = sqliteStorage({ database: new Database(':memory:') });
  await storage.migrate();
  return storage;
};

describe('sqlite storage: migrations and files', () => {
  const directory = mkdtempSync(join(tmpdir(), 'tenantry-sqlite-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('applies every migration once and is idempotent', async () => {
    const database = new Database(':memory:');
    expect(await sqliteStorage({ database }).migrate()).toEqual([1, 2]);
    expect(await sqliteStorage({ database }).migrate()).toEqual([]);
    const versions = database.prepare('SELECT version FROM tenantry_migrations ORDER BY version').all();
    expect(versions).toEqual([{ version: 1 }, { version: 2 }]);
  });

  it('keeps what a file database stored for the next connection, in write-ahead-log mode', async () => {
    const file = join(directory, 'tenantry.db');
    const organization = organizationRecord({ profile: { phone: '+1 555' } });
    const first = new Database(file);
    const writer = sqliteStorage({ database: first });
    expect(await writer.migrate()).toEqual([1, 2]);
    await writer.transaction((tx) => tx.organizations.insert(organization));
    expect(first.pragma('journal_mode', { simple: true })).toBe('wal');
    first.close();

    const second = new Database(file);
    const reader = sqliteStorage({ database: second });
    expect(await reader.migrate()).toEqual([]);
    expect(await reader.transaction((tx) => tx.organizations.get(organization.id))).toEqual(organization);
    second.close();
  });
});

describeStorageContract('sqlite', fresh);
