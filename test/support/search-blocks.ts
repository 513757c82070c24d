import { describe, expect, it } from 'vitest';
import { memoryStorage } from '../../adapters/memory/storage.js';
import type {
  ResourceGrant,
  SearchIndexStorage,
  Storage,
  User,
  UserQuery,
  UserSortField,
} from '../../src/adapter-kit/index.js';
import { organizationRecord, userRecord } from '../../src/testing/index.js';
import { keysetOf, normalizeSearch } from '../../src/user-order.js';

const firstNames = ['Ada', 'Grace', 'Édith', 'Linus', 'Ken', 'Ωmega', 'Zoë'];
const lastNames = ['Lovelace', 'Hopper', 'Turing', 'Torvalds', 'Piaf', 'Ritchie', 'Ünal', 'Ωrion', '😀Smile'];

/** A storage with a search index. */
export type IndexedStorage = Storage & { searchIndex: SearchIndexStorage };

/** A company's users, names repeating so that terms match many, some beyond ASCII and beyond U+FFFF. */
function companyUsers(organizationId: string, count: number, seed: number): User[] {
  let state = seed;
  const next = (bound: number) => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    return state % bound;
  };
  return Array.from({ length: count }, (_, index) => {
    const firstName = firstNames[next(firstNames.length)] as string;
    const lastName = `${lastNames[next(lastNames.length)]}${next(40)}`;
    return userRecord(organizationId, {
      firstName,
      lastName,
      email: `${firstName}.${lastName}.${seed}.${index}@acme.test`.toLowerCase(),
      status: next(5) === 0 ? 'pending' : 'active',
      roles: next(4) === 0 ? ['basic'] : [],
      createdAt: new Date(Date.UTC(2026, 0, 1) + next(50) * 60_000),
    });
  });
}

const terms = [
  'lovelace',
  'hopper1',
  'torvalds3',
  'ωrion',
  '😀smile2',
  'zoë',
  'acme.test',
  'quixote',
  'ada hopper',
  'ün',
  'qx',
  'ur',
];
const orders: [UserSortField, 'asc' | 'desc'][] = [
  ['name', 'asc'],
  ['name', 'desc'],
  ['email', 'asc'],
  ['email', 'desc'],
  ['createdAt', 'asc'],
  ['createdAt', 'desc'],
];

const foldedLastName = (user: User) => normalizeSearch(user.lastName) as string;

/** The filters each search is paged with: statuses alone, and with a role, a creation time or a resource (narrowed). */
const filters = [
  { statuses: ['active', 'pending'] },
  { statuses: ['pending'] },
  { statuses: ['active'], roles: ['basic'] },
  { statuses: ['active', 'pending'], createdAfter: new Date(Date.UTC(2026, 0, 1) + 25 * 60_000) },
  { statuses: ['active', 'pending'], resource: { type: 'project', id: 'p1' } },
] as const;

/** Project p1 granted to one user in six by its id, and to one in fifty with every project. */
const projectGrants = (users: User[]) =>
  users.flatMap((user, index): ResourceGrant[] => {
    if (index % 6 === 0)
      return [{ organizationId: user.organizationId, userId: user.id, type: 'project', resourceId: 'p1' }];
    if (index % 50 === 1)
      return [{ organizationId: user.organizationId, userId: user.id, type: 'project', resourceId: null }];
    return [];
  });

/** Every page of a search, 60 at a time, following the cursor: the ids in order. */
async function allPages(storage: Storage, base: Omit<UserQuery, 'after' | 'limit'>): Promise<string[]> {
  const ids: string[] = [];
  let after: UserQuery['after'];
  for (;;) {
    const page = await storage.transaction((tx) => tx.users.query({ ...base, limit: 60, ...(after ? { after } : {}) }));
    ids.push(...page.map((user) => user.id));
    const last = page.at(-1);
    if (page.length < 60 || !last) return ids;
    after = keysetOf(last, base.sort);
  }
}

/** Writes the same change to both storages. */
async function both(
  storages: Storage[],
  change: (tx: Parameters<Parameters<Storage['transaction']>[0]>[0]) => Promise<void>,
) {
  for (const storage of storages) await storage.transaction(change);
}

/** A new storage holding one company of `count` users. */
export async function seeded(make: () => Promise<IndexedStorage>, count: number, seed: number) {
  const storage = await make();
  const organization = organizationRecord();
  const users = companyUsers(organization.id, count, seed);
  await storage.transaction(async (tx) => {
    await tx.organizations.insert(organization);
    await tx.users.insertMany(users);
  });
  return { storage, organization, users };
}

/**
 * The search blocks' contract on a storage that has them: every page as the
 * memory storage answers it, before and after changes since the build and
 * after a rebuild; blocks skipped by their filters; blocks forgotten when a
 * boundary user is erased.
 */
export function describeSearchBlocks(name: string, make: () => Promise<IndexedStorage>) {
  describe(`${name}: the search blocks`, () => {
    it('answer every page as the memory storage does, before and after users change since the build', async () => {
      const storage = await make();
      const reference = memoryStorage();
      const organization = organizationRecord();
      const users = companyUsers(organization.id, 1_500, 7);
      await both([storage, reference], async (tx) => {
        await tx.organizations.insert(organization);
        await tx.users.insertMany(users);
        for (const grant of projectGrants(users)) await tx.resources.add(grant);
      });
      expect(await storage.searchIndex.rebuild(organization.id)).toEqual({
        organizationId: organization.id,
        users: 1_500,
        changed: 0,
        built: true,
      });
      const compare = async () => {
        for (const term of terms) {
          for (const [sort, order] of orders) {
            for (const filter of filters) {
              const query = { organizationId: organization.id, search: normalizeSearch(term), sort, order, ...filter };
              const expected = await allPages(reference, query);
              expect(await allPages(storage, query), `${term} by ${sort} ${order}, ${JSON.stringify(filter)}`).toEqual(
                expected,
              );
            }
          }
        }
      };
      await compare();
      // Since the build: new users, renamed users whose block never held their new name, new addresses, another status.
      const added = companyUsers(organization.id, 60, 11).map((user, index) =>
        index % 3 === 0 ? { ...user, lastName: `Quixote${index}` } : user,
      );
      const changed = users.slice(0, 120).map((user, index) => {
        if (index % 3 === 0) return { ...user, lastName: `Quixote${index}`, firstName: 'Ada' };
        if (index % 3 === 1) return { ...user, email: `renamed.${index}@elsewhere.test` };
        return { ...user, status: 'pending' as const };
      });
      await both([storage, reference], async (tx) => {
        await tx.users.insertMany(added);
        for (const grant of projectGrants(added)) await tx.resources.add(grant);
        for (const user of changed) await tx.users.update(user);
      });
      const [state] = await storage.searchIndex.states(1);
      // Each added user, and each renamed or re-addressed one; a change of status alone leaves the blocks right.
      expect(state).toEqual({ organizationId: organization.id, users: 1_560, changed: 60 + 80, built: true });
      await compare();
      await storage.searchIndex.rebuild(organization.id);
      expect((await storage.searchIndex.states(1))[0]?.changed).toBe(0);
      await compare();
    }, 180_000);

    it('skip the blocks that lack a term, and search the users changed since apart', async () => {
      const { storage, organization, users } = await seeded(make, 1_280, 3);
      await storage.searchIndex.rebuild(organization.id);
      const query = (search: string): UserQuery => ({
        organizationId: organization.id,
        search,
        statuses: ['active', 'pending'],
        sort: 'name',
        order: 'asc',
        limit: 10,
      });
      expect(await storage.transaction((tx) => tx.users.query(query('quixote')))).toEqual([]);
      const renamed = { ...(users[640] as User), lastName: 'Quixote' };
      await storage.transaction((tx) => tx.users.update(renamed));
      const found = await storage.transaction((tx) => tx.users.query(query('quixote')));
      expect(found.map((user) => user.id)).toEqual([renamed.id]);
    });

    it('are forgotten when the first or last user of a block is erased, whose keys they hold', async () => {
      const { storage, organization, users } = await seeded(make, 300, 5);
      const byName = (search: string, limit = 500): UserQuery => ({
        organizationId: organization.id,
        search,
        statuses: ['active', 'pending'],
        sort: 'name',
        order: 'asc',
        limit,
      });
      const [first] = await storage.transaction((tx) => tx.users.query(byName('acme.test', 1)));
      const erase = (user: User) =>
        storage.transaction((tx) =>
          tx.users.update({
            ...user,
            erasedAt: new Date(),
            firstName: '',
            lastName: '',
            email: `${user.id}@erased.test`,
          }),
        );
      // The firsts and lasts of the blocks of 128 in each order, as a build cuts them.
      const boundaries = async () => {
        const ends = new Set<string>();
        for (const [sort] of orders.filter(([, order]) => order === 'asc')) {
          const all = await storage.transaction((tx) => tx.users.query({ ...byName('acme.test'), sort }));
          all.forEach((user, index) => {
            if (index % 128 === 0 || index % 128 === 127 || index === all.length - 1) ends.add(user.id);
          });
        }
        return ends;
      };
      await storage.searchIndex.rebuild(organization.id);
      const ends = await boundaries();
      const [middle, inside] = users.filter((user) => !ends.has(user.id) && user.lastName.startsWith('Piaf'));
      if (!middle || !inside) throw new Error('expected users inside blocks');
      // A user inside a block: the blocks stay; the erased user is no longer found.
      await erase(middle);
      expect((await storage.searchIndex.states(1))[0]?.built).toBe(true);
      const after = await storage.transaction((tx) => tx.users.query(byName('acme.test')));
      expect(after.map((user) => user.id)).not.toContain(middle.id);
      expect(after).toHaveLength(299);
      // The first user by name is the first of a block: erasing them forgets the organization's blocks.
      await erase(first as User);
      expect((await storage.searchIndex.states(1))[0]).toMatchObject({ built: false });
      expect(await storage.transaction((tx) => tx.users.query(byName(foldedLastName(inside))))).toContainEqual(
        expect.objectContaining({ id: inside.id }),
      );
      // A build skips erased users, so none of them is a block's first or last.
      expect(await storage.searchIndex.rebuild(organization.id)).toMatchObject({ users: 298 });
      const rebuiltEnds = await boundaries();
      const [another] = users.filter((user) => !rebuiltEnds.has(user.id) && ![middle.id, first?.id].includes(user.id));
      await erase(another as User);
      expect((await storage.searchIndex.states(1))[0]).toMatchObject({ built: true });
    });
  });
}
