import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memoryStorage } from '../../adapters/memory/index.js';
import { type ActorApi, TenantryError } from '../../src/index.js';
import { makeTenantry, person } from '../support/tenantry.js';

const methods: [keyof ActorApi, string, number][] = [
  ['organizations', 'create', 1],
  ['organizations', 'get', 1],
  ['organizations', 'list', 1],
  ['organizations', 'update', 2],
  ['organizations', 'setFeatures', 2],
  ['organizations', 'setAllowedRoles', 2],
  ['organizations', 'setContactPerson', 2],
  ['users', 'add', 1],
  ['users', 'get', 1],
  ['users', 'list', 1],
  ['users', 'update', 2],
  ['users', 'changeEmail', 2],
  ['users', 'setAccess', 2],
  ['users', 'disable', 1],
  ['users', 'enable', 1],
  ['users', 'unlock', 1],
  ['users', 'setExpiry', 2],
  ['users', 'erase', 1],
  ['users', 'invalidateSessions', 1],
  ['users', 'resetPassword', 2],
  ['invitations', 'send', 1],
  ['invitations', 'createLink', 1],
  ['invitations', 'inviteByEmail', 1],
  ['roles', 'list', 1],
  ['permissions', 'list', 1],
  ['roles', 'createCustom', 2],
  ['roles', 'deleteCustom', 2],
  ['audit', 'list', 1],
  ['imports', 'run', 1],
  ['imports', 'list', 1],
  ['imports', 'get', 1],
];

async function setup() {
  const t = await makeTenantry(memoryStorage);
  const { organization, firstUser } = await t.operator.organizations.create({
    name: 'Acme',
    firstUser: person('Ann', 'Admin'),
  });
  const { user } = await t
    .as(firstUser.id)
    .users.add({ organizationId: organization.id, ...person('Bob', 'Basic'), roles: ['basic'] });
  return {
    ...t,
    ids: [organization.id, firstUser.id, user.id],
    storage: t.storage as ReturnType<typeof memoryStorage>,
  };
}

describe('arbitrary input', () => {
  it('yields only TenantryErrors, and a refused call changes nothing', async () => {
    const t = await setup();
    const argument = (ids: string[]) =>
      fc.oneof(
        fc.jsonValue(),
        fc.constantFrom(...ids, undefined, null, new Date(Number.NaN), new Date('2030-01-01T00:00:00Z')),
        fc.record(
          { organizationId: fc.constantFrom(...ids), email: fc.string(), firstName: fc.string() },
          { requiredKeys: [] },
        ),
        fc.record(
          { permissions: fc.array(fc.string()), roles: fc.array(fc.string()), canSignIn: fc.jsonValue() },
          { requiredKeys: [] },
        ),
      );
    const actor = fc.oneof(
      fc.constantFrom<unknown>(
        { type: 'operator' },
        { type: 'user', userId: t.ids[1] },
        { type: 'user', userId: t.ids[2] },
      ),
      fc.jsonValue(),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...methods),
        actor,
        fc.array(argument(t.ids), { maxLength: 2 }),
        async ([space, method], who, args) => {
          const before = t.storage.snapshot();
          try {
            const api = t.um.as(who as never) as unknown as Record<
              string,
              Record<string, (...values: unknown[]) => Promise<unknown>>
            >;
            await api[space]?.[method]?.(...args);
          } catch (error) {
            if (!(error instanceof TenantryError)) throw error;
            expect(error.code).toMatch(/^[A-Z_]+$/);
            expect(t.storage.snapshot()).toEqual(before);
          }
        },
      ),
      { numRuns: 1500 },
    );
  });
});
