import { afterAll, describe, expect, it } from 'vitest';
import { combinedWrites, isPlainRead, LazyTransaction } from '../../adapters/postgres/transaction.js';
import { auditRecord, organizationRecord, userRecord } from '../../src/testing/index.js';
import { describeWithServer, serverStorages } from '../support/postgres-server.js';
import { statementsOf } from '../support/statements.js';
import { codeOf, makeTenantry, sessionOf } from '../support/tenantry.js';

describe('a transaction that spends few round trips', () => {
  it('tells plain reads from reads that lock or change something', () => {
    expect(isPlainRead('SELECT * FROM tenantry_users WHERE id = $1')).toBe(true);
    expect(isPlainRead('SELECT * FROM tenantry_users WHERE id = $1 FOR UPDATE')).toBe(false);
    expect(isPlainRead('SELECT * FROM tenantry_outbox FOR UPDATE SKIP LOCKED')).toBe(false);
    expect(isPlainRead("SELECT pg_advisory_xact_lock(hashtext('tenantry_migrations'))")).toBe(false);
    expect(isPlainRead('UPDATE tenantry_users SET x = 1')).toBe(false);
    expect(isPlainRead('WITH a AS (DELETE FROM t RETURNING 1) SELECT 1')).toBe(false);
    expect(isPlainRead('WITH matched AS MATERIALIZED (SELECT id, updated_at FROM t) SELECT * FROM matched')).toBe(true);
    expect(isPlainRead('WITH write_0 AS (INSERT INTO a VALUES ($1)) UPDATE b SET x = $2')).toBe(false);
  });

  it('numbers the parameters of combined writes after those before them', () => {
    const combined = combinedWrites([
      { text: 'INSERT INTO a VALUES ($1, $2)', params: [1, 2], table: 'a' },
      { text: 'UPDATE b SET x = $1 WHERE id = $2', params: [3, 4], table: 'b' },
    ]);
    expect(combined.text).toBe('WITH write_0 AS (INSERT INTO a VALUES ($1, $2)) UPDATE b SET x = $3 WHERE id = $4');
    expect(combined.params).toEqual([1, 2, 3, 4]);
  });

  it('sends no BEGIN for reads, and a later update to a table already written after what is held', async () => {
    const sent: string[] = [];
    const transaction = new LazyTransaction({
      query: async (text) => {
        sent.push(text.split(' (')[0] as string);
        return { rows: [], command: text };
      },
    });
    const { executor } = transaction;
    await executor.query('SELECT 1');
    await executor.defer?.({ text: 'INSERT INTO a', params: [], table: 'a' });
    await executor.defer?.({ text: 'INSERT INTO a', params: [], table: 'a' });
    await executor.defer?.({ text: 'UPDATE a', params: [], table: 'a' });
    await executor.defer?.({ text: 'INSERT INTO b', params: [], table: 'b' });
    await transaction.commit();
    expect(sent).toEqual(['SELECT 1', 'BEGIN', 'WITH write_0 AS', 'WITH write_0 AS', 'COMMIT']);
  });

  it('takes a row lock a read noted after BEGIN went, before the transaction goes on', async () => {
    const sent: string[] = [];
    const transaction = new LazyTransaction(
      {
        query: async (text) => {
          sent.push(text.split(' ')[0] as string);
          return { rows: text.startsWith('LOCK') ? [{ locked: 1 }] : [], command: text };
        },
      },
      { optimistic: true },
    );
    const { executor } = transaction;
    const later = executor.lockLater?.();
    await executor.defer?.({ text: 'INSERT INTO a', params: [], table: 'a' });
    await executor.query('SELECT the user');
    later?.({ table: 'u', key: 'x', version: '1', lock: { text: 'LOCK u', params: [] } });
    await transaction.commit();
    expect(sent).toEqual(['BEGIN', 'INSERT', 'SELECT', 'LOCK', 'COMMIT']);
  });

  it('sends a transaction that only reads without BEGIN or COMMIT', async () => {
    const sent: string[] = [];
    const transaction = new LazyTransaction({
      query: async (text) => {
        sent.push(text);
        return { rows: [] };
      },
    });
    await transaction.executor.query('SELECT 1');
    await transaction.executor.query('SELECT 2');
    await transaction.commit();
    expect(sent).toEqual(['SELECT 1', 'SELECT 2']);
  });
});

describeWithServer('round trips on a real PostgreSQL server', (url) => {
  const storages = serverStorages(url);
  afterAll(() => storages.close(), 60_000);

  it('signs in in three statements, adds a user in five and checks a session in one', async () => {
    // Counted without the allowance check of the rate limits, one statement of its own before any transaction.
    const { um, operator } = await makeTenantry(() => storages.make(), { policy: { rateLimits: { enabled: false } } });
    const { organization, firstUser } = await operator.organizations.create({
      name: 'Acme',
      firstUser: { email: 'ann@acme.test', firstName: 'Ann', lastName: 'Admin', invite: false },
    });
    const { link } = await operator.invitations.createLink(firstUser.id);
    const token = new URL(link).searchParams.get('token') as string;
    const password = 'a long passphrase for the round trips';
    sessionOf(await um.auth.acceptInvitation({ token, password }));

    const signIn = await statementsOf(() => um.auth.signIn({ email: 'ann@acme.test', password }));
    // The account and its password in one read; the user with everything the session needs in another; then the
    // user's row (if it did not change in between), the session and the audit event in one statement.
    expect(signIn).toHaveLength(3);
    expect(signIn.some((text) => /^(BEGIN|COMMIT)/.test(text))).toBe(false);
    const session = sessionOf(await um.auth.signIn({ email: 'ann@acme.test', password }));
    expect(await statementsOf(() => um.auth.validateSession(session.token))).toHaveLength(1);
    const add = () =>
      operator.users.add({
        organizationId: organization.id,
        email: 'bo@acme.test',
        firstName: 'Bo',
        lastName: 'B',
        invite: false,
      });
    expect(await statementsOf(add)).toHaveLength(5);

    // The held insert fails at commit with the error the core expects; its audit event, sent with it, is not kept.
    const created = async () =>
      (await operator.audit.list({ organizationId: organization.id, action: 'user.created', limit: 100 })).items.length;
    const before = await created();
    expect(await codeOf(add())).toBe('EMAIL_TAKEN');
    expect(await created()).toBe(before);
  });

  it('writes a user read without its lock only if the row is unchanged, and otherwise runs again, locking', async () => {
    const storage = await storages.make();
    const schema = storages.schemas.at(-1) as string;
    const organization = organizationRecord();
    const user = userRecord(organization.id, { firstName: 'Ann', lastName: 'Before' });
    await storage.transaction(async (tx) => {
      await tx.organizations.insert(organization);
      await tx.users.insert(user);
    });
    const tries: string[][] = [];
    await storage.transaction(async (tx) => {
      const statements = await statementsOf(async () => {
        const found = await tx.users.getWithContext?.(user.id, { forUpdate: true });
        if (!found) throw new Error('the user is gone');
        if (tries.length === 0) {
          // Another writer changes the row after the first try read it, before that try writes it.
          await storages.pool.query(`UPDATE "${schema}".tenantry_users SET first_name = 'Anna' WHERE id = $1`, [
            user.id,
          ]);
        }
        await tx.users.update({ ...found.user, lastName: 'After' });
        await tx.audit.insert([auditRecord(organization.id, { id: `evt_try${tries.length}`, targetId: user.id })]);
      });
      tries.push(statements);
    });
    expect(tries).toHaveLength(2);
    // The first try read without a lock; the second locked as it read, so nothing could change in between.
    expect(tries[0]?.[0]).not.toMatch(/FOR UPDATE/);
    expect(tries[1]?.some((text) => /FOR UPDATE OF u/.test(text))).toBe(true);
    const [row] = (
      await storages.pool.query(`SELECT first_name, last_name FROM "${schema}".tenantry_users WHERE id = $1`, [user.id])
    ).rows;
    // The other writer's change is kept, and so is this transaction's, made on the row as it then stood.
    expect(row).toEqual({ first_name: 'Anna', last_name: 'After' });
    const events = await storages.pool.query(`SELECT id FROM "${schema}".tenantry_audit_events ORDER BY id`);
    expect(events.rows.map((event) => event.id)).toEqual(['evt_try1']);
  });
});
