import {
  compareSortKeys,
  type User,
  type UserQuery,
  type UserSortField,
  userSearchText,
  userSortKey,
} from '../../src/adapter-kit/index.js';
import { ChunkedOrder, type OrderEntry, type SortKey } from './chunked-order.js';
import type { ResourceHolders } from './resource-grants.js';

/** Where the sorted orders read users from: the tables, and the holders index of resource grants. */
export interface UserSource {
  membersOf(organizationId: string): Iterable<User>;
  /** How many users the organization holds (erased ones too). */
  memberCount(organizationId: string): number;
  user(id: string): User | undefined;
  /** The users with access to a resource; undefined when nobody has it. */
  holdersOf(organizationId: string, resource: { type: string; id: string }): ResourceHolders | undefined;
}

/**
 * Whether a page of a resource's holders is cheaper found from the holders
 * (about `holders` users to check, then sort) than from the order (about
 * `limit × members / holders` entries walked before the page is full).
 */
const walksHolders = (holders: number, limit: number, members: number) => holders * holders <= limit * members;

/** Whether a user fits the query's filters but its search (which the order's scan checks before). */
function matches(user: User, query: UserQuery): boolean {
  if (user.erasedAt !== null || !query.statuses.includes(user.status)) return false;
  if (query.roles && !query.roles.some((role) => user.roles.includes(role))) return false;
  if (query.grants) {
    const { permissions, roles } = query.grants;
    const holds =
      permissions.some((key) => user.permissions.includes(key)) || roles.some((key) => user.roles.includes(key));
    if (!holds) return false;
  }
  const created = user.createdAt.getTime();
  if (query.createdAfter && created < query.createdAfter.getTime()) return false;
  if (query.createdBefore && created >= query.createdBefore.getTime()) return false;
  return true;
}

const entryOf = (user: User, sort: UserSortField): OrderEntry => ({
  user,
  key: [...userSortKey(user, sort), user.id],
  search: userSearchText(user),
});

/**
 * The users of each organization in every sort order, kept sorted as users
 * are written: a page is a binary search to the cursor and a walk that stops
 * at the page's end, not a sort of the whole organization. An order is built
 * the first time it is asked for.
 */
export class SortedUsers {
  readonly #orders = new Map<string, Map<UserSortField, ChunkedOrder>>();

  constructor(private readonly source: UserSource) {}

  /**
   * One page for `query`, in its order, starting strictly after `query.after`.
   * With a resource filter, from the resource's holders when they are few,
   * else from the order, passing over whoever lacks access.
   */
  page(query: UserQuery): User[] {
    const holders = query.resource && this.source.holdersOf(query.organizationId, query.resource);
    if (query.resource && !holders) return [];
    if (holders && walksHolders(holders.size, query.limit, this.source.memberCount(query.organizationId))) {
      return this.#pageOfHolders(query, holders);
    }
    const order = this.#order(query.organizationId, query.sort);
    const after: SortKey | null = query.after ? [...query.after.values, query.after.id] : null;
    const page: User[] = [];
    order.scan(after, query.order === 'asc', query.search ?? '', (entry) => {
      if (matches(entry.user, query) && (!holders || holders.has(entry.user.id))) page.push(entry.user);
      return page.length < query.limit;
    });
    return page;
  }

  /**
   * One page for `query` from the holders of its resource: each checked (the
   * search text folded only when searching), the page kept sorted as it
   * fills, so that most holders cost one comparison with its last entry.
   */
  #pageOfHolders(query: UserQuery, holders: ResourceHolders): User[] {
    const after: SortKey | null = query.after ? [...query.after.values, query.after.id] : null;
    const direction = query.order === 'asc' ? 1 : -1;
    const page: { user: User; key: SortKey }[] = [];
    if (query.limit <= 0) return [];
    for (const id of holders.ids()) {
      const user = this.source.user(id);
      if (!user || user.organizationId !== query.organizationId || !matches(user, query)) continue;
      if (query.search && !userSearchText(user).includes(query.search)) continue;
      const key: SortKey = [...userSortKey(user, query.sort), user.id];
      if (after && compareSortKeys(key, after) * direction <= 0) continue;
      const last = page.at(-1);
      if (page.length === query.limit && last && compareSortKeys(key, last.key) * direction >= 0) continue;
      let low = 0;
      let high = page.length;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if (compareSortKeys((page[middle] as (typeof page)[number]).key, key) * direction < 0) low = middle + 1;
        else high = middle;
      }
      page.splice(low, 0, { user, key });
      if (page.length > query.limit) page.pop();
    }
    return page.map((entry) => entry.user);
  }

  /** Moves a written user in every order built so far (`previous` is the stored version it replaces). */
  written(previous: User | undefined, next: User): void {
    if (previous) {
      for (const [sort, order] of this.#orders.get(previous.organizationId) ?? []) {
        order.remove(entryOf(previous, sort).key, previous.id);
      }
    }
    for (const [sort, order] of this.#orders.get(next.organizationId) ?? []) order.insert(entryOf(next, sort));
  }

  /** Drops every order (after a rollback), to be built again from the tables when next asked for. */
  forget(): void {
    this.#orders.clear();
  }

  #order(organizationId: string, sort: UserSortField): ChunkedOrder {
    let orders = this.#orders.get(organizationId);
    if (!orders) {
      orders = new Map();
      this.#orders.set(organizationId, orders);
    }
    let order = orders.get(sort);
    if (!order) {
      const entries = [...this.source.membersOf(organizationId)].map((user) => entryOf(user, sort));
      entries.sort((a, b) => compareSortKeys(a.key, b.key));
      order = new ChunkedOrder(entries);
      orders.set(sort, order);
    }
    return order;
  }
}
