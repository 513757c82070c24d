import { describe, expect, it } from 'vitest';
import type { Storage, StorageTransaction } from '../../src/index.js';
import { makeTenantry, person } from '../support/tenantry.js';

const writes = new Set([
  'insert',
  'insertMany',
  'update',
  'set',
  'consume',
  'revokeForUser',
  'revoke',
  'touch',
  'delete',
  'redactChanges',
  'rotate',
  'claim',
  'remove',
  'rewrite',
  'reschedule',
  'removeMailFor',
  'replace',
  'add',
  'forget',
  'removeForUser',
  'confirm',
  'useStep',
  'useCounter',
  'use',
]);

/** Wraps a storage so that, while armed, the second write of a transaction throws. */
function faultyStorage(storage: Storage) {
  const state = { armed: false };
  const faulty: Storage = {
    transaction: (work) =>
      storage.transaction((tx) => {
        let written = 0;
        const wrapped = Object.fromEntries(
          Object.entries(tx).map(([name, repository]) => [
            name,
            new Proxy(repository as object, {
              get(target, property, receiver) {
                const value = Reflect.get(target, property, receiver);
                if (typeof value !== 'function' || !writes.has(String(property))) return value;
                return (...args: unknown[]) => {
                  if (state.armed && ++written > 1) throw new Error('injected storage failure');
                  return value.apply(target, args);
                };
              },
            }),
          ]),
        ) as unknown as StorageTransaction;
        return work(wrapped);
      }),
  };
  return { faulty, state };
}

/** A failure in the middle of any flow leaves storage exactly as it was, on this adapter. */
export function describeFailureInjection(
  name: string,
  make: () => Promise<{ storage: Storage; dump: () => Promise<unknown> }>,
): void {
  describe(`${name}: a storage failure in the middle of a flow`, () => {
    it('leaves nothing behind, whichever flow it hits', async () => {
      const { storage, dump } = await make();
      const { faulty, state } = faultyStorage(storage);
      const t = await makeTenantry(() => faulty);
      const { organization, firstUser } = await t.operator.organizations.create({
        name: 'Acme',
        firstUser: person('Ann', 'Admin'),
      });
      const ann = t.as(firstUser.id);
      const { user: bob } = await ann.users.add({
        organizationId: organization.id,
        ...person('Bob', 'B'),
        permissions: ['org.admin'],
      });
      const token = new URL(t.mailer.outbox.at(-1)?.link as string).searchParams.get('token') as string;
      const flows: [string, () => Promise<unknown>][] = [
        ['organizations.create', () => t.operator.organizations.create({ name: 'Other', firstUser: person('O', 'P') })],
        ['users.add', () => ann.users.add({ organizationId: organization.id, ...person('Cid', 'C') })],
        ['users.setAccess', () => ann.users.setAccess(bob.id, { roles: ['basic'] })],
        ['users.disable', () => ann.users.disable(bob.id)],
        ['users.erase', () => ann.users.erase(bob.id)],
        ['organizations.setFeatures', () => t.operator.organizations.setFeatures(organization.id, ['data-estate'])],
        [
          'auth.acceptInvitation',
          () => t.um.auth.acceptInvitation({ token, password: 'a long passphrase nobody guesses' }),
        ],
      ];
      for (const [flow, call] of flows) {
        const before = await dump();
        state.armed = true;
        const error = await call().catch((caught: unknown) => caught);
        state.armed = false;
        expect((error as Error).message, flow).toBe('injected storage failure');
        expect(await dump(), flow).toEqual(before);
      }
    });
  });
}

/** The tables of the SQL adapters, in the order a dump lists them. */
const sqlTables = [
  'tenantry_organizations',
  'tenantry_users',
  'tenantry_custom_roles',
  'tenantry_audit_events',
  'tenantry_credentials',
  'tenantry_tokens',
  'tenantry_sessions',
  'tenantry_imports',
  'tenantry_outbox',
  'tenantry_resource_grants',
  'tenantry_factors',
  'tenantry_recovery_codes',
  'tenantry_webauthn_challenges',
  'tenantry_domains',
  'tenantry_sso_connections',
  'tenantry_sso_logins',
  'tenantry_sso_assertions',
  'tenantry_sso_identities',
];

/** Every row of every SQL table, read with `select` (one table's rows, sorted by the first column). */
export async function dumpTables(select: (table: string) => Promise<unknown[]> | unknown[]) {
  const dump: Record<string, unknown[]> = {};
  for (const table of sqlTables) dump[table] = await select(table);
  return dump;
}
