import { compareCodePoints, type ResourceAccess, type Storage } from '../adapter-kit/index.js';
import type { MakeStorage } from './storage-contract.js';
import type { VitestApi } from './vitest-api.js';

/** Who a grant is for in these tests: a user of `org_a` (or another organization), and a type (`job` unless said). */
const owner = (userId: string, type = 'job', organizationId = 'org_a') => ({ organizationId, userId, type });

/** What resource grants need of storage: a user's access replaced per type, and a resource's holders, in pages. */
export function describeResourceContract(vitest: VitestApi, name: string, makeStorage: MakeStorage): void {
  const { beforeEach, describe, expect, it } = vitest;
  describe(`${name} storage: resource grants`, () => {
    let storage: Storage;
    const accessOf = async (userId: string): Promise<ResourceAccess | undefined> =>
      (await storage.transaction((tx) => tx.resources.forUsers([userId]))).get(userId);
    const holders = (
      resourceId: string,
      fields: { after?: string | undefined; limit?: number; type?: string; org?: string } = {},
    ) =>
      storage.transaction((tx) =>
        tx.resources.holders({
          organizationId: fields.org ?? 'org_a',
          type: fields.type ?? 'job',
          resourceId,
          after: fields.after,
          limit: fields.limit ?? 100,
        }),
      );

    beforeEach(async () => {
      storage = await makeStorage();
    });

    it('replaces a user’s access to one type, leaving their other types as they were', async () => {
      await storage.transaction(async (tx) => {
        await tx.resources.replace(owner('usr_a'), ['j2', 'j1', 'j2']);
        await tx.resources.replace(owner('usr_a', 'instance'), 'all');
      });
      expect(await accessOf('usr_a')).toEqual({ job: ['j1', 'j2'], instance: 'all' });
      await storage.transaction((tx) => tx.resources.replace(owner('usr_a'), ['j3', 'j1']));
      expect(await accessOf('usr_a')).toEqual({ job: ['j1', 'j3'], instance: 'all' });
      expect(await holders('j2')).toEqual([]);
      expect(await holders('j3')).toEqual(['usr_a']);

      // Every resource of the type replaces the ids, and ids replace every resource.
      await storage.transaction((tx) => tx.resources.replace(owner('usr_a'), 'all'));
      expect(await accessOf('usr_a')).toEqual({ job: 'all', instance: 'all' });
      expect(await holders('j1')).toEqual(['usr_a']);
      await storage.transaction((tx) => tx.resources.replace(owner('usr_a'), ['j4']));
      expect(await accessOf('usr_a')).toEqual({ job: ['j4'], instance: 'all' });
      expect(await holders('j1')).toEqual([]);

      await storage.transaction((tx) => tx.resources.replace(owner('usr_a', 'instance'), 'none'));
      expect(await accessOf('usr_a')).toEqual({ job: ['j4'] });
      await storage.transaction((tx) => tx.resources.replace(owner('usr_a'), []));
      expect(await storage.transaction((tx) => tx.resources.forUsers(['usr_a']))).toEqual(new Map());
    });

    it('keeps ids in code-point order, the order of a byte-wise collation', async () => {
      await storage.transaction((tx) => tx.resources.replace(owner('usr_a'), ['😀', '\uff5a', 'b', 'B', 'a']));
      expect(await accessOf('usr_a')).toEqual({ job: ['B', 'a', 'b', '\uff5a', '😀'] });
    });

    it('adds one grant, and none that a grant of every resource of the type already covers', async () => {
      const add = (resourceId: string | null) =>
        storage.transaction((tx) => tx.resources.add({ ...owner('usr_a'), resourceId }));
      expect(await add('j1')).toBe(true);
      expect(await add('j1')).toBe(false);
      expect(await add('j2')).toBe(true);
      expect(await accessOf('usr_a')).toEqual({ job: ['j1', 'j2'] });
      // Every resource of the type covers the ids: what the user holds is that one grant.
      expect(await add(null)).toBe(true);
      expect(await add(null)).toBe(false);
      expect(await add('j3')).toBe(false);
      expect(await accessOf('usr_a')).toEqual({ job: 'all' });
      expect(await holders('j3')).toEqual(['usr_a']);
      expect(
        await storage.transaction((tx) => tx.resources.remove({ userId: 'usr_a', type: 'job', resourceId: null })),
      ).toBe(true);
      expect(await accessOf('usr_a')).toBeUndefined();
    });

    it('removes one grant, and answers whether the user held it', async () => {
      const remove = (resourceId: string | null) =>
        storage.transaction((tx) => tx.resources.remove({ userId: 'usr_a', type: 'job', resourceId }));
      await storage.transaction((tx) => tx.resources.replace(owner('usr_a'), ['j1', 'j2']));
      expect(await remove('j1')).toBe(true);
      expect(await remove('j1')).toBe(false);
      expect(await remove(null)).toBe(false);
      expect(await accessOf('usr_a')).toEqual({ job: ['j2'] });
      await storage.transaction((tx) => tx.resources.replace(owner('usr_a'), 'all'));
      // Holding every resource of the type is not holding one id of it.
      expect(await remove('j2')).toBe(false);
      expect(await accessOf('usr_a')).toEqual({ job: 'all' });
      expect(await remove(null)).toBe(true);
      expect(await accessOf('usr_a')).toBeUndefined();
    });

    it('forgets a deleted resource in its organization only, counting the grants it removed', async () => {
      await storage.transaction(async (tx) => {
        await tx.resources.replace(owner('usr_a'), ['j1', 'j2']);
        await tx.resources.replace(owner('usr_b'), ['j1']);
        await tx.resources.replace(owner('usr_c'), 'all');
        await tx.resources.replace(owner('usr_d', 'job', 'org_b'), ['j1']);
        await tx.resources.replace(owner('usr_e', 'project'), ['j1']);
      });
      const forget = () =>
        storage.transaction((tx) => tx.resources.forget({ organizationId: 'org_a', type: 'job', resourceId: 'j1' }));
      expect(await forget()).toBe(2);
      expect(await forget()).toBe(0);
      expect(await holders('j1')).toEqual(['usr_c']);
      expect(await holders('j1', { org: 'org_b' })).toEqual(['usr_d']);
      expect(await holders('j1', { type: 'project' })).toEqual(['usr_e']);
      expect(await accessOf('usr_a')).toEqual({ job: ['j2'] });
      expect(await accessOf('usr_b')).toBeUndefined();
    });

    it('removes every grant of an erased user, and nobody else’s', async () => {
      await storage.transaction(async (tx) => {
        await tx.resources.replace(owner('usr_a'), ['j1']);
        await tx.resources.replace(owner('usr_a', 'instance'), 'all');
        await tx.resources.replace(owner('usr_b'), ['j1']);
      });
      await storage.transaction((tx) => tx.resources.removeForUser('usr_a'));
      const access = await storage.transaction((tx) => tx.resources.forUsers(['usr_a', 'usr_b']));
      expect(access).toEqual(new Map([['usr_b', { job: ['j1'] }]]));
      expect(await holders('j1')).toEqual(['usr_b']);
      expect(await holders('i1', { type: 'instance' })).toEqual([]);
    });

    it('reads the access of many users in one call, leaving out users without any', async () => {
      const userIds = Array.from({ length: 40 }, (_, index) => `usr_${index}`);
      const expected = new Map<string, ResourceAccess>();
      await storage.transaction(async (tx) => {
        for (const [index, userId] of userIds.entries()) {
          if (index % 4 === 3) continue;
          await tx.resources.replace(owner(userId), index % 2 === 0 ? 'all' : [`j${index}`, 'j0']);
          if (index % 3 === 0) await tx.resources.replace(owner(userId, 'instance'), [`i${index}`]);
          expected.set(userId, {
            job: index % 2 === 0 ? 'all' : ['j0', `j${index}`],
            ...(index % 3 === 0 ? { instance: [`i${index}`] } : {}),
          });
        }
      });
      const asked = [...userIds, 'usr_nobody', 'usr_1', 'usr_1'];
      expect(await storage.transaction((tx) => tx.resources.forUsers(asked))).toEqual(expected);
      expect(await storage.transaction((tx) => tx.resources.forUsers([]))).toEqual(new Map());
    });

    it.each(['ascending', 'descending'])(
      'pages through a resource’s holders by user id, every-resource holders once, granted in %s order',
      async (direction) => {
        const userIds = Array.from({ length: 14 }, (_, index) => `usr_${String(index).padStart(2, '0')}`);
        const granted = direction === 'ascending' ? userIds : [...userIds].reverse();
        await storage.transaction(async (tx) => {
          for (const [index, userId] of granted.entries()) {
            const kind = Number(userId.slice(4)) % 3;
            await tx.resources.add({ ...owner(userId), resourceId: kind === 0 ? null : kind === 1 ? 'j1' : 'j2' });
            // Noise that must never be seen: another organization, another type.
            if (index === 3) await tx.resources.replace(owner('usr_00x', 'job', 'org_b'), 'all');
            if (index === 4) await tx.resources.replace(owner('usr_01x', 'project'), 'all');
          }
          await tx.resources.replace(owner('usr_02x', 'job', 'org_b'), ['j1']);
        });
        const expected = userIds.filter((userId) => Number(userId.slice(4)) % 3 !== 2);
        const seen: string[] = [];
        let after: string | undefined;
        for (let pages = 0; pages < 20; pages++) {
          const page = await holders('j1', { after, limit: 3 });
          expect(page.length).toBeLessThanOrEqual(3);
          seen.push(...page);
          if (page.length < 3) break;
          after = page.at(-1);
        }
        expect(seen).toEqual(expected);
        // A cursor need not be a holder: the page starts after it all the same.
        expect(await holders('j1', { after: 'usr_05', limit: 2 })).toEqual(['usr_06', 'usr_07']);
        expect(await holders('j1', { limit: 0 })).toEqual([]);
      },
    );

    it('answers the holders of a widely held resource in pages, missing and repeating nobody', async () => {
      const count = 2_400;
      // Ids whose code-point order is not their order of creation.
      const userIds = Array.from({ length: count }, (_, index) => `usr_${((index * 7_919) % count).toString(36)}`);
      const expected: string[] = [];
      await storage.transaction(async (tx) => {
        for (const [index, userId] of userIds.entries()) {
          const access = [['shared', `r${index}`], [`r${index}`], ['shared'], 'all' as const][index % 4];
          await tx.resources.replace(owner(userId), access as 'all' | string[]);
          if (index % 4 !== 1) expected.push(userId);
          if (index % 12 === 0) await tx.resources.replace(owner(`elsewhere_${userId}`, 'job', 'org_b'), ['shared']);
        }
      });
      expected.sort(compareCodePoints);
      const seen: string[] = [];
      let after: string | undefined;
      for (let pages = 0; pages < 100; pages++) {
        const page = await holders('shared', { after, limit: 250 });
        seen.push(...page);
        if (page.length < 250) break;
        after = page.at(-1);
      }
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toEqual(expected);
    });
  });
}
