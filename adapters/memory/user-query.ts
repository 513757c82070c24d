import type { UserQuery } from '../../src/ports/storage.js';
import type { User } from '../../src/types.js';
import { compareSortKeys as compareKeys, userSearchText, userSortKey } from '../../src/user-order.js';

type Key = readonly (string | number)[];

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
  if (query.search && !userSearchText(user).includes(query.search)) return false;
  return true;
}

/** One page of `users` for `query`, in the query's order, starting strictly after `query.after`. */
export function runUserQuery(users: Iterable<User>, query: UserQuery): User[] {
  const direction = query.order === 'asc' ? 1 : -1;
  const keyed: { user: User; key: Key }[] = [];
  const after: Key | null = query.after ? [...query.after.values, query.after.id] : null;
  for (const user of users) {
    if (!matches(user, query)) continue;
    const key = [...userSortKey(user, query.sort), user.id];
    if (after && compareKeys(key, after) * direction <= 0) continue;
    keyed.push({ user, key });
  }
  keyed.sort((a, b) => compareKeys(a.key, b.key) * direction);
  return keyed.slice(0, query.limit).map(({ user }) => user);
}
