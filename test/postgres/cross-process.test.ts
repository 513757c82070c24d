import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { memoryMailer } from '../../adapters/memory/index.js';
import { postgresStorage } from '../../adapters/postgres/index.js';
import { describeWithServer, dropSchemas, freshSchema, whileRowHeld } from '../support/postgres-server.js';
import { person } from '../support/tenantry.js';
import { raceTenantry } from './race-setup.js';
import type { RaceCall } from './race-worker.js';

const WORKERS = 4;
const ROUNDS = 8;
const workerScript = fileURLToPath(new URL('./race-worker.ts', import.meta.url));

type Call = Omit<RaceCall, 'id' | 'at'>;

describeWithServer(`cross-process races on the real server (${WORKERS} processes, ${ROUNDS} rounds each)`, (url) => {
  const schema = freshSchema('race');
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  const mailer = memoryMailer();
  const um = raceTenantry(postgresStorage({ client: pool, schema }), mailer);
  const operator = um.as({ type: 'operator' });
  const workers: ChildProcess[] = [];
  const waiting = new Map<number, (outcome: string) => void>();
  let nextId = 1;
  let operations = 0;

  beforeAll(async () => {
    await postgresStorage({ client: pool, schema }).migrate();
    const ready: Promise<void>[] = [];
    for (let index = 0; index < WORKERS; index++) {
      const worker = fork(workerScript, {
        execArgv: ['--import', 'tsx'],
        env: { ...process.env, DATABASE_URL: url, RACE_SCHEMA: schema },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      ready.push(new Promise((resolve) => worker.once('message', () => resolve())));
      worker.on('message', ({ id, outcome }: { id: number; outcome: string }) => waiting.get(id)?.(outcome));
      workers.push(worker);
    }
    await Promise.all(ready);
  }, 60_000);

  afterAll(async () => {
    for (const worker of workers) worker.send('stop');
    await Promise.all(workers.map((worker) => new Promise((resolve) => worker.once('exit', resolve))));
    console.log(
      `cross-process races: ${operations} racing operations in ${4 * ROUNDS} rounds over ${WORKERS} processes`,
    );
    await dropSchemas(pool, [schema]);
    await pool.end();
  });

  /** Sends each call to its own process, all to start at the same moment; resolves to their outcomes. */
  function race(calls: readonly Call[]): Promise<string[]> {
    const at = Date.now() + 40;
    operations += calls.length;
    return Promise.all(
      calls.map((call, index) => {
        const id = nextId++;
        const outcome = new Promise<string>((resolve) => waiting.set(id, resolve));
        workers[index % WORKERS]?.send({ ...call, id, at } satisfies RaceCall);
        return outcome;
      }),
    );
  }

  /** Races the calls while the organization row is held, so that all of them begin before any writes. */
  function raceAtOnce(organizationId: string, calls: readonly Call[]): Promise<string[]> {
    const lock = `SELECT 1 FROM "${schema}".tenantry_organizations WHERE id = $1 FOR UPDATE`;
    return whileRowHeld(pool, schema, lock, [organizationId], calls.length, () => race(calls));
  }

  async function company(name: string) {
    const { organization, firstUser: ann } = await operator.organizations.create({
      name,
      firstUser: person('Ann', name),
    });
    const { user: bob } = await um
      .as({ type: 'user', userId: ann.id })
      .users.add({ organizationId: organization.id, ...person('Bob', name), permissions: ['org.admin'] });
    return { organization, ann, bob };
  }

  async function admins(organizationId: string) {
    const { items } = await operator.users.list({ organizationId, status: ['pending', 'active'], limit: 200 });
    return items.filter((user) => user.isAdmin);
  }

  async function auditCount(organizationId: string, action: string) {
    const { rows } = await pool.query(
      `SELECT count(*)::int AS n FROM "${schema}".tenantry_audit_events WHERE organization_id = $1 AND action = $2`,
      [organizationId, action],
    );
    return rows[0].n as number;
  }

  it('(a) admins demoting and disabling each other: one wins, the other gets LAST_ADMIN, an admin is left', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { organization, ann, bob } = await company(`Demote${round}`);
      const disabling = round % 2 === 1;
      const calls: Call[] = disabling
        ? [
            { actor: ann.id, method: 'users.disable', args: [bob.id] },
            { actor: bob.id, method: 'users.disable', args: [ann.id] },
          ]
        : [
            { actor: ann.id, method: 'users.setAccess', args: [bob.id, { permissions: [] }] },
            { actor: bob.id, method: 'users.setAccess', args: [ann.id, { permissions: [] }] },
          ];
      // Half the rounds start both calls while the row is held, so both begin before either writes.
      const gated = round % 4 < 2;
      const outcomes = gated ? await raceAtOnce(organization.id, calls) : await race(calls);
      expect(outcomes.filter((outcome) => outcome === 'ok')).toHaveLength(1);
      const [refusal] = outcomes.filter((outcome) => outcome !== 'ok');
      // Free-running, the loser may begin after the winner committed: it is no admin then (FORBIDDEN).
      expect(gated ? ['LAST_ADMIN'] : ['LAST_ADMIN', 'FORBIDDEN']).toContain(refusal);
      expect(await admins(organization.id)).toHaveLength(1);
      expect(await auditCount(organization.id, disabling ? 'user.disabled' : 'user.permissions.changed')).toBe(1);
    }
  });

  it('(b) one invitation redeemed from four processes at once: exactly one succeeds', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { ann } = await company(`Invite${round}`);
      const { user } = await um
        .as({ type: 'user', userId: ann.id })
        .users.add({ organizationId: ann.organizationId, ...person('Ivy', `Invitee${round}`) });
      const token = new URL(mailer.outbox.at(-1)?.link as string).searchParams.get('token');
      expect(mailer.outbox.at(-1)?.to).toBe(user.email);
      const outcomes = await race(
        Array.from({ length: WORKERS }, (_, index) => ({
          actor: 'auth',
          method: 'acceptInvitation',
          args: [{ token, password: `correct horse battery staple ${index}`, acceptTerms: true }],
        })),
      );
      expect(outcomes.filter((outcome) => outcome === 'ok')).toHaveLength(1);
      expect(outcomes.filter((outcome) => outcome !== 'ok')).toEqual([
        'TOKEN_INVALID',
        'TOKEN_INVALID',
        'TOKEN_INVALID',
      ]);
      const { rows } = await pool.query(
        `SELECT count(*)::int AS n FROM "${schema}".tenantry_sessions WHERE user_id = $1`,
        [user.id],
      );
      expect(rows[0].n).toBe(1);
      expect((await operator.users.get(user.id)).status).toBe('active');
    }
  });

  it('(c) one address added in different cases from four processes: one user, three EMAIL_TAKEN', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { organization, ann } = await company(`Email${round}`);
      const spellings = [
        `dup${round}@example.test`,
        `DUP${round}@example.test`,
        `Dup${round}@Example.Test`,
        `dup${round}@EXAMPLE.TEST`,
      ];
      const outcomes = await race(
        spellings.map((email) => ({
          actor: ann.id,
          method: 'users.add',
          args: [{ organizationId: organization.id, email, firstName: 'Dee', lastName: 'Upe' }],
        })),
      );
      expect(outcomes.filter((outcome) => outcome === 'ok')).toHaveLength(1);
      expect(outcomes.filter((outcome) => outcome === 'EMAIL_TAKEN')).toHaveLength(3);
      const { rows } = await pool.query(
        `SELECT count(*)::int AS n FROM "${schema}".tenantry_users WHERE lower(email) = $1`,
        [`dup${round}@example.test`],
      );
      expect(rows[0].n).toBe(1);
      // Ann, Bob, and the one address that got in.
      expect(await auditCount(organization.id, 'user.created')).toBe(3);
    }
  });

  it('(d) role changes racing a feature removal: no grant outlives its feature, an admin is left', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { organization, ann, bob } = await company(`Feature${round}`);
      await operator.organizations.setFeatures(organization.id, ['data-estate']);
      const { user: carl } = await um
        .as({ type: 'user', userId: ann.id })
        .users.add({ organizationId: organization.id, ...person('Carl', `Data${round}`) });
      const outcomes = await race([
        { actor: 'operator', method: 'organizations.setFeatures', args: [organization.id, []] },
        { actor: ann.id, method: 'users.setAccess', args: [carl.id, { permissions: ['instances.manage'] }] },
        { actor: bob.id, method: 'users.setAccess', args: [ann.id, { roles: ['basic'], permissions: [] }] },
        { actor: ann.id, method: 'users.setAccess', args: [bob.id, { roles: ['manager'], permissions: [] }] },
      ]);
      expect(outcomes[0]).toBe('ok');
      expect(outcomes.every((outcome) => !outcome.startsWith('crash'))).toBe(true);
      const after = await operator.users.get(carl.id);
      // Granted before the feature went: the grant stays, dormant. Refused after: nothing was written.
      expect(after.effectivePermissions).not.toContain('instances.manage');
      expect(after.permissions.includes('instances.manage')).toBe(outcomes[1] === 'ok');
      expect(await admins(organization.id)).not.toHaveLength(0);
    }
  });
});
