import { describe, expect, it } from 'vitest';
import { codeOf, type MakeStorage, makeTenantry, person } from '../support/tenantry.js';

async function partnerPortal(makeStorage: MakeStorage) {
  const t = await makeTenantry(makeStorage);
  const partner = await t.operator.organizations.create({
    name: 'Northwind Partners',
    kind: 'partner',
    firstUser: person('Paula', 'Partner'),
  });
  const customer = await t.operator.organizations.create({
    name: 'Contoso',
    partnerId: partner.organization.id,
    features: ['data-estate'],
    firstUser: person('Carl', 'Customer'),
  });
  const stranger = await t.operator.organizations.create({ name: 'Fabrikam', firstUser: person('Fay', 'Stranger') });
  const paula = t.as(partner.firstUser.id);
  const { user: mike } = await paula.users.add({
    organizationId: partner.organization.id,
    ...person('Mike', 'Manager'),
  });
  await paula.users.setAccess(mike.id, { permissions: ['customers.manage'] });
  return { ...t, partner, customer, stranger, paula, mike, manager: t.as(mike.id) };
}

export function describePartnerPortal(name: string, makeStorage: MakeStorage): void {
  describe(`${name}: partner portal`, () => {
    it('makes the first user of a company its contact person and admin', async () => {
      const { customer } = await partnerPortal(makeStorage);
      expect(customer.firstUser).toMatchObject({ isAdmin: true, isContactPerson: true, status: 'pending' });
      expect(customer.organization.contactUserId).toBe(customer.firstUser.id);
      expect(customer.firstUser.effectivePermissions).toEqual(['org.admin']);
    });

    it('lets a customer manager administer the customers but not their own company', async () => {
      const { manager, customer, partner, mike } = await partnerPortal(makeStorage);
      const { user } = await manager.users.add({
        organizationId: customer.organization.id,
        ...person('Dana', 'Data'),
        permissions: ['instances.manage'],
      });
      expect(user.effectivePermissions).toEqual(['instances.manage']);
      expect((await manager.users.update(user.id, { phone: '+1 555 0100' })).phone).toBe('+1 555 0100');
      expect((await manager.users.disable(user.id)).status).toBe('disabled');
      expect(await codeOf(manager.users.add({ organizationId: partner.organization.id, ...person('X', 'Y') }))).toBe(
        'FORBIDDEN',
      );
      expect(await codeOf(manager.users.setAccess(partner.firstUser.id, { permissions: [] }))).toBe('FORBIDDEN');
      expect(await codeOf(manager.organizations.update(partner.organization.id, { name: 'Mine now' }))).toBe(
        'FORBIDDEN',
      );
      expect((await manager.users.get(mike.id)).id).toBe(mike.id);
    });

    it('hides unrelated companies from a customer manager and the partner from its customers', async () => {
      const { manager, stranger, customer, partner, as } = await partnerPortal(makeStorage);
      expect(await codeOf(manager.organizations.get(stranger.organization.id))).toBe('NOT_FOUND');
      expect(await codeOf(manager.users.get(stranger.firstUser.id))).toBe('NOT_FOUND');
      const carl = as(customer.firstUser.id);
      expect(await codeOf(carl.organizations.get(partner.organization.id))).toBe('NOT_FOUND');
      expect(await codeOf(carl.users.list({ organizationId: partner.organization.id }))).toBe('NOT_FOUND');
    });

    it('names whom the audit trail mentions, only as far as the reader may see them', async () => {
      const { manager, customer, mike, as } = await partnerPortal(makeStorage);
      const { user: dana } = await manager.users.add({
        organizationId: customer.organization.id,
        ...person('Dana', 'Data'),
      });
      const { user: eve } = await manager.users.add({
        organizationId: customer.organization.id,
        ...person('Eve', 'Gone'),
      });
      await manager.users.erase(eve.id);
      const query = { organizationId: customer.organization.id, names: true };

      // The customer's admin sees their colleagues and company, not the partner's staff nor the erased.
      const carl = as(customer.firstUser.id);
      const seen = await carl.audit.list(query);
      expect(seen.items.some((event) => event.actor.type === 'user' && event.actor.userId === mike.id)).toBe(true);
      expect(seen.items.some((event) => event.targetId === eve.id)).toBe(true);
      expect(seen.names).toEqual({
        [customer.firstUser.id]: 'Carl Customer',
        [dana.id]: 'Dana Data',
        [customer.organization.id]: 'Contoso',
      });

      // The manager sees themselves too.
      expect((await manager.audit.list(query)).names).toEqual({
        [mike.id]: 'Mike Manager',
        [customer.firstUser.id]: 'Carl Customer',
        [dana.id]: 'Dana Data',
        [customer.organization.id]: 'Contoso',
      });
      // Names are read now, and only when asked for; the cursor does not depend on asking.
      await carl.users.update(dana.id, { firstName: 'Daniela' });
      const firstPage = await carl.audit.list({ ...query, limit: 1 });
      expect(firstPage.names).toEqual({ [customer.firstUser.id]: 'Carl Customer', [dana.id]: 'Daniela Data' });
      const plain = await carl.audit.list({ organizationId: customer.organization.id, limit: 1 });
      expect(plain).not.toHaveProperty('names');
      const next = await carl.audit.list({
        organizationId: customer.organization.id,
        cursor: firstPage.nextCursor as string,
      });
      expect(next.items[0]?.id).toBe(seen.items[0]?.id);
    });

    it('lets a customer manager create a new customer of their partner, and only that', async () => {
      const { manager, partner, stranger } = await partnerPortal(makeStorage);
      const created = await manager.organizations.create({
        name: 'Adventure Works',
        partnerId: partner.organization.id,
        firstUser: person('Ava', 'Works'),
      });
      expect(created.organization).toMatchObject({
        partnerId: partner.organization.id,
        kind: 'standard',
        features: [],
      });
      expect(await codeOf(manager.organizations.create({ name: 'Top', firstUser: person('T', 'Op') }))).toBe(
        'FORBIDDEN',
      );
      const elsewhere = manager.organizations.create({
        name: 'X',
        partnerId: stranger.organization.id,
        firstUser: person('X', 'Y'),
      });
      expect(await codeOf(elsewhere)).toBe('NOT_FOUND');
      const partnerKind = manager.organizations.create({
        name: 'P2',
        kind: 'partner',
        partnerId: partner.organization.id,
        firstUser: person('P', 'Two'),
      });
      expect(await codeOf(partnerKind)).toBe('FORBIDDEN');
    });

    it('refuses an admin removing their own admin permission', async () => {
      const { paula, partner } = await partnerPortal(makeStorage);
      expect(await codeOf(paula.users.setAccess(partner.firstUser.id, { permissions: [] }))).toBe('SELF_MODIFICATION');
    });

    it('grants customers.manage only in partner organizations', async () => {
      const { manager, customer } = await partnerPortal(makeStorage);
      const refused = manager.users.setAccess(customer.firstUser.id, {
        permissions: ['org.admin', 'customers.manage'],
      });
      expect(await codeOf(refused)).toBe('PERMISSION_UNAVAILABLE');
    });

    it('disables grants when a feature is removed and restores them when it returns', async () => {
      const { manager, operator, customer } = await partnerPortal(makeStorage);
      const { user } = await manager.users.add({
        organizationId: customer.organization.id,
        ...person('Eve', 'Env'),
        permissions: ['instances.manage', 'environments.manage'],
      });
      expect(user.effectivePermissions).toEqual(['environments.manage', 'instances.manage']);
      await operator.organizations.setFeatures(customer.organization.id, []);
      const without = await manager.users.get(user.id);
      expect(without.permissions).toEqual(['instances.manage', 'environments.manage']);
      expect(without.effectivePermissions).toEqual([]);
      await operator.organizations.setFeatures(customer.organization.id, ['data-estate']);
      expect((await manager.users.get(user.id)).effectivePermissions).toEqual([
        'environments.manage',
        'instances.manage',
      ]);
      await operator.organizations.update(customer.organization.id, { attributes: { version: 21 } });
      expect((await manager.users.get(user.id)).effectivePermissions).toEqual(['instances.manage']);
      const grant = manager.users.add({
        organizationId: customer.organization.id,
        ...person('F', 'G'),
        permissions: ['instances.manage', 'environments.manage'],
      });
      expect(await codeOf(grant)).toBe('PERMISSION_UNAVAILABLE');
    });

    it('keeps features and attributes the operator’s to set', async () => {
      const { manager, customer, paula, partner } = await partnerPortal(makeStorage);
      expect(await codeOf(manager.organizations.setFeatures(customer.organization.id, []))).toBe('FORBIDDEN');
      expect(await codeOf(manager.organizations.update(customer.organization.id, { attributes: { version: 1 } }))).toBe(
        'FORBIDDEN',
      );
      expect(await codeOf(paula.organizations.setAllowedRoles(partner.organization.id, null))).toBe('FORBIDDEN');
    });

    it('moves the contact person on request, to an active user of the company', async () => {
      const { manager, customer } = await partnerPortal(makeStorage);
      const { user } = await manager.users.add({
        organizationId: customer.organization.id,
        ...person('Gil', 'Contact'),
      });
      const updated = await manager.organizations.setContactPerson(customer.organization.id, user.id);
      expect(updated.contactUserId).toBe(user.id);
      expect((await manager.users.get(user.id)).isContactPerson).toBe(true);
      await manager.users.disable(user.id);
      expect(await codeOf(manager.organizations.setContactPerson(customer.organization.id, user.id))).toBe('CONFLICT');
    });
  });
}
