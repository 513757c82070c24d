import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memoryStorage } from '../../adapters/memory/index.js';
import { TenantryError, type UserView } from '../../src/index.js';
import { makeTenantry, person } from '../support/tenantry.js';

const permissionChoices = ['org.admin', 'customers.manage', 'tickets.view', 'tickets.edit', 'instances.manage'];
const roleChoices = ['basic', 'advanced', 'manager'];
const DAY = 86_400_000;

async function world() {
  const t = await makeTenantry(memoryStorage);
  const op = t.operator;
  const partner = await op.organizations.create({
    name: 'Partner',
    kind: 'partner',
    firstUser: person('Pat', 'Partner'),
  });
  const customer = await op.organizations.create({
    name: 'Customer',
    partnerId: partner.organization.id,
    firstUser: person('Cid', 'Customer'),
  });
  const sub = await op.organizations.create({
    name: 'Sub',
    parentId: customer.organization.id,
    firstUser: person('Sue', 'Sub'),
  });
  const organizations = [partner, customer, sub].map((created) => created.organization.id);
  const users: string[] = [partner.firstUser.id, customer.firstUser.id, sub.firstUser.id];
  const extras: [number, string[]][] = [
    [0, ['customers.manage']],
    [0, ['org.admin']],
    [1, ['tickets.view']],
    [1, ['org.admin']],
    [2, []],
  ];
  for (const [index, permissions] of extras) {
    const { user } = await op.users.add({
      organizationId: organizations[index] as string,
      ...person('Extra', 'User'),
      permissions,
    });
    users.push(user.id);
  }
  return { ...t, organizations, users };
}

type Command =
  | { kind: 'setAccess'; actor: number; target: number; permissions: string[]; roles: string[] }
  | { kind: 'disable' | 'enable' | 'erase'; actor: number; target: number }
  | { kind: 'setExpiry'; actor: number; target: number; days: number | null }
  | { kind: 'setFeatures'; organization: number; features: string[] }
  | { kind: 'advance'; days: number };

const actorIndex = fc.integer({ min: -1, max: 7 }); // -1 = operator
const targetIndex = fc.integer({ min: 0, max: 7 });
const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({
    kind: fc.constant('setAccess' as const),
    actor: actorIndex,
    target: targetIndex,
    permissions: fc.subarray(permissionChoices),
    roles: fc.subarray(roleChoices),
  }),
  fc.record({
    kind: fc.constantFrom('disable' as const, 'enable' as const, 'erase' as const),
    actor: actorIndex,
    target: targetIndex,
  }),
  fc.record({
    kind: fc.constant('setExpiry' as const),
    actor: actorIndex,
    target: targetIndex,
    days: fc.option(fc.integer({ min: 1, max: 30 })),
  }),
  fc.record({
    kind: fc.constant('setFeatures' as const),
    organization: fc.integer({ min: 0, max: 2 }),
    features: fc.subarray(['data-estate']),
  }),
  fc.record({ kind: fc.constant('advance' as const), days: fc.integer({ min: 1, max: 20 }) }),
);

const guarded = (user: UserView) => [
  user.permissions,
  user.roles,
  user.canSignIn,
  user.status,
  user.expiresAt,
  user.email,
];

describe('invariants under random sequences of changes', () => {
  it('never leaves an organization without an admin and never lets a user change their own access', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 20, maxLength: 50 }), async (commands) => {
        const t = await world();
        const read = (index: number) => t.operator.users.get(t.users[index] as string);
        for (const step of commands) {
          if (step.kind === 'advance') {
            t.clock.advance(step.days * DAY);
          } else if (step.kind === 'setFeatures') {
            await t.operator.organizations
              .setFeatures(t.organizations[step.organization] as string, step.features)
              .catch(expectTenantryError);
          } else {
            const api = step.actor < 0 ? t.operator : t.as(t.users[step.actor] as string);
            const target = t.users[step.target] as string;
            const self = step.actor === step.target;
            const before = self ? guarded(await read(step.target)) : null;
            const call =
              step.kind === 'setAccess'
                ? api.users.setAccess(target, { permissions: step.permissions, roles: step.roles })
                : step.kind === 'setExpiry'
                  ? api.users.setExpiry(
                      target,
                      step.days === null ? null : new Date(t.clock.now().getTime() + step.days * DAY),
                    )
                  : api.users[step.kind](target);
            await call.catch(expectTenantryError);
            if (before) expect(guarded(await read(step.target))).toEqual(before);
          }
          for (const organizationId of t.organizations) {
            const { items } = await t.operator.users.list({
              organizationId,
              status: ['pending', 'active'],
              limit: 200,
            });
            // Listed users are neither disabled nor erased; lasting admins also sign in and never expire.
            const admins = items.filter((user) => user.isAdmin && user.canSignIn && user.expiresAt === null);
            expect(admins.length, `organization ${organizationId} has an admin`).toBeGreaterThanOrEqual(1);
          }
        }
      }),
      { numRuns: 60 },
    );
  });
});

function expectTenantryError(error: unknown): void {
  if (!(error instanceof TenantryError)) throw error;
}
