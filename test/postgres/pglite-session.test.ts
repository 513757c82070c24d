import { PGlite } from '@electric-sql/pglite';
import { describe, expect, it } from 'vitest';
import { postgresStorage } from '../../adapters/postgres/index.js';
import { makeTenantry, person, sessionOf } from '../support/tenantry.js';

const template = new PGlite();
await postgresStorage({ client: template }).migrate();

describe('pglite storage: validating a session', () => {
  it('takes one statement, outside any transaction, while no renewal is due', async () => {
    const client = await template.clone();
    const statements: string[] = [];
    // The same PGlite, with every statement counted.
    type Queryable = { query(text: string, params?: unknown[]): Promise<unknown> };
    const counted = (target: Queryable): Queryable => ({
      query: (text, params) => {
        statements.push(text);
        return target.query(text, params);
      },
    });
    const counting = {
      ...counted(client),
      transaction: <T>(work: (tx: Queryable) => Promise<T>) =>
        client.transaction((tx) => {
          statements.push('BEGIN');
          return work(counted(tx));
        }),
    };
    const { um, operator, mailer, clock } = await makeTenantry(() => postgresStorage({ client: counting }));
    const { firstUser } = await operator.organizations.create({ name: 'Acme', firstUser: person('Ann', 'Admin') });
    const token = new URL(mailer.outbox.at(-1)?.link as string).searchParams.get('token') as string;
    const { token: session } = sessionOf(
      await um.auth.acceptInvitation({ token, password: 'a long passphrase nobody guesses' }),
    );
    statements.length = 0;
    expect((await um.auth.validateSession(session)).user.id).toBe(firstUser.id);
    expect(statements).toHaveLength(1);
    // Past the renewal interval (once a minute at most) it writes the new idle expiry, in a transaction.
    clock.advance(120_000);
    statements.length = 0;
    await um.auth.validateSession(session);
    expect(statements).toContain('BEGIN');
  });
});
