/**
 * A narrated walk-through of tenantry on the in-memory adapter: `npm start`.
 *
 * A platform operator sets up a partner, a customer it serves and a
 * sub-organization; people in them manage each other's access; tenantry
 * refuses what the rules forbid and records everything in the audit trail.
 * Every step is checked: anything unexpected ends the run with exit code 1.
 */
import { memoryMailer, memoryStorage, testClock } from '../adapters/memory/index.js';
import { type ListUsersInput, type Organization, UserManagement, type UserView } from '../src/index.js';
import { printAuditTrail } from './quickstart/audit-trail.js';
import { permissions, roles } from './quickstart/catalog.js';
import { Narrator } from './quickstart/narrator.js';

const clock = testClock(new Date('2025-03-03T09:00:00Z'));
const um = new UserManagement({ storage: memoryStorage(), mailer: memoryMailer(), clock, permissions, roles });
const say = new Narrator(() => clock.advance(60_000));

let delivered = 0;
um.on('*', () => {
  delivered += 1;
});

const names = new Map<string, string>();
function known<T extends UserView | Organization>(entity: T): T {
  names.set(entity.id, 'name' in entity ? entity.name : `${entity.firstName} ${entity.lastName}`);
  return entity;
}
const nameOf = (id: string | null) => (id === null ? 'nobody' : (names.get(id) ?? id));
const list = (keys: readonly string[]) => (keys.length === 0 ? '(none)' : keys.join(', '));
const operator = um.as({ type: 'operator' });
const as = (user: UserView) => um.as({ type: 'user', userId: user.id });

async function main(): Promise<void> {
  say.heading('1. The operator sets up a partner, a customer it serves and a sub-organization');
  const northwind = await say.ok(
    'Operator creates partner "Northwind Partners" with Paula Partner as first user',
    () =>
      operator.organizations.create({
        name: 'Northwind Partners',
        kind: 'partner',
        firstUser: { email: 'paula@northwind.example', firstName: 'Paula', lastName: 'Partner' },
      }),
    ({ firstUser }) => `contact person: ${firstUser.isContactPerson}, admin: ${firstUser.isAdmin}`,
  );
  const partner = known(northwind.organization);
  const paula = known(northwind.firstUser);
  const contosoCreated = await say.ok(
    'Operator creates customer "Contoso", served by Northwind, with Carl Customer as first user',
    () =>
      operator.organizations.create({
        name: 'Contoso',
        partnerId: partner.id,
        features: ['data-estate'],
        allowedRoles: ['basic'],
        firstUser: { email: 'carl@contoso.example', firstName: 'Carl', lastName: 'Customer' },
      }),
    ({ organization }) =>
      `features: ${list(organization.features)}; assignable roles: ${list(organization.allowedRoles ?? [])}`,
  );
  const contoso = known(contosoCreated.organization);
  const carl = known(contosoCreated.firstUser);
  const researchCreated = await say.ok('Operator creates "Contoso Research", a sub-organization of Contoso', () =>
    operator.organizations.create({
      name: 'Contoso Research',
      parentId: contoso.id,
      firstUser: { email: 'rita@research.contoso.example', firstName: 'Rita', lastName: 'Research' },
    }),
  );
  const research = known(researchCreated.organization);
  known(researchCreated.firstUser);
  say.check('Paula is the contact person and admin of Northwind', paula.isContactPerson && paula.isAdmin);

  say.heading('2. The partner admin appoints a customer manager');
  const mike = known(
    await say
      .ok('Paula adds her colleague Mike Manager with the role "basic"', () =>
        as(paula).users.add({
          organizationId: partner.id,
          email: 'mike@northwind.example',
          firstName: 'Mike',
          lastName: 'Manager',
          roles: ['basic'],
        }),
      )
      .then(({ user }) => user),
  );
  await say.ok(
    'Paula grants Mike "customers.manage"',
    () => as(paula).users.setAccess(mike.id, { permissions: ['customers.manage'] }),
    (user) => `effective: ${list(user.effectivePermissions)}`,
  );

  say.heading('3. The customer manager staffs the customer');
  const dana = known(
    await say
      .ok(
        'Mike adds Dana Data to Contoso with data-estate permissions and the role "basic"',
        () =>
          as(mike).users.add({
            organizationId: contoso.id,
            email: 'dana.data@contoso.example',
            firstName: 'Dana',
            lastName: 'Data',
            permissions: ['instances.manage', 'environments.manage'],
            roles: ['basic'],
          }),
        ({ user, invitationSent }) =>
          `effective: ${list(user.effectivePermissions)}; invitation sent: ${invitationSent}`,
      )
      .then(({ user }) => user),
  );
  const erin = known(
    await say
      .ok(
        'Mike adds Erin Editor to Contoso with "tickets.view" and "tickets.edit"',
        () =>
          as(mike).users.add({
            organizationId: contoso.id,
            email: 'erin@contoso.example',
            firstName: 'Erin',
            lastName: 'Editor',
            permissions: ['tickets.view', 'tickets.edit'],
          }),
        ({ user }) => `effective: ${list(user.effectivePermissions)}`,
      )
      .then(({ user }) => user),
  );
  const sam = known(
    await say
      .ok('Mike adds Sam Scientist to the sub-organization Contoso Research', () =>
        as(mike).users.add({
          organizationId: research.id,
          email: 'sam@research.contoso.example',
          firstName: 'Sam',
          lastName: 'Scientist',
          roles: ['basic'],
        }),
      )
      .then(({ user }) => user),
  );
  await say.ok(
    'Mike looks up the roles Contoso may assign',
    () => as(mike).roles.list(contoso.id),
    (assignable) => list(assignable.map((role) => role.key)),
  );

  say.heading('4. What the rules refuse');
  await say.refused('Mike (customer manager, no admin at home) adds a user to Northwind', 'FORBIDDEN', () =>
    as(mike).users.add({ organizationId: partner.id, email: 'x@northwind.example', firstName: 'X', lastName: 'Y' }),
  );
  await say.refused('Paula removes her own "org.admin"', 'SELF_MODIFICATION', () =>
    as(paula).users.setAccess(paula.id, { permissions: [] }),
  );
  await say.refused('Operator revokes "org.admin" from Carl, the only admin of Contoso', 'LAST_ADMIN', () =>
    operator.users.setAccess(carl.id, { permissions: [] }),
  );
  await say.refused('Mike adds a user with "tickets.edit" but without "tickets.view"', 'PERMISSION_DEPENDENCY', () =>
    as(mike).users.add({
      organizationId: contoso.id,
      email: 'gil@contoso.example',
      firstName: 'Gil',
      lastName: 'Gap',
      permissions: ['tickets.edit'],
    }),
  );
  await say.refused(
    'Mike grants Sam "instances.manage" (Contoso Research lacks the feature "data-estate")',
    'PERMISSION_UNAVAILABLE',
    () => as(mike).users.setAccess(sam.id, { permissions: ['instances.manage'] }),
  );
  await say.refused('Mike gives Erin the role "manager" (Contoso may assign only "basic")', 'ROLE_UNAVAILABLE', () =>
    as(mike).users.setAccess(erin.id, { roles: ['manager'] }),
  );
  await say.refused('Carl (admin of Contoso) grants Erin the operator-only "tickets.taskfire"', 'FORBIDDEN', () =>
    as(carl).users.setAccess(erin.id, { permissions: ['tickets.view', 'tickets.edit', 'tickets.taskfire'] }),
  );
  await say.refused('Carl reads Paula, who belongs to another tenant', 'NOT_FOUND', () => as(carl).users.get(paula.id));
  await say.refused('Carl reads the organization Northwind Partners', 'NOT_FOUND', () =>
    as(carl).organizations.get(partner.id),
  );
  await say.refused('Erin (no admin rights) lists the users of her own company', 'FORBIDDEN', () =>
    as(erin).users.list({ organizationId: contoso.id }),
  );
  await say.refused('Mike adds "DANA.DATA@Contoso.Example", Dana\'s address in other case', 'EMAIL_TAKEN', () =>
    as(mike).users.add({
      organizationId: contoso.id,
      email: 'DANA.DATA@Contoso.Example',
      firstName: 'Dana',
      lastName: 'Again',
    }),
  );
  await say.ok(
    'The operator grants Erin "tickets.taskfire"',
    () => operator.users.setAccess(erin.id, { permissions: ['tickets.view', 'tickets.edit', 'tickets.taskfire'] }),
    (user) => `effective: ${list(user.effectivePermissions)}`,
  );

  say.heading('5. Company features and conditions decide what grants are worth');
  await say.ok('Operator removes the feature "data-estate" from Contoso', () =>
    operator.organizations.setFeatures(contoso.id, []),
  );
  const withoutFeature = await as(mike).users.get(dana.id);
  say.note(`Dana's grants stay: ${list(withoutFeature.permissions)}`);
  say.check(
    `...but they are no longer effective: ${list(withoutFeature.effectivePermissions)}`,
    !withoutFeature.effectivePermissions.includes('instances.manage') &&
      !withoutFeature.effectivePermissions.includes('environments.manage'),
  );
  await say.ok('Operator enables "data-estate" again', () =>
    operator.organizations.setFeatures(contoso.id, ['data-estate']),
  );
  const restored = await as(mike).users.get(dana.id);
  say.check(
    `Dana's grants are effective again: ${list(restored.effectivePermissions)}`,
    restored.effectivePermissions.includes('environments.manage'),
  );
  await say.ok('Operator records that Contoso runs product version 21', () =>
    operator.organizations.update(contoso.id, { attributes: { version: 21 } }),
  );
  const newVersion = await as(mike).users.get(dana.id);
  say.check(
    `"environments.manage" (available up to version 20) stops counting: ${list(newVersion.effectivePermissions)}`,
    !newVersion.effectivePermissions.includes('environments.manage'),
  );

  say.heading('6. Finding users');
  say.note(
    'Nobody has accepted an invitation yet, so everyone is "pending"; lists show only "active" users unless asked.',
  );
  const everyone = { organizationId: contoso.id, status: ['pending', 'active'] } satisfies ListUsersInput;
  await say.ok(
    'Mike lists Contoso by name',
    () => as(mike).users.list({ ...everyone, sort: 'name', order: 'asc' }),
    (page) => list(page.items.map((user) => `${user.lastName}, ${user.firstName}`)),
  );
  const found = await say.ok(
    'Mike searches Contoso for "DATA"',
    () => as(mike).users.list({ ...everyone, search: 'DATA' }),
    (page) => list(page.items.map((user) => user.email)),
  );
  say.check('the search found exactly Dana', found.items.length === 1 && found.items[0]?.id === dana.id);
  await say.ok(
    'Mike lists who may edit tickets',
    () => as(mike).users.list({ ...everyone, permissions: ['tickets.edit'] }),
    (page) => list(page.items.map((user) => `${user.firstName} ${user.lastName}`)),
  );

  say.heading('7. The contact person leaves');
  await say.ok(
    'Mike makes Dana an admin of Contoso too',
    () => as(mike).users.setAccess(dana.id, { permissions: [...dana.permissions, 'org.admin'] }),
    (user) => `admin: ${user.isAdmin}`,
  );
  await say.ok(
    'Mike disables Carl, the contact person',
    () => as(mike).users.disable(carl.id),
    (user) => user.status,
  );
  const after = await operator.organizations.get(contoso.id);
  say.check(`Contoso's contact person moved to ${nameOf(after.contactUserId)}`, after.contactUserId === dana.id);

  say.heading('8. The audit trail of Contoso (oldest first)');
  const trail = await say.ok('Operator reads the audit trail', () =>
    operator.audit.list({ organizationId: contoso.id, limit: 200 }),
  );
  printAuditTrail(trail.items, names);
  let total = 0;
  for (const organization of [partner, contoso, research]) {
    total += (await operator.audit.list({ organizationId: organization.id, limit: 200 })).items.length;
  }
  say.check(`every one of the ${total} audit events was also delivered to the '*' subscriber`, delivered === total);

  console.log(`\nDone: ${say.summary()}.`);
}

main().catch((error: unknown) => {
  console.error(`\n✗ THE DEMO FAILED: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
