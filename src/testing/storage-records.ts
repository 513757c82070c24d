import type { Storage } from '../adapter-kit/index.js';
import { at, auditRecord, organizationRecord, userRecord } from './records.js';
import type { MakeStorage } from './storage-contract.js';
import type { VitestApi } from './vitest-api.js';

export function describeRecordContract(vitest: VitestApi, name: string, makeStorage: MakeStorage): void {
  const { beforeEach, describe, expect, it } = vitest;
  describe(`${name} storage: records`, () => {
    let storage: Storage;
    beforeEach(async () => {
      storage = await makeStorage();
    });

    it('stores, reads and updates organizations, and lists them by relationship', async () => {
      const partner = organizationRecord({
        kind: 'partner',
        name: 'Partner',
        profile: { phone: '+1 555' },
        securityPolicy: { mfa: 'required', enrollmentGraceDays: 14, mfaRequiredSince: at(1_500), ssoRequired: false },
      });
      const customer = organizationRecord({ partnerId: partner.id, createdAt: at(1) });
      const child = organizationRecord({ parentId: customer.id, createdAt: at(2) });
      const renamed = {
        ...customer,
        name: 'Renamed',
        features: ['data-estate'],
        securityPolicy: {
          mfa: 'required-for-admins' as const,
          enrollmentGraceDays: 0,
          mfaRequiredSince: at(3),
          ssoRequired: false,
        },
        updatedAt: at(3),
      };
      await storage.transaction(async (tx) => {
        for (const organization of [partner, customer, child]) await tx.organizations.insert(organization);
      });
      await storage.transaction(async (tx) => {
        expect(await tx.organizations.get(partner.id)).toEqual(partner);
        expect(await tx.organizations.get('org_missing')).toBeNull();
        expect((await tx.organizations.list({ partnerId: partner.id })).map((o) => o.id)).toEqual([customer.id]);
        expect((await tx.organizations.list({ parentId: customer.id })).map((o) => o.id)).toEqual([child.id]);
        expect((await tx.organizations.list({})).map((o) => o.id)).toEqual([partner.id, customer.id, child.id]);
        await tx.organizations.update(renamed);
      });
      expect(await storage.transaction((tx) => tx.organizations.get(customer.id))).toEqual(renamed);
      // What it returns is a copy: changing its policy changes nothing stored.
      const copy = await storage.transaction((tx) => tx.organizations.get(partner.id));
      copy?.securityPolicy.mfaRequiredSince?.setTime(0);
      if (copy) copy.securityPolicy.mfa = 'optional';
      expect(await storage.transaction((tx) => tx.organizations.get(partner.id))).toEqual(partner);
    });

    it('finds users by id and by email whatever its case', async () => {
      const organization = organizationRecord();
      const user = userRecord(organization.id, { email: 'Ada.Lovelace@Example.test' });
      await storage.transaction(async (tx) => {
        await tx.organizations.insert(organization);
        await tx.users.insert(user);
      });
      await storage.transaction(async (tx) => {
        expect(await tx.users.get(user.id)).toEqual(user);
        expect((await tx.users.getByEmail('ada.lovelace@example.test'))?.id).toBe(user.id);
        expect((await tx.users.getByEmail('ADA.LOVELACE@EXAMPLE.TEST'))?.id).toBe(user.id);
        expect(await tx.users.getByEmail('nobody@example.test')).toBeNull();
      });
    });

    it('keeps profile fields as written, in batches too, and replaces them on update', async () => {
      const organization = organizationRecord();
      const fields = {
        title: 'Ingénieure 😀 ｚ',
        signature: 'Grüße\n— A.',
        employeeNumber: 4711,
        rate: -2.75,
        remote: true,
        onCall: false,
      };
      const ada = userRecord(organization.id, { fields });
      const batch = [userRecord(organization.id, { fields: { title: 'Ops' } }), userRecord(organization.id)];
      await storage.transaction(async (tx) => {
        await tx.organizations.insert(organization);
        await tx.users.insert(ada);
        await tx.users.insertMany(batch);
      });
      await storage.transaction(async (tx) => {
        expect((await tx.users.get(ada.id))?.fields).toEqual(fields);
        const written = await tx.users.getMany(batch.map((user) => user.id));
        expect(written.map((user) => user.fields)).toHaveLength(2);
        expect(written.map((user) => user.fields)).toEqual(expect.arrayContaining([{ title: 'Ops' }, {}]));
        await tx.users.update({ ...ada, fields: { employeeNumber: 0, remote: false } });
      });
      expect((await storage.transaction((tx) => tx.users.get(ada.id)))?.fields).toEqual({
        employeeNumber: 0,
        remote: false,
      });
    });

    it('refuses a taken email, in any case, on insert and on update', async () => {
      const organization = organizationRecord();
      const ada = userRecord(organization.id, { email: 'ada@example.test' });
      const grace = userRecord(organization.id, { email: 'grace@example.test' });
      await storage.transaction(async (tx) => {
        await tx.organizations.insert(organization);
        await tx.users.insert(ada);
        await tx.users.insert(grace);
      });
      const duplicate = userRecord(organization.id, { email: 'ADA@example.test' });
      await expect(storage.transaction((tx) => tx.users.insert(duplicate))).rejects.toMatchObject({
        code: 'EMAIL_TAKEN',
      });
      await expect(
        storage.transaction((tx) => tx.users.update({ ...grace, email: 'Ada@Example.test' })),
      ).rejects.toMatchObject({ code: 'EMAIL_TAKEN' });
    });

    it('frees the old email when a user changes theirs', async () => {
      const organization = organizationRecord();
      const ada = userRecord(organization.id, { email: 'ada@example.test' });
      await storage.transaction(async (tx) => {
        await tx.organizations.insert(organization);
        await tx.users.insert(ada);
        await tx.users.update({ ...ada, email: 'countess@example.test' });
        await tx.users.insert(userRecord(organization.id, { email: 'ada@example.test' }));
      });
      const found = await storage.transaction((tx) => tx.users.getByEmail('countess@example.test'));
      expect(found?.id).toBe(ada.id);
    });

    it('finds the holders of a grant, directly or by role, leaving erased users out', async () => {
      const organization = organizationRecord();
      const other = organizationRecord();
      const direct = userRecord(organization.id, { permissions: ['org.admin'] });
      const byRole = userRecord(organization.id, { roles: ['owner'], createdAt: at(1) });
      const erased = userRecord(organization.id, { permissions: ['org.admin'], erasedAt: at(2) });
      const neither = userRecord(organization.id, { permissions: ['tickets.view'] });
      const elsewhere = userRecord(other.id, { permissions: ['org.admin'] });
      await storage.transaction(async (tx) => {
        await tx.organizations.insert(organization);
        await tx.organizations.insert(other);
        for (const user of [direct, byRole, erased, neither, elsewhere]) await tx.users.insert(user);
      });
      const holders = await storage.transaction((tx) =>
        tx.users.withAnyGrant(organization.id, { permissions: ['org.admin'], roles: ['owner'] }),
      );
      expect(holders.map((user) => user.id).sort()).toEqual([direct.id, byRole.id].sort());
    });

    it('keeps custom roles per organization', async () => {
      const organization = organizationRecord();
      const role = {
        organizationId: organization.id,
        key: 'auditor',
        label: 'Auditor',
        permissions: ['tickets.view'],
        createdAt: at(0),
      };
      await storage.transaction(async (tx) => {
        await tx.organizations.insert(organization);
        await tx.roles.insert(role);
        await tx.roles.insert({ ...role, key: 'approver', label: 'Approver' });
      });
      await expect(storage.transaction((tx) => tx.roles.insert(role))).rejects.toMatchObject({ code: 'CONFLICT' });
      await storage.transaction(async (tx) => {
        expect((await tx.roles.list(organization.id)).map((r) => r.key)).toEqual(['approver', 'auditor']);
        expect(await tx.roles.get(organization.id, 'auditor')).toEqual(role);
        expect(await tx.roles.list('org_other')).toEqual([]);
        await tx.roles.delete(organization.id, 'auditor');
        expect(await tx.roles.get(organization.id, 'auditor')).toBeNull();
      });
    });

    it('lists audit events newest first, filtered, page after page', async () => {
      const organization = organizationRecord();
      const events = Array.from({ length: 7 }, (_, index) =>
        auditRecord(organization.id, {
          at: at(Math.floor(index / 2) * 1000),
          action: index % 2 === 0 ? 'user.created' : 'user.disabled',
          targetId: index < 4 ? 'usr_a' : 'usr_b',
        }),
      );
      await storage.transaction(async (tx) => {
        await tx.organizations.insert(organization);
        await tx.audit.insert(events);
        await tx.audit.insert([auditRecord('org_other')]);
      });
      const all = await storage.transaction((tx) => tx.audit.list({ organizationId: organization.id, limit: 50 }));
      expect(all).toHaveLength(7);
      const order = all.map((event) => [event.at.getTime(), event.id]);
      expect(order).toEqual([...order].sort((a, b) => (b[0] as number) - (a[0] as number) || (a[1]! < b[1]! ? 1 : -1)));
      expect(all[0]).toEqual(
        events.filter((e) => e.at.getTime() === all[0]?.at.getTime()).sort((a, b) => (a.id < b.id ? 1 : -1))[0],
      );

      const pages: string[] = [];
      let cursor: { at: number; id: string } | undefined;
      for (;;) {
        const page = await storage.transaction((tx) =>
          tx.audit.list({ organizationId: organization.id, limit: 3, cursor }),
        );
        pages.push(...page.map((event) => event.id));
        const last = page.at(-1);
        if (page.length < 3 || !last) break;
        cursor = { at: last.at.getTime(), id: last.id };
      }
      expect(pages).toEqual(all.map((event) => event.id));

      await storage.transaction(async (tx) => {
        const created = await tx.audit.list({ organizationId: organization.id, action: 'user.created', limit: 50 });
        expect(created.every((event) => event.action === 'user.created')).toBe(true);
        expect(created).toHaveLength(4);
        expect(await tx.audit.list({ organizationId: organization.id, targetId: 'usr_b', limit: 50 })).toHaveLength(3);
        const window = await tx.audit.list({
          organizationId: organization.id,
          after: at(1000),
          before: at(3000),
          limit: 50,
        });
        expect(window.map((event) => event.at.getTime() - at(0).getTime()).sort()).toEqual([1000, 1000, 2000, 2000]);
      });
    });

    it('redacts the changed personal fields of events about one target, and nothing else', async () => {
      const organization = organizationRecord();
      const about = auditRecord(organization.id, {
        targetId: 'usr_gone',
        changes: { email: { before: null, after: 'ada@example.test' }, roles: { before: [], after: ['basic'] } },
      });
      const other = auditRecord(organization.id, {
        targetId: 'usr_kept',
        changes: { email: { before: null, after: 'grace@example.test' } },
      });
      await storage.transaction(async (tx) => {
        await tx.organizations.insert(organization);
        await tx.audit.insert([about, other]);
        await tx.audit.redactChanges('usr_gone', ['email', 'phone'], '[erased]');
      });
      const events = await storage.transaction((tx) => tx.audit.list({ organizationId: organization.id, limit: 10 }));
      const redacted = events.find((event) => event.id === about.id);
      expect(redacted?.changes).toEqual({
        email: { before: '[erased]', after: '[erased]' },
        roles: { before: [], after: ['basic'] },
      });
      expect(events.find((event) => event.id === other.id)).toEqual(other);
    });
  });
}
