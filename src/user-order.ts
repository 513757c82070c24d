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
  // Control characters never occur in names or addresses; dropping them keeps the search text's separator unmatched.
  const normalized = search
    ?.replace(/\p{Cc}/gu, '')
    .trim()
    .normalize('NFKC')
    .toLowerCase();
  return normalized ? normalized : undefined;
}

/**
 * What a user search looks in: first name, last name and email, lower-cased,
 * as `first last<US>email`. The unit separator (U+001F) never occurs in a
 * search text, so a match lies within `first last` or within the email.
 * Storage adapters search this same text (SQL builds it with the same expression).
 */
export function userSearchText(user: { firstName: string; lastName: string; email: string }): string {
  return `${user.firstName} ${user.lastName}\u001f${user.email}`.toLowerCase();
}
