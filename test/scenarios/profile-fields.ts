import { describe, expect, it } from 'vitest';
import { defineUserFields } from '../../src/index.js';
import { codeOf, type MakeStorage, makeTenantry, person } from '../support/tenantry.js';

/** The seeds' fields: only the user changes their picture and signature (003); only an admin the employee number. */
export const fields = defineUserFields({
  title: { label: 'Job title' },
  picture: { label: 'Picture', type: 'url', editableBy: 'self' },
  signature: { label: 'Signature', maxLength: 2000, editableBy: 'self' },
  employeeNumber: { label: 'Employee number', editableBy: 'admin' },
  seniority: { label: 'Seniority', type: 'enum', values: ['junior', 'senior'] },
  desk: { label: 'Desk', type: 'number', min: 1, max: 999 },
  remote: { label: 'Works remotely', type: 'boolean' },
});

async function company(makeStorage: MakeStorage) {
  const t = await makeTenantry(makeStorage, {
    fields,
    policy: { profile: { firstName: 'self', lastName: 'self' } },
  });
  const { organization, firstUser } = await t.operator.organizations.create({
    name: 'Acme',
    firstUser: person('Ann', 'Admin'),
  });
  const ann = t.as(firstUser.id);
  return { ...t, organization, ann, admin: firstUser };
}

export function describeProfileFields(name: string, makeStorage: MakeStorage): void {
  describe(`${name}: profile fields and who edits them`, () => {
    it('lets the user change their own name and picture, which their admin cannot, and the reverse for the employee number (seed 003)', async () => {
      const { ann, as, organization } = await company(makeStorage);
      // At creation the admin sets every value.
      const { user: bob } = await ann.users.add({
        organizationId: organization.id,
        ...person('Bob', 'Builder'),
        fields: { picture: 'https://cdn.example.test/bob.png', employeeNumber: 'E-100', title: 'Engineer' },
      });
      expect(bob.fields).toEqual({
        picture: 'https://cdn.example.test/bob.png',
        employeeNumber: 'E-100',
        title: 'Engineer',
      });
      const asBob = as(bob.id);
      const renamed = await asBob.users.update(bob.id, {
        firstName: 'Robert',
        fields: { picture: 'https://cdn.example.test/robert.png', signature: 'Robert\nBuilder & Sons' },
      });
      expect(renamed).toMatchObject({
        firstName: 'Robert',
        fields: { picture: 'https://cdn.example.test/robert.png' },
      });
      expect(await codeOf(ann.users.update(bob.id, { firstName: 'Bobby' }))).toBe('FORBIDDEN');
      expect(await codeOf(ann.users.update(bob.id, { fields: { picture: 'https://cdn.example.test/x.png' } }))).toBe(
        'FORBIDDEN',
      );
      expect(await codeOf(ann.users.update(bob.id, { fields: { signature: null } }))).toBe('FORBIDDEN');
      expect(
        (await ann.users.update(bob.id, { fields: { employeeNumber: 'E-200', title: 'Lead' } })).fields,
      ).toMatchObject({
        employeeNumber: 'E-200',
        title: 'Lead',
      });
      expect(await codeOf(asBob.users.update(bob.id, { fields: { employeeNumber: 'E-1' } }))).toBe('SELF_MODIFICATION');
      // Both may change what both may change; a refused change changed nothing.
      expect((await asBob.users.update(bob.id, { fields: { title: null } })).fields).not.toHaveProperty('title');
      expect((await ann.users.get(bob.id)).firstName).toBe('Robert');
    });

    it('checks every value by its field’s type, at its path, and refuses fields nobody declared', async () => {
      const { ann, organization } = await company(makeStorage);
      const add = (values: Record<string, unknown>) =>
        ann.users
          .add({ organizationId: organization.id, ...person('Val', 'Idate'), fields: values as never })
          .catch((error: { code: string; details: { issues: { path: string }[] } }) => [
            error.code,
            error.details.issues[0]?.path,
          ]);
      expect(await add({ picture: 'http://cdn.example.test/plain.png' })).toEqual([
        'VALIDATION_FAILED',
        'fields.picture',
      ]);
      expect(await add({ picture: 'javascript:alert(1)' })).toEqual(['VALIDATION_FAILED', 'fields.picture']);
      expect(await add({ seniority: 'principal' })).toEqual(['VALIDATION_FAILED', 'fields.seniority']);
      expect(await add({ desk: 1000 })).toEqual(['VALIDATION_FAILED', 'fields.desk']);
      expect(await add({ desk: '12' })).toEqual(['VALIDATION_FAILED', 'fields.desk']);
      expect(await add({ remote: 'yes' })).toEqual(['VALIDATION_FAILED', 'fields.remote']);
      expect(await add({ title: 'x'.repeat(201) })).toEqual(['VALIDATION_FAILED', 'fields.title']);
      expect(await add({ title: 'Line one\nline two' })).toEqual(['VALIDATION_FAILED', 'fields.title']);
      expect(await add({ shoeSize: 44 })).toEqual(['VALIDATION_FAILED', 'fields.shoeSize']);
      const { items } = await ann.users.list({ organizationId: organization.id, status: ['pending', 'active'] });
      expect(items).toHaveLength(1);
      const fine = await add({ seniority: 'senior', desk: 12, remote: true, signature: 'Best,\nVal' });
      expect(fine).toMatchObject({ user: { fields: { seniority: 'senior', desk: 12, remote: true } } });
    });

    it('records field changes in the trail like other profile changes, and scrubs them at erasure', async () => {
      const { ann, organization, operator } = await company(makeStorage);
      const { user } = await ann.users.add({
        organizationId: organization.id,
        ...person('Eve', 'Erased'),
        fields: { title: 'Secret agent', employeeNumber: 'E-7' },
      });
      await ann.users.update(user.id, { fields: { title: 'Analyst' } });
      const updated = await operator.audit.list({
        organizationId: organization.id,
        targetId: user.id,
        action: 'user.updated',
      });
      expect(updated.items[0]?.changes).toEqual({ 'fields.title': { before: 'Secret agent', after: 'Analyst' } });
      await ann.users.erase(user.id);
      const trail = JSON.stringify(await operator.audit.list({ organizationId: organization.id, targetId: user.id }));
      expect(trail).not.toContain('Secret agent');
      expect(trail).not.toContain('Analyst');
      expect(trail).not.toContain('E-7');
      const erased = (await operator.users.list({ organizationId: organization.id, status: ['disabled'] })).items;
      expect(erased).toEqual([]);
    });
  });
}
