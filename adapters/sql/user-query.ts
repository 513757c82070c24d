import type { UserQuery } from '../../src/adapter-kit/index.js';
import { Parameters, type SearchPage, type SqlDialect, whereAll } from './dialect.js';
import type { Row } from './row-mapping.js';

/**
 * The columns a listing sorts by, holding exactly `userSortKey`'s values
 * (lower-cased by tenantry and compared by code point, as JavaScript does).
 */
const sortColumns: Record<UserQuery['sort'], string[]> = {
  createdAt: ['created_at'],
  name: ['last_name_key', 'first_name_key'],
  email: ['email_key'],
};

/** The column holding `userSearchText(user)`, which PostgreSQL's trigram index (migration 2) covers. */
export const searchText = 'search_text';

/**
 * Translates a user listing into one SQL statement and its parameters; `start`
 * is what the dialect's `searchStart` statement read before it, if it has one.
 */
export function userQuerySql(
  dialect: SqlDialect,
  query: UserQuery,
  columns: string,
  start?: Row | null,
): { text: string; params: unknown[] } {
  const params = new Parameters(dialect);
  const { bind, values } = params;
  const { where, keys, position } = listingConditions(dialect, query, params);
  const direction = query.order === 'asc' ? ('ASC' as const) : ('DESC' as const);
  if (query.search && dialect.searchPage) {
    const { search, limit, organizationId, sort } = query;
    const narrowed = narrows(query);
    const cursor = position === undefined ? {} : { position };
    const page = {
      columns,
      filters: where,
      keys,
      direction,
      search,
      limit,
      bind,
      organizationId,
      sort,
      narrowed,
      holding: holdingOf(query),
      rebind: () => listingConditions(dialect, query, params).where,
    };
    return {
      text: dialect.searchPage({ ...page, ...cursor, ...(start === undefined ? {} : { start }) }),
      params: values,
    };
  }
  if (query.search) where.push(dialect.contains(searchText, query.search, bind));
  const order = keys.map((key) => `${key} ${direction}`).join(', ');
  const text = `SELECT ${columns} FROM tenantry_users${whereAll(where)} ORDER BY ${order} LIMIT ${bind(query.limit)}`;
  return { text, params: values };
}

/**
 * Every condition of a listing but its search, with its values bound in
 * `params` in the order they appear: the organization, erasure, statuses,
 * roles, grants, creation, resource and the cursor's position.
 */
function listingConditions(dialect: SqlDialect, query: UserQuery, params: Parameters) {
  const { bind, date, list } = params;
  const where = [
    `organization_id = ${bind(query.organizationId)}`,
    'erased_at IS NULL',
    dialect.isAnyOf('status', list(query.statuses)),
  ];
  if (query.roles) where.push(dialect.overlaps('roles', list(query.roles)));
  if (query.grants) {
    const { permissions, roles } = query.grants;
    where.push(`(${dialect.overlaps('permissions', list(permissions))} OR ${dialect.overlaps('roles', list(roles))})`);
  }
  if (query.createdAfter) where.push(`created_at >= ${date(query.createdAfter)}`);
  if (query.createdBefore) where.push(`created_at < ${date(query.createdBefore)}`);
  if (query.resource) {
    // A semi-join: the planner walks the sort index and probes each user's grants, or starts from the few holders.
    const { type, id } = query.resource;
    where.push(
      `id IN (SELECT g.user_id FROM tenantry_resource_grants g WHERE g.organization_id = ${bind(query.organizationId)}
         AND g.type = ${bind(type)} AND (g.resource_id = ${bind(id)} OR g.resource_id IS NULL))`,
    );
  }
  const keys = [...sortColumns[query.sort], dialect.bytewise('id')];
  const position = cursorPosition(dialect, query, params);
  if (position !== undefined) where.push(`(${keys.join(', ')}) ${query.order === 'asc' ? '>' : '<'} ${position}`);
  return { where, keys, position };
}

/** What a listing's filters ask a user to hold: per filter of roles or grants, any of its roles or permissions. */
function holdingOf(query: UserQuery): SearchPage['holding'] {
  const holding: { roles: readonly string[]; permissions: readonly string[] }[] = [];
  if (query.roles) holding.push({ roles: query.roles, permissions: [] });
  if (query.grants) holding.push(query.grants);
  return holding;
}

/** Whether a filter beyond the status and the cursor narrows the listing (roles, grants, resource, creation). */
export const narrows = (query: UserQuery): boolean =>
  Boolean(query.roles || query.grants || query.resource || query.createdAfter || query.createdBefore);

/** The cursor's keys as a row of values bound with `params`, as they compare with the sort columns. */
export function cursorPosition(dialect: SqlDialect, query: UserQuery, params: Parameters): string | undefined {
  if (!query.after) return undefined;
  const byCreation = query.sort === 'createdAt';
  const cursorKeys = [...query.after.values, query.after.id].map((value, index) =>
    // A creation time's key is its epoch milliseconds; as a stored date it compares exactly with the column.
    byCreation && index === 0
      ? dialect.dateValue(params.date(new Date(Number(value))))
      : dialect.bytewiseValue(params.bind(value)),
  );
  return `(${cursorKeys.join(', ')})`;
}
