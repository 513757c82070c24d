import type { SearchPage } from '../sql/dialect.js';

/** A LIKE pattern of `text` anywhere, its wildcards escaped. */
export const anywhere = (text: string): string => `%${text.replace(/[\\%_]/g, '\\$&')}%`;

/**
 * A page of a search: the ids of the page first, from the indexes alone where
 * the planner can, then their rows.
 *
 * The planner chooses between two ways to find the ids:
 *
 * - walking the listing's sort index from the cursor and keeping the users who
 *   match, for a term it expects many to match. Migration 13 made that walk
 *   index-only: the sort indexes hold every column a filter or the search
 *   reads (status, erasure, search text, permissions, roles), so no table row
 *   is read but the page's own;
 * - reading every match through the trigram index (scoped to the organization
 *   where btree_gin allowed migration 11) and sorting them, for a term it
 *   expects few to match.
 *
 * Measured with EXPLAIN ANALYZE at 100,000 users in one company, quiet: the
 * index-only walk reads 2 to 5 entries a microsecond, where reading each
 * walked user's row, as before migration 13, was about 1 µs. A term one user
 * in nine matches from the 22,000th user on by name (`hopper`) takes 11 ms
 * (45 ms before), the mail domain everyone matches 0.4 ms, a rare term 2 ms
 * through the trigram index. What is left is a common term whose matches sit
 * together late in the order: `torvalds` by name, from the 78,000th user, is a
 * walk of 78,000 entries (about 30 ms). Neither way gets that page under
 * 20 ms on a two-core machine. The walk's cost is reading entries, not its
 * filter: 100,000 entries with a filter nobody passes take 21 ms, whether it
 * is the LIKE or a test of erasure, and an index holding only the search
 * text walked `torvalds` in 16 to 20 ms. Reading its 11,111 matches through
 * the trigram index takes 19 ms before sorting (5 ms in the index, 13 ms on the
 * 4,338 table pages they lie on). Postings kept in the listing's order would
 * answer it, but GIN keeps them by row address, and a table of them would hold
 * about 50 trigrams for each user in each of the three orders. An
 * earlier version that walked a window first and then read every match cost
 * more for every other term. `current_schema()`, which PostgreSQL may not call
 * in a parallel worker, keeps the statement in one process: workers cost more
 * to start than such a page takes. Terms shorter than three characters have
 * no trigram, so they are always walked.
 */
export function postgresSearchPage(page: SearchPage): string {
  const { columns, filters, keys, direction, search, limit, bind } = page;
  const order = keys.map((key) => `${key} ${direction}`).join(', ');
  const size = bind(limit);
  return `SELECT ${columns} FROM tenantry_users WHERE id IN (
    SELECT id FROM tenantry_users WHERE ${filters.join(' AND ')} AND search_text LIKE ${bind(anywhere(search))}
    ORDER BY ${order} LIMIT ${size}
  ) AND current_schema() IS NOT NULL ORDER BY ${order} LIMIT ${size}`;
}
