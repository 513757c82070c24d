import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { describe, expect, it } from 'vitest';
import { migrations, postgresStorage } from '../../adapters/postgres/index.js';
import {
  describeStorageContract,
  factorRecord,
  fixtureTime,
  passkeyRecord,
  userRecord,
} from '../../src/testing/index.js';
import { pgliteSchemas } from '../support/pglite-clones.js';
import { makeTenantry, person } from '../support/tenantry.js';

// One migrated database for the migration tests, cloned where a test needs a database of its own; the contract
// gets a new schema per test.
const template = new PGlite();
const firstRun = await postgresStorage({ client: template }).migrate();
const fresh = pgliteSchemas();

describe('pglite storage: migrations', () => {
  it('applies every migration once and is idempotent', async () => {
    expect(firstRun).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    expect(await postgresStorage({ client: template }).migrate()).toEqual([]);
    const versions = await template.query<{ version: number }>(
      'SELECT version FROM tenantry_migrations ORDER BY version',
    );
    expect(versions.rows.map((row) => row.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
  });

  it('reads the tokens issued before migration 5 as sent by an administrator, and counts them by origin', async () => {
    const db = new PGlite();
    try {
      await db.exec(
        'CREATE TABLE tenantry_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
      );
      for (const migration of migrations.filter((item) => item.version < 5)) {
        await db.exec(migration.sql);
        await db.query('INSERT INTO tenantry_migrations (version, name) VALUES ($1, $2)', [
          migration.version,
          migration.name,
        ]);
      }
      await db.query(
        `INSERT INTO tenantry_tokens (digest, user_id, organization_id, purpose, created_at, expires_at)
         VALUES ('old', 'usr_a', 'org_a', 'password-reset', $1, $1)`,
        [new Date('2026-01-01T00:00:00Z')],
      );
      const storage = postgresStorage({ client: db });
      expect(await storage.migrate()).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
      expect(await storage.transaction((tx) => tx.tokens.get('old'))).toMatchObject({ origin: 'admin' });
      const count = (origins: ('admin' | 'self-service')[]) =>
        storage.transaction((tx) =>
          tx.tokens.countIssued({ organizationId: 'org_a', purposes: ['password-reset'], origins, since: new Date(0) }),
        );
      expect([await count(['admin']), await count(['self-service'])]).toEqual([1, 0]);
    } finally {
      await db.close();
    }
  });

  it('counts an organization’s tokens of one origin through the index that leads with both', async () => {
    const client = await template.clone();
    const origins = ['self-service', 'admin', 'bulk'] as const;
    const tokens = Array.from({ length: 6_000 }, (_, index) => ({
      digest: index.toString(16).padStart(64, '0'),
      userId: `usr_${index}`,
      organizationId: `org_${index % 20}`,
      purpose: 'invitation' as const,
      origin: origins[index % 3] as (typeof origins)[number],
      createdAt: new Date(Date.UTC(2026, 0, 1) + index * 60_000),
      expiresAt: new Date(Date.UTC(2026, 1, 1)),
      consumedAt: null,
    }));
    await postgresStorage({ client }).transaction((tx) => tx.tokens.insertMany(tokens));
    await client.exec('ANALYZE tenantry_tokens');
    const plan = await client.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN SELECT count(*) FROM tenantry_tokens WHERE organization_id = 'org_3'
         AND purpose = ANY('{invitation,password-reset}') AND origin = ANY('{self-service}')
         AND created_at >= '2026-01-04T00:00:00Z'`,
    );
    expect(plan.rows.map((row) => row['QUERY PLAN']).join('\n')).toContain('tenantry_tokens_by_organization_origin');
  });

  it('reads the imports kept before migration 6 as last written when they finished, or else started', async () => {
    const db = new PGlite();
    try {
      await db.exec(
        'CREATE TABLE tenantry_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
      );
      for (const migration of migrations.filter((item) => item.version < 6)) {
        await db.exec(migration.sql);
        await db.query('INSERT INTO tenantry_migrations (version, name) VALUES ($1, $2)', [
          migration.version,
          migration.name,
        ]);
      }
      const [started, finished] = [new Date('2026-01-01T10:00:00Z'), new Date('2026-01-01T10:05:00Z')];
      await db.query(
        `INSERT INTO tenantry_imports (id, organization_id, requested_by, status, mode, dry_run, total, created, updated,
           skipped, failed, exceptions, started_at, finished_at)
         VALUES ('imp_done', 'org_a', '{"type":"operator"}', 'finished', 'skip', false, 1, 1, 0, 0, 0, '[]', $1, $2),
                ('imp_cut', 'org_a', '{"type":"operator"}', 'running', 'skip', false, 1, 0, 0, 0, 0, '[]', $1, NULL)`,
        [started, finished],
      );
      const storage = postgresStorage({ client: db });
      expect(await storage.migrate()).toEqual([6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
      expect(await storage.transaction((tx) => tx.imports.get('imp_done'))).toMatchObject({ updatedAt: finished });
      expect(await storage.transaction((tx) => tx.imports.get('imp_cut'))).toMatchObject({ updatedAt: started });
    } finally {
      await db.close();
    }
  });

  it('reads the organizations and sessions stored before migration 8 with second factors optional, won by password', async () => {
    const db = new PGlite();
    try {
      await db.exec(
        'CREATE TABLE tenantry_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
      );
      for (const migration of migrations.filter((item) => item.version < 8)) {
        await db.exec(migration.sql);
        await db.query('INSERT INTO tenantry_migrations (version, name) VALUES ($1, $2)', [
          migration.version,
          migration.name,
        ]);
      }
      const then = new Date('2026-01-01T00:00:00Z');
      await db.query(
        `INSERT INTO tenantry_organizations (id, name, kind, features, profile, attributes, created_at, updated_at)
         VALUES ('org_old', 'Old', 'standard', '{}', '{}', '{}', $1, $1)`,
        [then],
      );
      await db.query(
        `INSERT INTO tenantry_sessions (digest, user_id, created_at, last_seen_at, expires_at, absolute_expires_at)
         VALUES ('old', 'usr_old', $1, $1, $1, $1)`,
        [then],
      );
      const storage = postgresStorage({ client: db });
      expect(await storage.migrate()).toEqual([8, 9, 10, 11, 12, 13, 14, 15]);
      expect(await storage.transaction((tx) => tx.organizations.get('org_old'))).toMatchObject({
        securityPolicy: { mfa: 'optional', enrollmentGraceDays: 0, mfaRequiredSince: null, ssoRequired: false },
      });
      expect(await storage.transaction((tx) => tx.sessions.get('old'))).toMatchObject({
        authenticationMethods: ['password'],
        enrollmentDueAt: null,
      });
      expect(await storage.transaction((tx) => tx.factors.forUser('usr_old'))).toEqual([]);
    } finally {
      await db.close();
    }
  });

  it('answers a user’s factors, a passkey, recovery codes and challenges from their indexes', async () => {
    const client = await template.clone();
    try {
      const storage = postgresStorage({ client });
      await storage.transaction(async (tx) => {
        for (let index = 0; index < 200; index++) {
          const userId = `usr_${index}`;
          await tx.factors.insert(factorRecord({ userId }));
          await tx.factors.insert(passkeyRecord({ userId }));
          await tx.recoveryCodes.replace(userId, [index.toString(16).padStart(64, '0')], fixtureTime(0));
        }
      });
      await client.exec('ANALYZE');
      await client.exec('SET enable_seqscan = off');
      const plan = async (text: string, params: unknown[]) =>
        (await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${text}`, params)).rows
          .map((row) => row['QUERY PLAN'])
          .join('\n');
      expect(
        await plan('SELECT * FROM tenantry_factors WHERE user_id = $1 ORDER BY created_at, id COLLATE "C"', ['usr_7']),
      ).toContain('tenantry_factors_by_user');
      expect(
        await plan(
          'SELECT DISTINCT user_id FROM tenantry_factors WHERE user_id = ANY($1::text[]) AND confirmed_at IS NOT NULL',
          [['usr_1', 'usr_2']],
        ),
      ).toContain('tenantry_factors_by_user');
      expect(await plan('SELECT * FROM tenantry_factors WHERE credential_id = $1', ['x'])).toContain(
        'tenantry_factors_credential',
      );
      expect(
        await plan('SELECT count(*) FROM tenantry_recovery_codes WHERE user_id = $1 AND used_at IS NULL', ['usr_7']),
      ).toContain('tenantry_recovery_codes_pkey');
      expect(await plan('SELECT * FROM tenantry_webauthn_challenges WHERE digest = $1', ['x'])).toContain(
        'tenantry_webauthn_challenges_pkey',
      );
    } finally {
      await client.close();
    }
  });

  it('claims from a backlog of due items through the outbox index, oldest first', async () => {
    const client = await template.clone();
    try {
      const items = Array.from({ length: 3_000 }, (_, index) => ({
        id: `out_${index.toString().padStart(5, '0')}`,
        kind: 'mail' as const,
        userId: `usr_${index}`,
        payload: '{}',
        createdAt: new Date(Date.UTC(2026, 0, 1) + index * 1_000),
        attempts: 0,
        nextAttemptAt: new Date(Date.UTC(2026, 0, 1) + index * 1_000),
        claimedUntil: null,
        failedAt: index % 10 === 0 ? new Date(Date.UTC(2026, 0, 2)) : null,
        lastError: null,
      }));
      const statements: { text: string; params: unknown[] }[] = [];
      type Queryable = { query(text: string, params?: unknown[]): Promise<unknown> };
      const recording = (target: Queryable): Queryable => ({
        query: (text, params = []) => {
          statements.push({ text, params });
          return target.query(text, params);
        },
      });
      const storage = postgresStorage({
        client: {
          ...recording(client),
          transaction: <T>(work: (tx: Queryable) => Promise<T>) => client.transaction((tx) => work(recording(tx))),
        },
      });
      await storage.transaction((tx) => tx.outbox.insert(items));
      await client.exec('ANALYZE tenantry_outbox');
      const now = new Date(Date.UTC(2026, 0, 3));
      const claimed = await storage.transaction((tx) =>
        tx.outbox.claim({ limit: 10, now, until: new Date(now.getTime() + 60_000) }),
      );
      expect(claimed.map((item) => item.id)).toEqual(
        items
          .filter((item) => !item.failedAt)
          .slice(0, 10)
          .map((item) => item.id),
      );
      const claim = statements.find((statement) => statement.text.startsWith('UPDATE tenantry_outbox'));
      if (!claim) throw new Error('no claim statement ran');
      const plan = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${claim.text}`, claim.params);
      expect(plan.rows.map((row) => row['QUERY PLAN']).join('\n')).toContain('tenantry_outbox_pending');
    } finally {
      await client.close();
    }
  });

  it('creates the trigram search index when PGlite loads pg_trgm, and searches through it', async () => {
    const db = new PGlite({ extensions: { pg_trgm } });
    try {
      const storage = postgresStorage({ client: db });
      await storage.migrate();
      const { operator } = await makeTenantry(() => storage);
      const { organization } = await operator.organizations.create({ name: 'Acme', firstUser: person('Ann', 'Admin') });
      await operator.users.add({ ...person('Ada', 'Lovelace'), organizationId: organization.id });
      const others = Array.from({ length: 2_000 }, (_, index) =>
        userRecord(organization.id, { lastName: `Hopper${index}` }),
      );
      await storage.transaction((tx) => tx.users.insertMany(others));
      await db.exec('ANALYZE tenantry_users');
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

await describeStorageContract('pglite', fresh);
