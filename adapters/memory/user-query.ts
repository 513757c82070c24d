import type { UserQuery, UserSortField } from '../../src/ports/storage.js';
import type { User } from '../../src/types.js';
import { compareSortKeys, userSearchText, userSortKey } from '../../src/user-order.js';

type Key = readonly (string | number)[];

/** A user in a sorted order, with the sort key and search text computed once, when the user was written. */
interface Entry {
  user: User;
  key: Key;
  search: string;
}

/** Whether an entry fits the query's filters (its search text is checked before, from the side-by-side texts). */
function matches(entry: Entry, query: UserQuery): boolean {
  const { user } = entry;
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

const entryOf = (user: User, sort: UserSortField): Entry => ({
  user,
  key: [...userSortKey(user, sort), user.id],
  search: userSearchText(user),
});

/** The first index whose key is above `key` (or at or above it, with `orEqual`). */
function firstAbove(entries: readonly Entry[], key: Key, orEqual = false): number {
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const order = compareSortKeys((entries[middle] as Entry).key, key);
    if (order < 0 || (order === 0 && !orEqual)) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * The users of each organization in every sort order, kept sorted as users
 * are written: a page is a binary search to the cursor and a walk that stops
 * at the page's end, not a sort of the whole organization. An order is built
 * the first time it is asked for.
 */
/** One sort order: the entries, and their search texts side by side, so a search scan reads strings only. */
interface Order {
  entries: Entry[];
  searches: string[];
}

export class SortedUsers {
  readonly #orders = new Map<string, Map<UserSortField, Order>>();

  constructor(private readonly membersOf: (organizationId: string) => Iterable<User>) {}

  /** One page for `query`, in its order, starting strictly after `query.after`. */
  page(query: UserQuery): User[] {
    const { entries, searches } = this.#order(query.organizationId, query.sort);
    const after: Key | null = query.after ? [...query.after.values, query.after.id] : null;
    const search = query.search ?? '';
    const page: User[] = [];
    const ascending = query.order === 'asc';
    // Ascending: from the first entry above the cursor up; descending: from the last one below it down.
    const start = ascending
      ? after
        ? firstAbove(entries, after)
        : 0
      : (after ? firstAbove(entries, after, true) : entries.length) - 1;
    const step = ascending ? 1 : -1;
    for (let index = start; index >= 0 && index < entries.length && page.length < query.limit; index += step) {
      if (search !== '' && (searches[index] as string).indexOf(search) === -1) continue;
      const entry = entries[index] as Entry;
      if (matches(entry, query)) page.push(entry.user);
    }
    return page;
  }

  /** Moves a written user in every order built so far (`previous` is the stored version it replaces). */
  written(previous: User | undefined, next: User): void {
    if (previous) {
      for (const [sort, { entries, searches }] of this.#orders.get(previous.organizationId) ?? []) {
        const at = firstAbove(entries, entryOf(previous, sort).key, true);
        if (entries[at]?.user.id !== previous.id) continue;
        entries.splice(at, 1);
        searches.splice(at, 1);
      }
    }
    for (const [sort, { entries, searches }] of this.#orders.get(next.organizationId) ?? []) {
      const entry = entryOf(next, sort);
      const at = firstAbove(entries, entry.key);
      entries.splice(at, 0, entry);
      searches.splice(at, 0, entry.search);
    }
  }

  /** Drops every order (after a rollback), to be built again from the tables when next asked for. */
  forget(): void {
    this.#orders.clear();
  }

  #order(organizationId: string, sort: UserSortField): Order {
    let orders = this.#orders.get(organizationId);
    if (!orders) {
      orders = new Map();
      this.#orders.set(organizationId, orders);
    }
    let order = orders.get(sort);
    if (!order) {
      const entries = [...this.membersOf(organizationId)].map((user) => entryOf(user, sort));
      entries.sort((a, b) => compareSortKeys(a.key, b.key));
      order = { entries, searches: entries.map((entry) => entry.search) };
      orders.set(sort, order);
    }
    return order;
  }
}
