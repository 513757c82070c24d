import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { postgresStorage } from '../../adapters/postgres/index.js';
import { retrying } from '../../adapters/postgres/retry.js';
import { describeWithServer, dropSchemas, freshSchema, whileRowHeld } from '../support/postgres-server.js';
import { makeTenantry, person } from '../support/tenantry.js';

const failure = (code: string) => Object.assign(new Error(`SQLSTATE ${code}`), { code });

describe('postgres storage: retrying transactions', () => {
  it('runs again after serialization failures and deadlocks, up to the limit', async () => {
    let attempts = 0;
    const flaky = () => {
      attempts++;
      return attempts <= 2 ? Promise.reject(failure(attempts === 1 ? '40001' : '40P01')) : Promise.resolve('done');
    };
    expect(await retrying(4, flaky)).toBe('done');
    expect(attempts).toBe(3);
  });

  it('gives up after the limit with the last error, and never retries other errors', async () => {
    let attempts = 0;
    await expect(retrying(2, () => Promise.reject(failure(String(40001 + 0 * attempts++))))).rejects.toMatchObject({
      code: '40001',
    });
    expect(attempts).toBe(3);
    attempts = 0;
    await expect(retrying(5, () => Promise.reject(failure(`2350${attempts++}`)))).rejects.toMatchObject({
      code: '23500',
    });
    expect(attempts).toBe(1);
  });
});

describeWithServer('postgres storage on a SERIALIZABLE server', (url) => {
  // Every transaction of this pool is SERIALIZABLE, so concurrent updates of one row fail with 40001.
  const pool = new pg.Pool({ connectionString: url, max: 8, options: '-c default_transaction_isolation=serializable' });
  const schemas: string[] = [];
  afterAll(async () => {
    await dropSchemas(pool, schemas);
    await pool.end();
  });

  async function lockoutRace(retries: number) {
    const schema = freshSchema();
    schemas.push(schema);
    const storage = postgresStorage({ client: pool, schema, retries });
    await storage.migrate();
    const t = await makeTenantry(() => storage, { policy: { lockout: { maxAttempts: 50 } } });
    const { firstUser } = await t.operator.organizations.create({ name: 'Acme', firstUser: person('Ann', 'Admin') });
    const token = new URL(t.mailer.outbox.at(-1)?.link as string).searchParams.get('token') as string;
    await t.um.auth.acceptInvitation({ token, password: 'a long passphrase nobody guesses' });
    // All six begin while the user row is held, so each reads it before any of them writes it.
    const lock = `SELECT 1 FROM "${schema}".tenantry_users WHERE id = $1 FOR UPDATE`;
    const outcomes = await whileRowHeld(pool, schema, lock, [firstUser.id], 6, () =>
      Promise.all(
        Array.from({ length: 6 }, () =>
          t.um.auth.signIn({ email: firstUser.email, password: 'not the password' }).catch((error) => error.code),
        ),
      ),
    );
    return { outcomes, user: await t.operator.users.get(firstUser.id) };
  }

  it('counts every one of six simultaneous failed sign-ins, retrying the conflicts', async () => {
    const { outcomes, user } = await lockoutRace(10);
    expect(outcomes).toEqual(Array(6).fill('INVALID_CREDENTIALS'));
    expect(user.failedSignIns).toBe(6);
  });

  it('surfaces the serialization failure when retries are off', async () => {
    const { outcomes, user } = await lockoutRace(0);
    // The first to get the row writes it; the five others read it before that write and cannot go on.
    expect(outcomes.filter((code) => code === '40001')).toHaveLength(5);
    expect(user.failedSignIns).toBe(1);
  });
});
