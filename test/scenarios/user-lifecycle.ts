import { describe, expect, it } from 'vitest';
import { codeOf, type MakeStorage, makeTenantry, person } from '../support/tenantry.js';

async function company(makeStorage: MakeStorage) {
  const t = await makeTenantry(makeStorage);
  const { organization, firstUser } = await t.operator.organizations.create({
    name: 'Acme',
    firstUser: person('Ann', 'Admin'),
  });
  const ann = t.as(firstUser.id);
  const add = async (first: string, fields: Record<string, unknown> = {}) =>
    (await ann.users.add({ organizationId: organization.id, ...person(first, 'Acme'), ...fields })).user;
  return { ...t, organization, firstUser, ann, add };
}

export function describeUserLifecycle(name: string, makeStorage: MakeStorage): void {
  describe(`${name}: user lifecycle`, () => {
    it('disables and enables, returning to pending or active as before', async () => {
      const { ann, add } = await company(makeStorage);
      const bob = await add('Bob');
      expect((await ann.users.disable(bob.id)).status).toBe('disabled');
      expect(await codeOf(ann.users.disable(bob.id))).toBe('CONFLICT');
      expect((await ann.users.enable(bob.id)).status).toBe('pending');
      expect(await codeOf(ann.users.enable(bob.id))).toBe('CONFLICT');
    });

    it('refuses every change of a user’s own status, expiry, email or access', async () => {
      const { ann, firstUser } = await company(makeStorage);
      for (const call of [
        () => ann.users.disable(firstUser.id),
        () => ann.users.setExpiry(firstUser.id, '2026-12-01T00:00:00Z'),
        () => ann.users.changeEmail(firstUser.id, 'new@example.test'),
        () => ann.users.setAccess(firstUser.id, { roles: ['basic'] }),
        () => ann.users.erase(firstUser.id),
      ]) {
        expect(await codeOf(call())).toBe('SELF_MODIFICATION');
      }
      expect((await ann.users.update(firstUser.id, { firstName: 'Annie' })).firstName).toBe('Annie');
    });

    it('refuses to remove the last lasting admin in every way, after the self check', async () => {
      const { operator, firstUser, add, ann } = await company(makeStorage);
      expect(await codeOf(operator.users.setAccess(firstUser.id, { permissions: [] }))).toBe('LAST_ADMIN');
      expect(await codeOf(operator.users.setAccess(firstUser.id, { canSignIn: false }))).toBe('LAST_ADMIN');
      expect(await codeOf(operator.users.disable(firstUser.id))).toBe('LAST_ADMIN');
      expect(await codeOf(operator.users.erase(firstUser.id))).toBe('LAST_ADMIN');
      expect(await codeOf(operator.users.setExpiry(firstUser.id, '2026-12-01T00:00:00Z'))).toBe('LAST_ADMIN');
      const temporary = await add('Tim', { permissions: ['org.admin'], expiresAt: '2026-06-01T00:00:00Z' });
      expect(temporary.isAdmin).toBe(true);
      expect(await codeOf(operator.users.disable(firstUser.id))).toBe('LAST_ADMIN');
      const manager = await add('Max', { roles: ['manager'] });
      expect(manager.isAdmin).toBe(true);
      expect((await operator.users.disable(firstUser.id)).status).toBe('disabled');
      expect(await codeOf(ann.users.get(manager.id))).toBe('FORBIDDEN');
    });

    it('lets a temporary account expire and counts it as expired', async () => {
      const { ann, add, clock } = await company(makeStorage);
      const bob = await add('Bob');
      expect(await codeOf(ann.users.setExpiry(bob.id, '2020-01-01T00:00:00Z'))).toBe('VALIDATION_FAILED');
      const temporary = await ann.users.setExpiry(bob.id, new Date(clock.now().getTime() + 86_400_000));
      expect(temporary.expired).toBe(false);
      clock.advance(2 * 86_400_000);
      expect((await ann.users.get(bob.id)).expired).toBe(true);
      expect((await ann.users.setExpiry(bob.id, null)).expired).toBe(false);
    });

    it('hands the contact person role to another admin when the contact person is disabled', async () => {
      const { operator, organization, firstUser, add } = await company(makeStorage);
      const max = await add('Max', { permissions: ['org.admin'] });
      await operator.users.disable(firstUser.id);
      expect((await operator.organizations.get(organization.id)).contactUserId).toBe(max.id);
      const { items } = await operator.audit.list({
        organizationId: organization.id,
        action: 'organization.contact.changed',
      });
      expect(items[0]?.changes.contactUserId).toEqual({ before: firstUser.id, after: max.id });
    });

    it('erases a user to a tombstone that keeps the id and frees the address', async () => {
      const { ann, operator, organization, add } = await company(makeStorage);
      const bob = await add('Bob', { phone: '+1 555 0101' });
      await ann.users.erase(bob.id);
      const tombstone = await operator.users.get(bob.id);
      expect(tombstone).toMatchObject({
        id: bob.id,
        firstName: '',
        lastName: '',
        phone: null,
        status: 'disabled',
        canSignIn: false,
      });
      expect(tombstone.erasedAt).not.toBeNull();
      expect(tombstone.email).not.toContain('bob');
      expect(await codeOf(ann.users.enable(bob.id))).toBe('CONFLICT');
      const again = await ann.users.add({
        organizationId: organization.id,
        email: bob.email,
        firstName: 'Bob',
        lastName: 'Again',
      });
      expect(again.user.id).not.toBe(bob.id);
      const trail = await operator.audit.list({ organizationId: organization.id, targetId: bob.id });
      expect(trail.items.map((event) => event.action)).toEqual(['user.erased', 'user.created']);
      expect(JSON.stringify(trail.items)).not.toContain(bob.email);
      expect(JSON.stringify(trail.items)).not.toContain('Bob');
    });

    it('changes an address only to a free one, in any case', async () => {
      const { ann, add } = await company(makeStorage);
      const bob = await add('Bob');
      const eve = await add('Eve');
      expect(await codeOf(ann.users.changeEmail(bob.id, eve.email.toUpperCase()))).toBe('EMAIL_TAKEN');
      expect(await codeOf(ann.users.changeEmail(bob.id, 'a@b.test,c@d.test'))).toBe('VALIDATION_FAILED');
      expect((await ann.users.changeEmail(bob.id, '  Robert@Example.TEST ')).email).toBe('Robert@example.test');
    });

    it('refuses look-alike, listed and quoted addresses everywhere an address enters', async () => {
      const { ann, organization } = await company(makeStorage);
      for (const email of ['a＠example.test', 'a@x.test;b@y.test', '"a@b"@example.test', 'no-at-sign', 'a@localhost']) {
        expect(
          await codeOf(ann.users.add({ organizationId: organization.id, email, firstName: 'A', lastName: 'B' })),
        ).toBe('VALIDATION_FAILED');
      }
    });
  });
}
