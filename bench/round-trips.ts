/**
 * Statements per call on a PostgreSQL server (each one a round trip), beside the call's time: sign-in, the
 * session check, adding a user, changing their access and accepting an invitation. Measured only on a real
 * server (`DATABASE_URL`): in-process databases have no round trips to count.
 */
import type { UserManagement } from '../dist/index.js';
import { countQueries, withServer } from './databases.js';
import { noHashing, password, signedIn } from './fixtures.js';
import { type Budget, type Measurement, time } from './harness.js';

export const roundTripSuite = 'statements per call (PostgreSQL server)';

/** A pending user of the organization, with a fresh address each call. */
function adding(um: UserManagement, organizationId: string) {
  let next = 0;
  return () =>
    um.as({ type: 'operator' }).users.add({
      organizationId,
      email: `added${next++}@bench.example`,
      firstName: 'Added',
      lastName: 'User',
      roles: ['basic'],
      invite: false,
    });
}

export async function roundTripBenchmarks(budget: Budget, databaseUrl: string | undefined): Promise<Measurement[]> {
  const rows = await withServer(databaseUrl, async (storage) => {
    const { um, organization, token } = await signedIn(storage, noHashing);
    const operator = um.as({ type: 'operator' });
    const add = adding(um, organization.id);
    const target = (await add()).user;
    let advanced = false;
    /** Invitations ready to accept, one for each call (made before timing starts, as each is used once). */
    const invitations: string[] = [];
    const invite = async () => {
      const { user } = await add();
      const { link } = await operator.invitations.createLink(user.id);
      invitations.push(new URL(link).searchParams.get('token') as string);
    };
    const cases: [string, () => Promise<unknown>][] = [
      ['signIn (password, no second factor)', () => um.auth.signIn({ email: 'ann@bench.example', password })],
      ['validateSession', () => um.auth.validateSession(token)],
      ['users.add', add],
      [
        'users.setAccess',
        () => {
          advanced = !advanced;
          return operator.users.setAccess(target.id, { roles: [advanced ? 'advanced' : 'basic'] });
        },
      ],
      [
        'acceptInvitation',
        async () => {
          const next = invitations.pop();
          if (next === undefined) throw new Error('no invitation left to accept');
          return um.auth.acceptInvitation({ token: next, password });
        },
      ],
    ];
    const measured: Measurement[] = [];
    for (const [name, call] of cases) {
      if (name === 'acceptInvitation') for (let index = 0; index < (budget.quick ? 40 : 400); index++) await invite();
      const statements = await countQueries(call);
      const row = await time(roundTripSuite, name, call, budget, { slow: true });
      row.statements = statements;
      row.note = `${statements} statement(s)`;
      measured.push(row);
    }
    return measured;
  });
  return rows ?? [];
}
