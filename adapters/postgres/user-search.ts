import type { SearchPage } from '../sql/dialect.js';

/** A LIKE pattern of `text` anywhere, its wildcards escaped. */
export const anywhere = (text: string): string => `%${text.replace(/[\\%_]/g, '\\$&')}%`;

/**
 * A page of a search, in one statement of two plans, of which one runs:
 *
 * - the first rows of the listing in its order (its filters but the search,
 *   from the cursor on, the sort index walked) are read, up to a window of
 *   1,000 (or 20 pages), and searched: when they hold a page of matches, or
 *   are all there is, that is the page;
 * - otherwise every match of the search (the trigram index, with the
 *   organization in it where btree_gin allowed migration 11 to build one) is
 *   read and the page sorted from them.
 *
 * The choice is a one-time filter on what the window found, so the second plan
 * runs only when the first failed; either plan gives the same page. Measured
 * with EXPLAIN ANALYZE at 100,000 users in one company: left to itself the
 * planner walks the sort index for a term it guesses common, and for one whose
 * matches sit together in the order but late (a surname by name: `hopper`, one
 * user in nine, from the 22,000th on; `torvalds` from the 78,000th) it walked
 * 22,000 rows (45 ms) or 78,000 (118 ms) for a page; reading every match from
 * the trigram index instead is bounded by how many there are (11,111 in
 * 16–18 ms), while a term everyone matches (the mail domain) is answered by the
 * window at once (0.5 ms), where every match would be 100,000 rows (110 ms).
 * A rare term costs the window's walk (about 2 ms) and then its few matches.
 * The candidates are materialized (ids and sort keys only) so the planner
 * cannot walk the sort index for them again; `current_schema()`, which
 * PostgreSQL may not call in a parallel worker, keeps the statement in one
 * process (it had planned parallel workers for the second plan, started even
 * when the plan did not run: 38 ms). Terms shorter than three characters have
 * no trigram, so the trigram index cannot serve them: the window is followed
 * by a walk.
 */
export function postgresSearchPage(page: SearchPage): string {
  const { columns, filters, keys, direction, search, limit, bind } = page;
  const window = Math.max(1_000, limit * 20);
  const order = keys.map((key) => `${key} ${direction}`).join(', ');
  const size = bind(limit);
  const term = bind(search);
  const where = filters.join(' AND ');
  const trigrams = search.length >= 3;
  const sortColumns = keys.map((key) => key.replace(' COLLATE "C"', '')).join(', ');
  const rest = trigrams
    ? `SELECT * FROM tenantry_users WHERE id IN (SELECT id FROM candidates ORDER BY ${order} LIMIT ${size})`
    : `SELECT * FROM tenantry_users WHERE NOT (SELECT found FROM window_verdict) AND ${where}
         AND strpos(search_text, ${term}) > 0
       ORDER BY ${order} LIMIT ${size}`;
  const candidates = trigrams
    ? `, candidates AS MATERIALIZED (
    SELECT ${sortColumns} FROM tenantry_users WHERE NOT (SELECT found FROM window_verdict) AND ${where}
      AND search_text LIKE ${bind(anywhere(search))}
  )`
    : '';
  return `WITH matched AS MATERIALIZED (
    SELECT * FROM (SELECT * FROM tenantry_users WHERE ${where} ORDER BY ${order} LIMIT ${window}) walked
    WHERE strpos(search_text, ${term}) > 0 ORDER BY ${order} LIMIT ${size}
  ), window_verdict AS (
    SELECT (SELECT count(*) FROM matched) >= ${size} AS found, current_schema() AS in_one_process
  )${candidates}
  SELECT ${columns} FROM (
    SELECT * FROM matched WHERE (SELECT found FROM window_verdict)
    UNION ALL
    (${rest})
  ) page ORDER BY ${order} LIMIT ${size}`;
}
