import pg from 'pg';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { type PostgresStorageOptions, postgresStorage } from '../../adapters/postgres/index.js';
import type { Session, SessionContext } from '../../src/index.js';
import { fixtureTime as at, organizationRecord, userRecord } from '../../src/testing/index.js';
import { describeWithServer, freshSchema, serverStorages } from '../support/postgres-server.js';

/** Prepared statements on this connection that read a session (the one statement tenantry prepares here). */
const sessionReadsPrepared = "SELECT name FROM pg_prepared_statements WHERE strpos(statement, 'AS custom_roles') > 0";

// Straight to the server, so every connection is its client's own: the session read stays prepared, and only the
// signs of a shared connection (a statement gone, or a name already taken) make a pg storage send it unnamed.
describeWithServer('prepared statements on the real PostgreSQL server', (url) => {
  const storages = serverStorages(url);
  const ends: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const end of ends) await end();
    await storages.close();
  });

  async function pgClient(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    ends.push(() => client.end());
    return client;
  }

  function postgresJs(): postgres.Sql {
    const sql = postgres(url, { max: 1, onnotice: () => undefined });
    ends.push(() => sql.end());
    return sql;
  }

  const preparedOn = async (client: pg.Client) =>
    (await client.query(sessionReadsPrepared)).rows.map((row) => row.name);

  /** A new migrated schema holding one live session, and a storage on `client` reading it. */
  async function storedSession(client: unknown, options: Partial<PostgresStorageOptions> = {}) {
    const schema = freshSchema('prepared');
    storages.schemas.push(schema);
    await postgresStorage({ client: storages.pool, schema }).migrate();
    const storage = postgresStorage({ client, schema, ...options });
    const organization = organizationRecord();
    const user = userRecord(organization.id);
    const session: Session = {
      digest: 'c'.repeat(64),
      userId: user.id,
      createdAt: at(0),
      lastSeenAt: at(0),
      expiresAt: at(3_600_000),
      absoluteExpiresAt: at(86_400_000),
      ip: null,
      userAgent: null,
      revokedAt: null,
      authenticationMethods: ['password', 'passkey'],
      enrollmentDueAt: null,
    };
    await storage.transaction(async (tx) => {
      await tx.organizations.insert(organization);
      await tx.users.insert(user);
      await tx.sessions.insert(session);
    });
    const read = () => storage.readSession?.(session.digest);
    const expected: SessionContext = { session, user, resourceAccess: {}, organization, customRoles: [] };
    return { storage, read, expected };
  }

  describe('where the connection is the client’s own', () => {
    it('keeps the session read prepared on a pg Client, one statement however often it runs', async () => {
      const client = await pgClient();
      const { read, expected } = await storedSession(client);
      for (let index = 0; index < 3; index++) expect(await read()).toEqual(expected);
      expect(await preparedOn(client)).toEqual([expect.stringMatching(/^tenantry_[0-9a-f]{24}$/)]);
    });

    it('keeps it prepared on the connections of a pg Pool', async () => {
      const pool = new pg.Pool({ connectionString: url, max: 1 });
      ends.push(() => pool.end());
      const { read, expected } = await storedSession(pool);
      expect(await read()).toEqual(expected);
      expect((await pool.query(sessionReadsPrepared)).rows).toHaveLength(1);
    });

    it('keeps it prepared with postgres.js, having found it talks to the server process itself', async () => {
      const sql = postgresJs();
      const { read, expected } = await storedSession(sql);
      expect(await read()).toEqual(expected);
      expect(await sql.unsafe(sessionReadsPrepared)).toHaveLength(1);
    });

    it('never prepares it with preparedStatements: false', async () => {
      const client = await pgClient();
      const sql = postgresJs();
      for (const driver of [client, sql]) {
        const { read, expected } = await storedSession(driver, { preparedStatements: false });
        expect(await read()).toEqual(expected);
      }
      expect(await preparedOn(client)).toEqual([]);
      expect(await sql.unsafe(sessionReadsPrepared)).toHaveLength(0);
    });
  });

  describe('when a named statement meets a shared connection', () => {
    it('answers the read unnamed when its statement is gone (26000), and sends it unnamed from then on', async () => {
      const client = await pgClient();
      const { read, expected } = await storedSession(client);
      await read();
      // What a pooler does between two statements of one client: the next one meets a server connection without it.
      await client.query('DEALLOCATE ALL');
      expect(await read()).toEqual(expected);
      expect(await read()).toEqual(expected);
      expect(await preparedOn(client)).toEqual([]);
    });

    it('answers the read unnamed when its name is already taken on the connection (42P05)', async () => {
      const first = await pgClient();
      const { read: readFirst } = await storedSession(first);
      await readFirst();
      const [name] = await preparedOn(first);
      // Another client prepared that name on this server connection, as they share it behind a pooler.
      const second = await pgClient();
      await second.query(`PREPARE "${name}" AS SELECT 'decoy' AS session`);
      const { read, expected } = await storedSession(second);
      expect(await read()).toEqual(expected);
    });

    it('reports the 26000 with preparedStatements: true, rather than working around it', async () => {
      const client = await pgClient();
      const { read } = await storedSession(client, { preparedStatements: true });
      await read();
      await client.query('DEALLOCATE ALL');
      await expect(read()).rejects.toMatchObject({ code: '26000' });
    });

    it('reports any other failure of the named statement, and keeps preparing', async () => {
      const client = await pgClient();
      const schema = freshSchema('late');
      storages.schemas.push(schema);
      const storage = postgresStorage({ client, schema });
      const read = () => storage.readSession?.('c'.repeat(64));
      await expect(read()).rejects.toMatchObject({ code: '42P01' });
      await storage.migrate();
      expect(await read()).toBeNull();
      expect(await preparedOn(client)).toHaveLength(1);
    });
  });

  describe('transactions', () => {
    it('reports a transaction whose failed statement went unreported instead of claiming it committed', async () => {
      const client = await pgClient();
      for (const driver of [storages.pool, client, postgresJs()]) {
        const { storage, expected } = await storedSession(driver);
        const renamed = { ...expected.organization, name: 'Renamed' };
        const attempt = storage.transaction(async (tx) => {
          await tx.organizations.update(renamed);
          // A failure the work swallows (as a driver or a pooler might lose one) leaves the transaction aborted. (A
          // user's insert would not do: it is held for the commit's statement, whose failure no work can swallow.)
          await tx.organizations.insert(expected.organization).catch(() => undefined);
        });
        await expect(attempt).rejects.toThrow('COMMIT was answered with ROLLBACK');
        expect(await storage.transaction((tx) => tx.organizations.get(expected.organization.id))).toEqual(
          expected.organization,
        );
      }
    });
  });
});
