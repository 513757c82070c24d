import { memoryMailer, memoryStorage, testClock } from '../../adapters/memory/index.js';
import {
  type Actor,
  definePermissions,
  defineRoles,
  type Storage,
  scryptHasher,
  TenantryError,
  UserManagement,
  type UserManagementOptions,
} from '../../src/index.js';

/** The catalog the scenarios use: the example catalog of the documentation. */
export const permissions = definePermissions({
  'instances.manage': { label: 'Data estate admin', feature: 'data-estate' },
  'environments.manage': {
    label: 'Environment admin',
    requires: ['instances.manage'],
    availableWhen: (org) => Number(org.attributes.version ?? 0) <= 20,
  },
  'tickets.view': { label: 'View tickets' },
  'tickets.edit': { label: 'Edit tickets', requires: ['tickets.view'] },
  'tickets.taskfire': { label: 'Taskfire', operatorOnly: true },
});

export const roles = defineRoles(permissions, {
  basic: { label: 'Basic', permissions: ['tickets.view'] },
  advanced: { label: 'Advanced', permissions: ['tickets.view', 'tickets.edit'] },
  manager: { label: 'Manager', permissions: ['tickets.view', 'tickets.edit', 'org.admin'] },
  taskfire: { label: 'Taskfire', permissions: ['tickets.view', 'tickets.taskfire'] },
});

/** Makes a fresh storage; the scenarios run on every adapter through this. */
export type MakeStorage = () =>
  | Promise<Storage & { snapshot?: () => unknown }>
  | (Storage & { snapshot?: () => unknown });

/** A fresh installation on the test clock. */
export async function makeTenantry(
  makeStorage: MakeStorage = memoryStorage,
  options: Partial<UserManagementOptions> = {},
) {
  const storage = await makeStorage();
  const mailer = memoryMailer();
  const clock = testClock('2026-03-02T09:00:00Z');
  const um = new UserManagement({
    storage,
    mailer,
    clock,
    permissions,
    roles,
    links: { baseUrl: 'https://portal.example.test/' },
    // A cheap scrypt setting keeps the suites fast; the default setting has its own test.
    passwordHasher: scryptHasher({ logN: 10, r: 8, p: 1 }),
    ...options,
  });
  const operator = um.as({ type: 'operator' });
  const as = (userId: string) => um.as({ type: 'user', userId } satisfies Actor);
  return { um, storage, mailer, clock, operator, as };
}

/** The error code a promise rejects with (fails the test if it resolves or throws something else). */
export async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TenantryError) return error.code;
    throw error;
  }
  throw new Error('expected the call to be refused, but it succeeded');
}

let sequence = 0;
/** A person with a unique address. */
export function person(first: string, last: string, domain = 'example.test') {
  sequence += 1;
  return {
    email: `${first.toLowerCase()}.${last.toLowerCase()}.${sequence}@${domain}`,
    firstName: first,
    lastName: last,
  };
}

/** The session of a sign-in or an acceptance that should have ended in one; throws with what it answered instead. */
export function sessionOf<Result extends { kind: string }>(result: Result): Extract<Result, { kind: 'session' }> {
  if (result.kind !== 'session') throw new Error(`expected a session, got ${result.kind}`);
  return result as Extract<Result, { kind: 'session' }>;
}
