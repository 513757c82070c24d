import type { SearchPage } from '../sql/dialect.js';
import { addGrams, addHeld, emptyFilter, FILTER_BITS, mayHold, worthBlocks } from '../sql/search-grams.js';
import type { SqliteDatabase } from './connection.js';
import { blockKeys, firstColumns, lastColumns, sortIndexOf } from './search-blocks.js';

/** The function a search calls on each block's filter, registered on the connection by `registerSearchFunctions`. */
const mayHoldFunction = 'tenantry_block_may_hold';

const filterBytes = FILTER_BITS / 8;

/**
 * Registers `tenantry_block_may_hold(grams, term, group…)`: 1 where the
 * block's filter has every bit of the term's and, for each group (filters one
 * after another in one blob), every bit of one of the group's filters.
 */
export function registerSearchFunctions(database: Required<Pick<SqliteDatabase, 'function'>>): void {
  database.function(mayHoldFunction, { deterministic: true, varargs: true }, (...args: unknown[]) => {
    const [grams, term, ...groups] = args as Uint8Array[];
    if (!grams || !term || !mayHold(grams, term)) return 0;
    for (const group of groups) {
      let held = false;
      for (let at = 0; at < group.length && !held; at += filterBytes) held = mayHold(grams, group, at);
      if (!held) return 0;
    }
    return 1;
  });
}

/** A group's filters in one blob: one filter per role and per permission, any of which a user may hold. */
function groupFilter(group: SearchPage['holding'][number]): Buffer {
  const filters = [
    ...group.roles.map((role) => ['role', role] as const),
    ...group.permissions.map((permission) => ['permission', permission] as const),
  ].map(([kind, key]) => {
    const filter = emptyFilter();
    addHeld(filter, kind, key);
    return filter;
  });
  return Buffer.concat(filters);
}

/**
 * A page of a search on SQLite. The statement of migration 9 walks the sort
 * index from the cursor and checks each entry's search text (and status,
 * roles, permissions) in the index: fast where matches lie early, but at
 * 100,000 users a term nobody matches reads every entry (43 ms), as does a
 * common term whose matches lie late in the order (`torvalds` by name, 41 ms)
 * or one with a filter of a role nobody holds (89 ms).
 *
 * With the company's search blocks (search-blocks.ts) the page is the union of
 * three parts, each at most a page, written in the order their values are
 * bound; the build's presence and revision are conditions SQLite evaluates
 * once, so only the parts that apply read rows:
 *
 * - the users written since the build (revision above it), through the
 *   revision index, filtered and sorted;
 * - where the company has no build, the statement above;
 * - the users of the last build: its blocks in the listing's order, those whose
 *   filter may hold the term's grams and a role or permission of each such
 *   filter of the listing, each block's key range walked through the sort
 *   index. The blocks are the outer loop (`CROSS JOIN` keeps SQLite from
 *   turning it around), so the walk goes in the listing's order and stops at
 *   the page. A block the filter lacks costs one call of the function.
 *
 * A user in two parts (written since the build, and still within a block
 * that passes) is one row: the parts are a `UNION`. Each part binds the
 * listing's filters anew (`rebind`), as `?` placeholders cannot be repeated.
 */
export function sqliteSearchPage(page: SearchPage): string {
  const { columns, filters, keys, direction, search, limit, bind, organizationId } = page;
  const order = keys.map((key) => `${key} ${direction}`).join(', ');
  const grams = emptyFilter();
  if (!worthBlocks(addGrams(grams, search))) {
    return `SELECT ${columns} FROM tenantry_users WHERE ${filters.join(' AND ')} AND instr(search_text, ${bind(search)}) > 0
      ORDER BY ${order} LIMIT ${bind(limit)}`;
  }
  // The listing's filters were bound first, so the first part written is the one that reads them as they are.
  const changed = changedSince(page, order, filters);
  // A row only where the organization has no build: the outer loop, so without it the walk never starts.
  const noBuild = `SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM tenantry_search_builds WHERE owner_id = ${bind(organizationId)})`;
  const unbuilt = `SELECT found_id FROM (SELECT id AS found_id FROM (${noBuild}) CROSS JOIN tenantry_users
      WHERE ${page.rebind().join(' AND ')} AND instr(search_text, ${bind(search)}) > 0 ORDER BY ${order} LIMIT ${bind(limit)})`;
  const walked = blockWalk(page, grams, order);
  return `SELECT ${columns} FROM (${changed} UNION ${unbuilt} UNION ${walked})
    CROSS JOIN tenantry_users ON id = found_id ORDER BY ${order} LIMIT ${bind(limit)}`;
}

/** The page's first matches among the users of the last build, block by block in the listing's order. */
function blockWalk(page: SearchPage, grams: Uint8Array, order: string): string {
  const { keys, direction, search, limit, bind, organizationId, sort } = page;
  const sortKeys = blockKeys[sort];
  const sorted = `(${keys.join(', ')})`;
  const index = sortIndexOf(sort);
  const owner = bind(organizationId);
  const term = bind(Buffer.from(grams));
  const groups = page.holding.map((group) => `, ${bind(groupFilter(group))}`).join('');
  const filters = page.rebind();
  return `SELECT found_id FROM (SELECT id AS found_id FROM tenantry_search_blocks
      CROSS JOIN tenantry_users INDEXED BY ${index}
      WHERE owner_id = ${owner} AND sort_order = '${sort}' AND ${mayHoldFunction}(grams, ${term}${groups})
        AND ${filters.join(' AND ')} AND instr(search_text, ${bind(search)}) > 0
        AND ${sorted} >= (${firstColumns(sortKeys).join(', ')}) AND ${sorted} <= (${lastColumns(sortKeys).join(', ')})
      ORDER BY position ${direction}, ${order} LIMIT ${bind(limit)})`;
}

/** The page's first matches among the users written since the build, through the revision index. */
function changedSince(page: SearchPage, order: string, filters: readonly string[]): string {
  const { search, limit, bind, organizationId } = page;
  return `SELECT found_id FROM (SELECT id AS found_id FROM tenantry_users INDEXED BY tenantry_users_by_search_revision
      WHERE ${filters.join(' AND ')} AND instr(search_text, ${bind(search)}) > 0
        AND search_revision > (SELECT revision FROM tenantry_search_builds WHERE owner_id = ${bind(organizationId)})
      ORDER BY ${order} LIMIT ${bind(limit)})`;
}
