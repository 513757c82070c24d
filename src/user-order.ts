import type { UserKeyset, UserSortField } from './ports/storage.js';
import type { User } from './types.js';

/**
 * The values a user listing sorts by, before the id tie-breaker: `createdAt`
 * as epoch ms, `name` as lower-cased last then first name, `email` lower-cased.
 * Storage adapters order by exactly these; cursors carry them.
 */
export function userSortKey(
  user: Pick<User, 'createdAt' | 'firstName' | 'lastName' | 'email'>,
  sort: UserSortField,
): (string | number)[] {
  switch (sort) {
    case 'createdAt':
      return [user.createdAt.getTime()];
    case 'name':
      return [user.lastName.toLowerCase(), user.firstName.toLowerCase()];
    case 'email':
      return [user.email.toLowerCase()];
  }
}

/** The keyset position just after a user. */
export function keysetOf(user: User, sort: UserSortField): UserKeyset {
  return { values: userSortKey(user, sort), id: user.id };
}

/** Lower-cases and normalizes a search string the way stored names are compared. */
export function normalizeSearch(search: string | undefined): string | undefined {
  const normalized = search?.trim().normalize('NFKC').toLowerCase();
  return normalized ? normalized : undefined;
}
