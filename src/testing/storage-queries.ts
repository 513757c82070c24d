import {
  compareSortKeys,
  normalizeSearch,
  type Storage,
  type User,
  type UserQuery,
  type UserSortField,
  userSearchText,
  userSortKey,
} from '../adapter-kit/index.js';
import { at, organizationRecord, userRecord } from './records.js';
import type { MakeStorage } from './storage-contract.js';
import type { VitestApi } from './vitest-api.js';

const names = [
  ['Ada', 'Lovelace'],
  ['Grace', 'Hopper'],
  ['Alan', 'Turing'],
  ['Édith', 'Piaf'],
  ['Barbara', 'Liskov'],
  ['Ada', 'Byron'],
  // Beyond U+FFFF and in U+E000–U+FFFF: sorted by code point, as the databases sort UTF-8.
  ['Mia', '😀smile'],
  ['Zoë', '\uff5aeta'],
] as const;

export function describeQueryContract(vitest: VitestApi, name: string, makeStorage: MakeStorage): void {
  const { beforeAll, describe, expect, it } = vitest;
  describe(`${name} storage: user queries`, () => {
    let storage: Storage;
    const organization = organizationRecord();
    const users: User[] = [];

    beforeAll(async () => {
      storage = await makeStorage();
      for (let index = 0; index < 23; index++) {
        const [firstName, lastName] = names[index % names.length] as readonly [string, string];
        users.push(
          userRecord(organization.id, {
            firstName,
            lastName,
            email: `${firstName.toLowerCase()}.${lastName.toLowerCase()}${index}@Example.test`,
            // Several users share a creation time, so the id must break ties.
            createdAt: at(Math.floor(index / 3) * 60_000),
            status: index % 7 === 0 ? 'pending' : index % 5 === 0 ? 'disabled' : 'active',
            roles: index % 4 === 0 ? ['manager'] : ['basic'],
            permissions: index % 6 === 0 ? ['tickets.edit'] : [],
            erasedAt: index === 22 ? at(0) : null,
          }),
        );
      }
      const elsewhere = userRecord(organizationRecord().id, { firstName: 'Ada', lastName: 'Lovelace' });
      await storage.transaction(async (tx) => {
        await tx.organizations.insert(organization);
        for (const user of users) await tx.users.insert(user);
        await tx.users.insert(elsewhere);
      });
    });

    const everyone: UserQuery['statuses'] = ['pending', 'active', 'disabled'];
    const query = (fields: Partial<UserQuery>): Promise<User[]> =>
      storage.transaction((tx) =>
        tx.users.query({
          organizationId: organization.id,
          statuses: everyone,
          sort: 'createdAt',
          order: 'asc',
          limit: 200,
          ...fields,
        }),
      );
    const live = () => users.filter((user) => user.erasedAt === null);
    const ids = (list: User[]) => list.map((user) => user.id).sort();

    it('returns the organization’s users and never erased ones', async () => {
      expect(ids(await query({}))).toEqual(ids(live()));
    });

    it('filters by status, role, grant and creation window', async () => {
      expect(ids(await query({ statuses: ['pending'] }))).toEqual(ids(live().filter((u) => u.status === 'pending')));
      expect(ids(await query({ roles: ['manager'] }))).toEqual(ids(live().filter((u) => u.roles.includes('manager'))));
      const grants = { permissions: ['tickets.edit'], roles: ['manager'] };
      const holders = live().filter((u) => u.permissions.includes('tickets.edit') || u.roles.includes('manager'));
      expect(ids(await query({ grants }))).toEqual(ids(holders));
      const window = await query({ createdAfter: at(60_000), createdBefore: at(180_000) });
      const inWindow = live().filter((u) => u.createdAt >= at(60_000) && u.createdAt < at(180_000));
      expect(ids(window)).toEqual(ids(inWindow));
    });

    it.each([
      ['a first name', 'grace'],
      ['a last name', 'hopp'],
      ['a full name', 'ada byron'],
      ['an email', 'turing1'],
      ['an accented name', 'Édith'],
      ['an accented name, without its accent', 'edith'],
      ['a name in capitals', 'LOVELACE'],
    ])('searches a substring of %s, ignoring case and accents', async (_, text) => {
      // The core hands storage a normalized search text; storage matches it against the user's search text.
      const search = normalizeSearch(text) as string;
      const expected = live().filter((u) => userSearchText(u).includes(search));
      expect(expected.length).toBeGreaterThan(0);
      expect(ids(await query({ search }))).toEqual(ids(expected));
    });

    const orders: [UserSortField, 'asc' | 'desc'][] = [
      ['createdAt', 'asc'],
      ['createdAt', 'desc'],
      ['name', 'asc'],
      ['name', 'desc'],
      ['email', 'asc'],
      ['email', 'desc'],
    ];

    it.each(orders)('sorts by %s %s with the id as tie-breaker', async (sort, order) => {
      const key = (user: User) => [...userSortKey(user, sort), user.id];
      const direction = order === 'asc' ? 1 : -1;
      const expected = [...live()].sort((a, b) => compareSortKeys(key(a), key(b)) * direction);
      expect((await query({ sort, order })).map((u) => u.id)).toEqual(expected.map((u) => u.id));
    });

    it.each(orders)('walks every page of %s %s with no duplicate and no gap', async (sort, order) => {
      const seen: string[] = [];
      let after: UserQuery['after'];
      for (let pages = 0; pages < 10; pages++) {
        const page = await query({ sort, order, limit: 5, after });
        seen.push(...page.map((user) => user.id));
        const last = page.at(-1);
        if (page.length < 5 || !last) break;
        after = { values: userSortKey(last, sort), id: last.id };
      }
      expect(seen).toEqual((await query({ sort, order })).map((u) => u.id));
      expect(new Set(seen).size).toBe(live().length);
    });

    it('keeps its order as users are written between pages, and after a rolled-back write', async () => {
      const names = async () => (await query({ sort: 'name' })).map((user) => user.lastName);
      const before = await names();
      const grace = live().find((user) => user.lastName === 'Hopper') as User;
      const renamed = { ...grace, lastName: 'Aaronson' };
      await storage.transaction((tx) => tx.users.update(renamed));
      expect((await names())[0]).toBe('Aaronson');
      await expect(
        storage.transaction(async (tx) => {
          await tx.users.update({ ...renamed, lastName: 'Zeta' });
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      expect((await names())[0]).toBe('Aaronson');
      await storage.transaction((tx) => tx.users.update(grace));
      expect(await names()).toEqual(before);
    });
  });
}
