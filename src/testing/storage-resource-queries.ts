import {
  compareSortKeys,
  normalizeSearch,
  type Storage,
  type StorageTransaction,
  type User,
  type UserQuery,
  type UserSortField,
  userSearchText,
  userSortKey,
} from '../adapter-kit/index.js';
import { at, organizationRecord, userRecord } from './records.js';
import type { MakeStorage } from './storage-contract.js';
import type { VitestApi } from './vitest-api.js';

const names = ['Lovelace', 'Hopper', 'Turing', 'Piaf', 'Liskov', 'Byron', '😀smile'] as const;

const orders: [UserSortField, 'asc' | 'desc'][] = [
  ['createdAt', 'asc'],
  ['createdAt', 'desc'],
  ['name', 'asc'],
  ['name', 'desc'],
  ['email', 'asc'],
  ['email', 'desc'],
];

/** User listings narrowed to a resource's holders, and grants rolled back with their transaction. */
export function describeResourceQueryContract(vitest: VitestApi, name: string, makeStorage: MakeStorage): void {
  const { beforeAll, describe, expect, it } = vitest;
  describe(`${name} storage: user queries by resource`, () => {
    let storage: Storage;
    const organization = organizationRecord();
    const other = organizationRecord();
    const users: User[] = [];
    /** Who holds `job` `j1`: its id, or every job. */
    const holders = new Set<string>();

    beforeAll(async () => {
      storage = await makeStorage();
      for (let index = 0; index < 21; index++) {
        users.push(
          userRecord(organization.id, {
            firstName: index % 2 === 0 ? 'Ada' : 'Grace',
            lastName: names[index % names.length] as string,
            email: `user${(index * 5) % 21}@example.test`,
            createdAt: at(Math.floor(index / 3) * 60_000),
            status: index % 5 === 0 ? 'disabled' : 'active',
            roles: index % 3 === 0 ? ['manager'] : ['basic'],
            erasedAt: index === 20 ? at(0) : null,
          }),
        );
      }
      const stranger = userRecord(other.id, { firstName: 'Ada', lastName: 'Lovelace' });
      await storage.transaction(async (tx) => {
        await tx.organizations.insert(organization);
        await tx.organizations.insert(other);
        for (const user of [...users, stranger]) await tx.users.insert(user);
        for (const [index, user] of users.entries()) {
          const owner = { organizationId: organization.id, userId: user.id, type: 'job' };
          // Nine holders of j1 (one of them erased): five by its id, four by every job; others hold j2 or nothing.
          if (index % 5 === 1 || index === 20) await tx.resources.replace(owner, ['j1', 'j9']);
          else if (index % 5 === 3) await tx.resources.replace(owner, 'all');
          else if (index % 5 === 2) await tx.resources.replace(owner, ['j2']);
          if (index % 7 === 0) await tx.resources.replace({ ...owner, type: 'project' }, ['j1']);
          if ((index % 5 === 1 || index % 5 === 3 || index === 20) && user.erasedAt === null) holders.add(user.id);
        }
        await tx.resources.replace({ organizationId: other.id, userId: stranger.id, type: 'job' }, 'all');
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
          resource: { type: 'job', id: 'j1' },
          limit: 200,
          ...fields,
        }),
      );
    const sorted = (list: User[], sort: UserSortField, order: 'asc' | 'desc') => {
      const key = (user: User) => [...userSortKey(user, sort), user.id];
      return [...list].sort((a, b) => compareSortKeys(key(a), key(b)) * (order === 'asc' ? 1 : -1)).map((u) => u.id);
    };
    const holding = () => users.filter((user) => holders.has(user.id));

    it.each(orders)(
      'lists only the users with access to a resource, by %s %s, page after page',
      async (sort, order) => {
        const expected = sorted(holding(), sort, order);
        expect(expected).toHaveLength(8);
        expect((await query({ sort, order })).map((user) => user.id)).toEqual(expected);
        // Pages small and large, as a storage may find them differently (from the holders, or along the order).
        for (const limit of [3, 5]) {
          const seen: string[] = [];
          let after: UserQuery['after'];
          for (let pages = 0; pages < 10; pages++) {
            const page = await query({ sort, order, limit, after });
            seen.push(...page.map((user) => user.id));
            const last = page.at(-1);
            if (page.length < limit || !last) break;
            after = { values: userSortKey(last, sort), id: last.id };
          }
          expect(seen).toEqual(expected);
        }
      },
    );

    it('combines the resource with every other filter', async () => {
      const ids = (list: User[]) => list.map((user) => user.id).sort();
      const active = holding().filter((user) => user.status === 'active');
      expect(ids(await query({ statuses: ['active'] }))).toEqual(ids(active));
      const managers = holding().filter((user) => user.roles.includes('manager'));
      expect(managers.length).toBeGreaterThan(0);
      expect(ids(await query({ roles: ['manager'] }))).toEqual(ids(managers));
      expect(ids(await query({ grants: { permissions: [], roles: ['manager'] } }))).toEqual(ids(managers));
      const search = normalizeSearch('GRACE') as string;
      const graces = holding().filter((user) => userSearchText(user).includes(search));
      expect(graces.length).toBeGreaterThan(0);
      expect(ids(await query({ search, sort: 'name' }))).toEqual(ids(graces));
      const window = holding().filter((user) => user.createdAt >= at(60_000) && user.createdAt < at(240_000));
      expect(ids(await query({ createdAfter: at(60_000), createdBefore: at(240_000) }))).toEqual(ids(window));
    });

    it('finds the holders of an id by that id, and of another id of the type by every resource of it', async () => {
      const everyJob = users.filter((_, index) => index % 5 === 3).map((user) => user.id);
      expect((await query({ resource: { type: 'job', id: 'j404' } })).map((user) => user.id).sort()).toEqual(
        everyJob.sort(),
      );
      const projects = users.filter((user, index) => index % 7 === 0 && user.erasedAt === null);
      const byProject = await query({ resource: { type: 'project', id: 'j1' } });
      expect(byProject.map((user) => user.id).sort()).toEqual(projects.map((user) => user.id).sort());
      expect(await query({ resource: { type: 'instance', id: 'j1' } })).toEqual([]);
    });

    it('rolls back every grant write with the rest of a failed transaction', async () => {
      const user = (index: number) => (users[index] as User).id;
      const owner = (index: number) => ({ organizationId: organization.id, userId: user(index), type: 'job' });
      const state = (tx: StorageTransaction) =>
        Promise.all([
          tx.resources.forUsers(users.map((each) => each.id)),
          tx.resources.holders({ organizationId: organization.id, type: 'job', resourceId: 'j1', limit: 50 }),
          tx.users.query({
            organizationId: organization.id,
            statuses: everyone,
            sort: 'name',
            order: 'asc',
            resource: { type: 'job', id: 'j1' },
            limit: 50,
          }),
        ]);
      const before = await storage.transaction(state);
      const failure = new Error('boom');
      const attempt = storage.transaction(async (tx) => {
        await tx.resources.replace(owner(1), 'none');
        await tx.resources.replace(owner(6), ['j7']);
        await tx.resources.add({ ...owner(0), resourceId: 'j1' });
        await tx.resources.add({ ...owner(4), resourceId: null });
        await tx.resources.remove({ userId: user(3), type: 'job', resourceId: null });
        await tx.resources.forget({ organizationId: organization.id, type: 'job', resourceId: 'j9' });
        await tx.resources.removeForUser(user(8));
        // Within the transaction the writes show, in every read.
        const during = await state(tx);
        expect(during[1]).not.toEqual(before[1]);
        expect(during[2].map((each) => each.id)).not.toEqual(before[2].map((each) => each.id));
        throw failure;
      });
      await expect(attempt).rejects.toBe(failure);
      expect(await storage.transaction(state)).toEqual(before);
    });
  });
}
