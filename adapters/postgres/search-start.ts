import type { UserQuery } from '../../src/adapter-kit/index.js';
import type { Parameters } from '../sql/dialect.js';
import { addGrams, emptyFilter, filterLiteral, worthBlocks } from '../sql/search-grams.js';
import { narrows } from '../sql/user-query.js';
import { blockOrders, exactTime } from './search-blocks.js';
import { passing } from './user-search.js';

/**
 * The statement read before a search page with a filter beyond status and
 * cursor (roles, permissions, a resource, creation dates): the company's build
 * revision, and the first block in the listing's order that may hold a match
 * (its first keys; its last, descending), or none.
 *
 * The page then starts its walk from those keys as values bound to the
 * statement (user-search.ts). The planner sees them, so it estimates the range
 * as it is. Given as a subquery, the bound was a value it could not see: it
 * guessed a third of the company and, with the resource filter, hashed every
 * grant and sorted every match after the bound (48 ms for a common term in the
 * million-user installation, where the walk from the bound as values takes
 * 2 ms and the statement without a bound 11 ms).
 *
 * Nothing is missed between the two statements: the page reads the users
 * written since the revision read here apart, and a user unchanged since is
 * in a block of that build, which passes if the user matches. A rebuild or an
 * erasure in between removes blocks, never users.
 */
export function postgresSearchStart(
  query: UserQuery,
  params: Parameters,
  position: string | undefined,
): string | undefined {
  if (!query.search || !narrows(query)) return undefined;
  const grams = emptyFilter();
  if (!worthBlocks(addGrams(grams, query.search))) return undefined;
  const direction = query.order === 'asc' ? 'ASC' : 'DESC';
  const order = blockOrders[query.sort];
  const bound = direction === 'ASC' ? order.first : order.last;
  const read = bound.map((column, index) => {
    const value = order.types[index] === 'timestamptz' ? exactTime(`b.${column}`) : `b.${column}`;
    return `${value} AS k${index}`;
  });
  const organization = params.bind(query.organizationId);
  const page = {
    sort: query.sort,
    direction,
    bind: params.bind,
    ...(position === undefined ? {} : { position }),
  } as const;
  return `SELECT s.revision::text AS revision, start.* FROM tenantry_search_builds s LEFT JOIN LATERAL (
      SELECT ${read.join(', ')} FROM tenantry_search_blocks b WHERE ${passing(page, organization, filterLiteral(grams))}
      ORDER BY b.position ${direction} LIMIT 1
    ) start ON true WHERE s.organization_id = ${organization}`;
}
