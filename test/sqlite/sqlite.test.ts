import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { migrations, sqliteStorage } from '../../adapters/sqlite/index.js';
import { describeStorageContract, organizationRecord } from '../../src/testing/index.js';

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
    expect(await sqliteStorage({ database }).migrate()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(await sqliteStorage({ database }).migrate()).toEqual([]);
    const versions = database.prepare('SELECT version FROM tenantry_migrations ORDER BY version').all();
    expect(versions).toEqual([
      { version: 1 },
      { version: 2 },
      { version: 3 },
      { version: 4 },
      { version: 5 },
      { version: 6 },
      { version: 7 },
      { version: 8 },
      { version: 9 },
      { version: 10 },
    ]);
  });

  it('keeps what a search checks in each sort index, so that a walk reads only the matching rows', async () => {
    const database = new Database(':memory:');
    await sqliteStorage({ database }).migrate();
    for (const index of ['tenantry_users_by_created', 'tenantry_users_by_name', 'tenantry_users_by_email']) {
      const columns = database.prepare(`SELECT name FROM pragma_index_info('${index}')`).all();
      expect(columns.map((column) => (column as { name: string }).name).slice(-5)).toEqual([
        'status',
        'erased_at',
        'search_text',
        'roles',
        'permissions',
      ]);
    }
  });

  it('reads the tokens issued before migration 3 as sent by an administrator', async () => {
    const database = new Database(':memory:');
    database.exec(
      'CREATE TABLE tenantry_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT',
    );
    for (const migration of migrations.filter((item) => item.version < 3)) {
      database.exec(migration.sql);
      database.prepare('INSERT INTO tenantry_migrations VALUES (?, ?, 0)').run(migration.version, migration.name);
    }
    database
      .prepare(
        `INSERT INTO tenantry_tokens (digest, user_id, organization_id, purpose, created_at, expires_at)
         VALUES ('old', 'usr_a', 'org_a', 'password-reset', 0, 0)`,
      )
      .run();
    const storage = sqliteStorage({ database });
    expect(await storage.migrate()).toEqual([3, 4, 5, 6, 7, 8, 9, 10]);
    expect(await storage.transaction((tx) => tx.tokens.get('old'))).toMatchObject({ origin: 'admin' });
    const count = (origins: ('admin' | 'bulk')[]) =>
      storage.transaction((tx) =>
        tx.tokens.countIssued({ organizationId: 'org_a', purposes: ['password-reset'], origins, since: new Date(0) }),
      );
    expect([await count(['admin']), await count(['bulk'])]).toEqual([1, 0]);
  });

  it('reads the imports kept before migration 4 as last written when they finished, or else started', async () => {
    const database = new Database(':memory:');
    database.exec(
      'CREATE TABLE tenantry_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT',
    );
    for (const migration of migrations.filter((item) => item.version < 4)) {
      database.exec(migration.sql);
      database.prepare('INSERT INTO tenantry_migrations VALUES (?, ?, 0)').run(migration.version, migration.name);
    }
    const [started, finished] = [Date.UTC(2026, 0, 1, 10), Date.UTC(2026, 0, 1, 10, 5)];
    database
      .prepare(
        `INSERT INTO tenantry_imports (id, organization_id, requested_by, status, mode, dry_run, total, created, updated,
           skipped, failed, exceptions, started_at, finished_at)
         VALUES ('imp_done', 'org_a', '{"type":"operator"}', 'finished', 'skip', 0, 1, 1, 0, 0, 0, '[]', ?, ?),
                ('imp_cut', 'org_a', '{"type":"operator"}', 'running', 'skip', 0, 1, 0, 0, 0, 0, '[]', ?, NULL)`,
      )
      .run(started, finished, started);
    const storage = sqliteStorage({ database });
    expect(await storage.migrate()).toEqual([4, 5, 6, 7, 8, 9, 10]);
    const report = (id: string) => storage.transaction((tx) => tx.imports.get(id));
    expect(await report('imp_done')).toMatchObject({ updatedAt: new Date(finished) });
    expect(await report('imp_cut')).toMatchObject({ updatedAt: new Date(started) });
  });

  it('reads the users stored before migration 5 with no profile fields and no access', async () => {
    const database = new Database(':memory:');
    database.exec(
      'CREATE TABLE tenantry_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT',
    );
    for (const migration of migrations.filter((item) => item.version < 5)) {
      database.exec(migration.sql);
      database.prepare('INSERT INTO tenantry_migrations VALUES (?, ?, 0)').run(migration.version, migration.name);
    }
    database
      .prepare(
        `INSERT INTO tenantry_users (id, organization_id, email, first_name, last_name, status, can_sign_in, permissions,
           roles, failed_sign_ins, must_change_password, email_notifications, preferences, created_at, updated_at,
           email_key, last_name_key, first_name_key, search_text)
         VALUES ('usr_old', 'org_a', 'old@example.test', 'Old', 'User', 'active', 1, '[]', '[]', 0, 0, 1, '{}', 0, 0,
           'old@example.test', 'user', 'old', 'old user')`,
      )
      .run();
    const storage = sqliteStorage({ database });
    expect(await storage.migrate()).toEqual([5, 6, 7, 8, 9, 10]);
    expect(await storage.transaction((tx) => tx.users.get('usr_old'))).toMatchObject({ fields: {} });
    expect(await storage.transaction((tx) => tx.resources.forUsers(['usr_old']))).toEqual(new Map());
  });

  it('reads the organizations and sessions stored before migration 6 with second factors optional, won by password', async () => {
    const database = new Database(':memory:');
    database.exec(
      'CREATE TABLE tenantry_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT',
    );
    for (const migration of migrations.filter((item) => item.version < 6)) {
      database.exec(migration.sql);
      database.prepare('INSERT INTO tenantry_migrations VALUES (?, ?, 0)').run(migration.version, migration.name);
    }
    database
      .prepare(
        `INSERT INTO tenantry_organizations (id, name, kind, features, profile, attributes, created_at, updated_at)
         VALUES ('org_old', 'Old', 'standard', '[]', '{}', '{}', 0, 0)`,
      )
      .run();
    database
      .prepare(
        `INSERT INTO tenantry_sessions (digest, user_id, created_at, last_seen_at, expires_at, absolute_expires_at)
         VALUES ('old', 'usr_old', 0, 0, 1, 1)`,
      )
      .run();
    const storage = sqliteStorage({ database });
    expect(await storage.migrate()).toEqual([6, 7, 8, 9, 10]);
    expect(await storage.transaction((tx) => tx.organizations.get('org_old'))).toMatchObject({
      securityPolicy: { mfa: 'optional', enrollmentGraceDays: 0, mfaRequiredSince: null, ssoRequired: false },
    });
    expect(await storage.transaction((tx) => tx.sessions.get('old'))).toMatchObject({
      authenticationMethods: ['password'],
      enrollmentDueAt: null,
    });
    expect(await storage.transaction((tx) => tx.factors.forUser('usr_old'))).toEqual([]);
  });

  it('keeps what a file database stored for the next connection, in write-ahead-log mode', async () => {
    const file = join(directory, 'tenantry.db');
    const organization = organizationRecord({ profile: { phone: '+1 555' } });
    const first = new Database(file);
    const writer = sqliteStorage({ database: first });
    expect(await writer.migrate()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
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

await describeStorageContract('sqlite', fresh);
