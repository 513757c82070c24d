import type { SearchPage } from '../sql/dialect.js';
import { blockOrders } from './search-blocks.js';
import { addGrams, emptyFilter, filterLiteral, type GramBits } from './search-grams.js';

/** A LIKE pattern of `text` anywhere, its wildcards escaped. */
export const anywhere = (text: string): string => `%${text.replace(/[\\%_]/g, '\\$&')}%`;

/**
 * A page of a search: the ids of the page first, from the indexes alone where
 * the planner can, then their rows.
 *
 * Without search blocks (a company below `policy.searchIndex.fromUsers`, or
 * not yet built), with the resource filter, or for a term of one or three
 * characters (see `worthBlocks`), the planner chooses between two ways, as
 * before migration 14:
 *
 * - walking the listing's sort index from the cursor and keeping the users who
 *   match, for a term it expects many to match. Migration 13 made that walk
 *   index-only: the sort indexes hold every column a filter or the search
 *   reads (status, erasure, search text, permissions, roles);
 * - reading every match through the trigram index (scoped to the organization
 *   where btree_gin allowed migration 11) and sorting them, for a term it
 *   expects few to match.
 *
 * Neither serves a common term whose matches lie together late in the order:
 * `torvalds` by name, from the 78,000th of 100,000 users, is a walk of 78,000
 * entries (30 to 60 ms between runs on a two-core machine), or 11,111 matches
 * read through the trigram index (19 ms before sorting). The walk's cost is
 * reading entries, not its filter: 100,000 entries that nobody passes take
 * 21 ms whatever the filter.
 *
 * With the company's search blocks (search-blocks.ts) the page is the union of
 * three parts, each at most a page, and `NOT EXISTS` and the build's revision
 * are one-time conditions, so only the parts that apply run:
 *
 * - no build: the statement above;
 * - the users of the last build: its blocks in the listing's order from the
 *   cursor, skipping each whose filter lacks a bit of the term's bigrams and
 *   trigrams, each other
 *   block's key range walked through the sort index; an incremental sort by
 *   block stops at the page. By name at 100,000 users, `torvalds` passes over
 *   the 607 blocks before its matches by their filters alone and walks 3
 *   (180 index entries): 2.6 to 4 ms where the statement above took 27 to 46;
 *   With a filter beyond status and cursor (roles, permissions, creation),
 *   where the planner may rather start from the few users the
 *   filter keeps, this part is the statement without blocks, bounded to start
 *   at the first block that may hold a match (`fromFirstBlock`);
 * - the users written since the build (revision above it), through the
 *   revision index, filtered and sorted: as many as changed since, which
 *   `maintenance.refreshSearch` keeps below `policy.searchIndex.rebuildAfterChanges`.
 *
 * The page's rows are read by an array of ids (a set to join, the planner may
 * scan the table for), and `current_schema()`, which PostgreSQL may not call
 * in a parallel worker, keeps the statement in one process: workers cost more
 * to start than such a page takes.
 */
export function postgresSearchPage(page: SearchPage): string {
  const { columns, filters, keys, direction, search, limit, bind } = page;
  const order = keys.map((key) => `${key} ${direction}`).join(', ');
  const size = bind(limit);
  const grams = emptyFilter();
  const matching = `search_text LIKE ${bind(anywhere(search))}`;
  const where = [...filters, matching].join(' AND ');
  // With the resource filter's semi-join, a bound the planner cannot see made it hash the grants and sort every
  // match after it (63 ms in the million-user installation, where the plain statement takes 21 ms).
  if (!worthBlocks(addGrams(grams, search)) || page.byResource) {
    return `SELECT ${columns} FROM tenantry_users WHERE id IN (
      SELECT id FROM tenantry_users WHERE ${where} ORDER BY ${order} LIMIT ${size}
    ) AND current_schema() IS NOT NULL ORDER BY ${order} LIMIT ${size}`;
  }
  const organization = bind(page.organizationId);
  const built = `SELECT revision FROM tenantry_search_builds WHERE organization_id = ${organization}`;
  // An array, so that the page's rows are read by their ids: a set to join, the planner may scan the table for.
  return `SELECT ${columns} FROM tenantry_users WHERE id = ANY(ARRAY(
    (SELECT id FROM tenantry_users WHERE ${where} AND NOT EXISTS (${built}) ORDER BY ${order} LIMIT ${size})
    UNION ALL
    (${page.narrowed ? fromFirstBlock(page, where, organization, filterLiteral(grams), size) : blockWalk(page, organization, filterLiteral(grams), size)})
    UNION ALL
    (SELECT id FROM (
       SELECT * FROM tenantry_users WHERE organization_id = ${organization}
         AND search_revision BETWEEN (${built}) + 1 AND ${Number.MAX_SAFE_INTEGER} OFFSET 0
     ) changed WHERE ${where} ORDER BY ${order} LIMIT ${size})
  )) AND current_schema() IS NOT NULL ORDER BY ${order} LIMIT ${size}`;
}

/**
 * Whether the blocks serve a term better than the statement without them: a
 * term of two trigrams or more (four characters or more), which a block passes
 * by chance only where both bits are set; and a term of two characters, which
 * has no trigram for the trigram index and is walked either way, the blocks
 * passing over those that lack its pair. A term of three characters, one
 * trigram, passes too many blocks by chance where the trigram index reads its
 * few matches, and one character has no bit at all.
 */
function worthBlocks(bits: GramBits): boolean {
  return bits.trigrams >= 2 || (bits.trigrams === 0 && bits.bigrams >= 1);
}

/**
 * The page's first matches among the users of the organization's last build:
 * its blocks in the listing's order (from the cursor's), those whose filter
 * has every bit of the term, each walked over its key range through the sort
 * index. `strpos` rather than LIKE, so the walk is never served by the trigram index.
 */
function blockWalk(page: SearchPage, organization: string, grams: string, size: string): string {
  const { filters, keys, direction, search, bind } = page;
  const blocks = blockOrders[page.sort];
  const sorted = `(${keys.join(', ')})`;
  const found = keys.map((key, index) => `${key} AS k${index}`).join(', ');
  const inner = keys.map((key) => `${key} ${direction}`).join(', ');
  const outer = keys.map((_, index) => `found.k${index} ${direction}`).join(', ');
  return `SELECT found.id FROM tenantry_search_blocks b CROSS JOIN LATERAL (
      SELECT id, ${found} FROM tenantry_users
      WHERE ${filters.join(' AND ')} AND strpos(search_text, ${bind(search)}) > 0
        AND ${sorted} >= ${row(blocks.first)} AND ${sorted} <= ${row(blocks.last)}
      ORDER BY ${inner} LIMIT ${size}
    ) found
    WHERE ${passing(page, organization, grams)}
    ORDER BY b.position ${direction}, ${outer} LIMIT ${size}`;
}

/**
 * With a filter beyond status and cursor, the page among the users of the
 * last build as the statement without blocks finds it (the planner may start
 * from the few users a filter keeps), from the first block in the listing's
 * order that may hold a match: a walk passes over the users before it.
 */
function fromFirstBlock(page: SearchPage, where: string, organization: string, grams: string, size: string): string {
  const { keys, direction } = page;
  const blocks = blockOrders[page.sort];
  const [bound, comparison] = direction === 'ASC' ? [blocks.first, '>='] : [blocks.last, '<='];
  const start = `SELECT ${bound.map((column) => `b.${column}`).join(', ')} FROM tenantry_search_blocks b
      WHERE ${passing(page, organization, grams)} ORDER BY b.position ${direction} LIMIT 1`;
  const order = keys.map((key) => `${key} ${direction}`).join(', ');
  return `SELECT id FROM tenantry_users WHERE ${where} AND (${keys.join(', ')}) ${comparison} (${start})
    ORDER BY ${order} LIMIT ${size}`;
}

/** A block row's columns as a row. */
const row = (columns: readonly string[]) => `(${columns.map((column) => `b.${column}`).join(', ')})`;

/** The organization's blocks in the listing's order that may hold a match: every bit of the term, from the cursor's. */
function passing(page: SearchPage, organization: string, grams: string): string {
  const { direction, bind, position } = page;
  const blocks = blockOrders[page.sort];
  const filter = bind(grams);
  const conditions = [
    `b.organization_id = ${organization}`,
    `b.sort_key = '${page.sort}'`,
    `(b.grams & ${filter}::bit(8192)) = ${filter}::bit(8192)`,
  ];
  if (position !== undefined) {
    conditions.push(direction === 'ASC' ? `${row(blocks.last)} > ${position}` : `${row(blocks.first)} < ${position}`);
  }
  return conditions.join(' AND ');
}
