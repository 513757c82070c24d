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

/**
 * Normalizes a search string the way {@link userSearchText} folds the stored
 * texts (NFKC, lower case, accents dropped), without control characters and
 * trimmed; `undefined` when nothing is left. The core hands storage the result
 * as `UserQuery.search`.
 */
export function normalizeSearch(search: string | undefined): string | undefined {
  // Control characters never occur in names or addresses; dropping them keeps the search text's separator unmatched.
  const normalized = search === undefined ? '' : foldText(search.replace(/\p{Cc}/gu, '').trim());
  return normalized ? normalized : undefined;
}

/**
 * Text as searches compare it: compatibility forms unified (NFKC), lower
 * case, and accents dropped (decomposed, marks removed), so `edith` finds
 * `Édith` and `ÉDITH` finds `Edith`.
 */
export function foldText(text: string): string {
  return text.normalize('NFKC').toLowerCase().normalize('NFD').replace(/\p{M}/gu, '').normalize('NFC');
}

/**
 * What a user search looks in: first name, last name and email, folded
 * (NFKC, lower case, accents dropped), as `first last<US>email`. The
 * unit separator (U+001F) never occurs in a search text, so a match lies
 * within `first last` or within the email. Storage adapters store this text.
 */
export function userSearchText(user: { firstName: string; lastName: string; email: string }): string {
  return foldText(`${user.firstName} ${user.lastName}\u001f${user.email}`);
}

/**
 * Compares two texts by Unicode code point: the order of the databases'
 * byte-wise collations on UTF-8 (`COLLATE "C"`, SQLite's BINARY). JavaScript's
 * `<` compares UTF-16 units instead, which puts characters beyond U+FFFF
 * (emoji, say) before U+E000–U+FFFF (fullwidth forms, say).
 */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index++) {
    const left = a.charCodeAt(index);
    const right = b.charCodeAt(index);
    if (left === right) continue;
    const leftSurrogate = left >= 0xd800 && left <= 0xdfff;
    const rightSurrogate = right >= 0xd800 && right <= 0xdfff;
    // A surrogate starts a code point above U+FFFF, so it sorts after any other unit that differs.
    if (leftSurrogate !== rightSurrogate) return leftSurrogate ? 1 : -1;
    return left - right;
  }
  return a.length - b.length;
}

/**
 * Compares two sort keys (from {@link userSortKey}, then the id) field by
 * field: numbers as numbers, texts by Unicode code point, the order of
 * PostgreSQL's `COLLATE "C"` and SQLite's `BINARY` on UTF-8.
 */
export function compareSortKeys(a: readonly (string | number)[], b: readonly (string | number)[]): number {
  for (let index = 0; index < Math.max(a.length, b.length); index++) {
    const left = a[index];
    const right = b[index];
    if (left === right) continue;
    if (left === undefined) return -1;
    if (right === undefined) return 1;
    if (typeof left === 'number' && typeof right === 'number') return left - right;
    return compareCodePoints(String(left), String(right));
  }
  return 0;
}
