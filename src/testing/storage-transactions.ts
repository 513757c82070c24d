import type { Storage, StorageTransaction, User } from '../adapter-kit/index.js';
import { auditRecord, organizationRecord, userRecord } from './records.js';
import type { MakeStorage } from './storage-contract.js';
import type { VitestApi } from './vitest-api.js';

export function describeTransactionContract(vitest: VitestApi, name: string, makeStorage: MakeStorage): void {
  const { beforeEach, describe, expect, it } = vitest;
  describe(`${name} storage: transactions`, () => {
    let storage: Storage;
    const organization = organizationRecord();
    const ada = userRecord(organization.id, { email: 'ada@example.test' });

    beforeEach(async () => {
      storage = await makeStorage();
      await storage.transaction(async (tx) => {
        await tx.organizations.insert(organization);
        await tx.users.insert(ada);
        await tx.roles.insert({
          organizationId: organization.id,
          key: 'kept',
          label: 'Kept',
          permissions: [],
          createdAt: ada.createdAt,
        });
      });
    });

    it('rolls back every kind of write when the work throws, and rethrows the same error', async () => {
      const failure = new Error('boom');
      const attempt = storage.transaction(async (tx) => {
        await tx.organizations.update({ ...organization, name: 'Changed' });
        await tx.organizations.insert(organizationRecord());
        await tx.users.update({ ...ada, email: 'changed@example.test', firstName: 'Changed' });
        await tx.users.insert(userRecord(organization.id, { email: 'new@example.test' }));
        await tx.roles.insert({
          organizationId: organization.id,
          key: 'new',
          label: 'New',
          permissions: [],
          createdAt: ada.createdAt,
        });
        await tx.roles.delete(organization.id, 'kept');
        await tx.audit.insert([auditRecord(organization.id)]);
        throw failure;
      });
      await expect(attempt).rejects.toBe(failure);
      await storage.transaction(async (tx) => {
        expect(await tx.organizations.get(organization.id)).toEqual(organization);
        expect(await tx.organizations.list({})).toHaveLength(1);
        expect(await tx.users.get(ada.id)).toEqual(ada);
        expect((await tx.users.getByEmail('ada@example.test'))?.id).toBe(ada.id);
        expect(await tx.users.getByEmail('changed@example.test')).toBeNull();
        expect(await tx.users.getByEmail('new@example.test')).toBeNull();
        expect((await tx.roles.list(organization.id)).map((role) => role.key)).toEqual(['kept']);
        expect(await tx.audit.list({ organizationId: organization.id, limit: 10 })).toEqual([]);
      });
    });

    it('loses no update when many transactions read and write the same row at once', async () => {
      const increments = Array.from({ length: 20 }, () =>
        storage.transaction(async (tx) => {
          const current = await tx.organizations.get(organization.id, { forUpdate: true });
          if (!current) throw new Error('missing');
          const count = Number(current.attributes.count ?? 0);
          await tx.organizations.update({ ...current, attributes: { count: count + 1 } });
        }),
      );
      await Promise.all(increments);
      const final = await storage.transaction((tx) => tx.organizations.get(organization.id));
      expect(final?.attributes.count).toBe(20);
    });

    it('loses no update of a user locked for update by many transactions at once', async () => {
      const failures = Array.from({ length: 20 }, () =>
        storage.transaction(async (tx) => {
          const current = await tx.users.get(ada.id, { forUpdate: true });
          if (!current) throw new Error('missing');
          await tx.users.update({ ...current, failedSignIns: current.failedSignIns + 1 });
        }),
      );
      await Promise.all(failures);
      expect((await storage.transaction((tx) => tx.users.get(ada.id)))?.failedSignIns).toBe(20);
    });

    it('keeps the last admin: of two transactions that lock the organization, count its admins and demote one, the second sees the first’s demotion', async () => {
      const admins = [
        userRecord(organization.id, { permissions: ['org.admin'] }),
        userRecord(organization.id, { permissions: ['org.admin'] }),
      ];
      await storage.transaction(async (tx) => {
        for (const admin of admins) await tx.users.insert(admin);
      });
      const adminsNow = (tx: StorageTransaction) =>
        tx.users.withAnyGrant(organization.id, { permissions: ['org.admin'], roles: [] });
      // What the core's last-admin guard does, reduced to its storage calls.
      const demote = (admin: User) =>
        storage.transaction(async (tx) => {
          await tx.organizations.get(organization.id, { forUpdate: true });
          if ((await adminsNow(tx)).length < 2) return false;
          await tx.users.update({ ...admin, permissions: [] });
          return true;
        });
      const demoted = await Promise.all(admins.map(demote));
      expect(demoted.filter(Boolean)).toHaveLength(1);
      expect(await storage.transaction(adminsNow)).toHaveLength(1);
    });

    it('hands out copies: changing a returned object changes nothing stored', async () => {
      const copy = await storage.transaction((tx) => tx.users.get(ada.id));
      if (!copy) throw new Error('missing');
      copy.permissions.push('org.admin');
      copy.firstName = 'Mutated';
      expect(await storage.transaction((tx) => tx.users.get(ada.id))).toEqual(ada);
    });

    it('keeps a transaction’s repositories from being used after it ended', async () => {
      const leaked = await storage.transaction(async (tx) => tx);
      await expect(leaked.users.get(ada.id)).rejects.toThrow();
    });
  });
}
