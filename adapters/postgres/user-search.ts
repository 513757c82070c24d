import type { SearchPage } from '../sql/dialect.js';
import type { Row } from '../sql/row-mapping.js';
import { addGrams, emptyFilter, filterLiteral, worthBlocks } from '../sql/search-grams.js';
import { blockOrders } from './search-blocks.js';

/** A LIKE pattern of `text` anywhere, its wildcards escaped. */
export const anywhere = (text: string): string => `%${text.replace(/[\\%_]/g, '\\$&')}%`;

/**
 * A page of a search: the ids of the page first, from the indexes alone where
 * the planner can, then their rows.
 *
 * Without search blocks (a company below `policy.searchIndex.fromUsers`, or
 * not yet built), or for a term of one or three
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
 * - the users written since the build (revision above it), through the
 *   revision index, filtered and sorted: as many as changed since, which
 *   `maintenance.refreshSearch` keeps below `policy.searchIndex.rebuildAfterChanges`.
 *
 * With a filter beyond status and cursor (roles, permissions, a resource,
 * creation), where the planner may rather start from the few users the filter
 * keeps, a statement read first (search-start.ts) finds the build's revision
 * and the first block that may hold a match, and the page is the statement
 * without blocks from that block's keys, bound as values, beside the users
 * written since (`fromStart`). A walk per block would probe each match's grants
 * or filter even where a resource has 100 holders: 25 to 204 ms, where the
 * planner starts from the holders in 1.5 to 8.
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
  const plain = `SELECT ${columns} FROM tenantry_users WHERE id IN (
      SELECT id FROM tenantry_users WHERE ${where} ORDER BY ${order} LIMIT ${size}
    ) AND current_schema() IS NOT NULL ORDER BY ${order} LIMIT ${size}`;
  if (!worthBlocks(addGrams(grams, search))) return plain;
  if (page.narrowed) return page.start ? fromStart(page, where, order, size, page.start) : plain;
  const organization = bind(page.organizationId);
  const built = `SELECT revision FROM tenantry_search_builds WHERE organization_id = ${organization}`;
  // An array, so that the page's rows are read by their ids: a set to join, the planner may scan the table for.
  return `SELECT ${columns} FROM tenantry_users WHERE id = ANY(ARRAY(
    (SELECT id FROM tenantry_users WHERE ${where} AND NOT EXISTS (${built}) ORDER BY ${order} LIMIT ${size})
    UNION ALL
    (${blockWalk(page, organization, filterLiteral(grams), size)})
    UNION ALL
    (${changedSince(page, where, order, size, built)})
  )) AND current_schema() IS NOT NULL ORDER BY ${order} LIMIT ${size}`;
}

/** The page's first matches among the users written since the build of revision `built` (a value or a subquery). */
function changedSince(page: SearchPage, where: string, order: string, size: string, built: string): string {
  return `SELECT id FROM (
       SELECT * FROM tenantry_users WHERE organization_id = ${page.bind(page.organizationId)}
         AND search_revision BETWEEN (${built}) + 1 AND ${Number.MAX_SAFE_INTEGER} OFFSET 0
     ) changed WHERE ${where} ORDER BY ${order} LIMIT ${size}`;
}

/**
 * A narrowed page from where `searchStart` found it starts (search-start.ts):
 * the statement without blocks from the first block's first keys, as values
 * the planner sees, and the users written since that build. With no block
 * that may hold a match, the users written since alone.
 */
function fromStart(page: SearchPage, where: string, order: string, size: string, start: Row): string {
  const { keys, bind, columns } = page;
  // A value the planner cannot see, as the build's revision is in the other parts: seen, it was estimated over every
  // company's revisions (nine in ten users above it in the million-user installation), and the table read.
  const built = `SELECT ${bind(String(start.revision))}::bigint`;
  const bound = startBound(page, start);
  const parts = [`(${changedSince(page, where, order, size, built)})`];
  if (bound !== undefined) {
    parts.unshift(`(SELECT id FROM tenantry_users WHERE ${where} AND (${keys.join(', ')}) ${bound}
      ORDER BY ${order} LIMIT ${size})`);
  }
  return `SELECT ${columns} FROM tenantry_users WHERE id = ANY(ARRAY(
    ${parts.join('\n    UNION ALL\n    ')}
  )) AND current_schema() IS NOT NULL ORDER BY ${order} LIMIT ${size}`;
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
 * Where a page in the listing's order starts from the first keys of the block
 * `searchStart` read (its last keys, descending), or `undefined` where no block
 * may hold a match.
 */
function startBound(page: SearchPage, start: Row): string | undefined {
  const { types } = blockOrders[page.sort];
  const values = types.map((_, index) => start[`k${index}`]);
  if (values[0] === null || values[0] === undefined) return undefined;
  const bound = values.map((value, index) => `${page.bind(value)}::${types[index]}`).join(', ');
  return `${page.direction === 'ASC' ? '>=' : '<='} (${bound})`;
}

/** A block row's columns as a row. */
const row = (columns: readonly string[]) => `(${columns.map((column) => `b.${column}`).join(', ')})`;

/** What {@link passing} reads of a page: its order, its cursor's keys, and how it binds a value. */
export type PassingPage = Pick<SearchPage, 'sort' | 'direction' | 'position' | 'bind'>;

/** The organization's blocks in the listing's order that may hold a match: every bit of the term, from the cursor's. */
export function passing(page: PassingPage, organization: string, grams: string): string {
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
