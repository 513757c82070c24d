import type { UserQuery } from '../../src/ports/storage.js';

/** The SQL expressions a listing sorts by, matching `userSortKey` (byte-wise order, as JavaScript compares). */
const sortExpressions: Record<UserQuery['sort'], string[]> = {
  createdAt: ['(extract(epoch from created_at) * 1000)::float8'],
  name: ['lower(last_name) COLLATE "C"', 'lower(first_name) COLLATE "C"'],
  email: ['lower(email) COLLATE "C"'],
};

/**
 * `userSearchText` in SQL. The trigram index of the second migration is built
 * on this very expression, so a substring search can use it.
 */
export const searchText = "lower(first_name || ' ' || last_name || chr(31) || email)";

/** Translates a user listing into one SQL statement and its parameters. */
export function userQuerySql(query: UserQuery, columns: string): { text: string; params: unknown[] } {
  const params: unknown[] = [];
  const parameter = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const where = [
    `organization_id = ${parameter(query.organizationId)}`,
    'erased_at IS NULL',
    `status = ANY(${parameter(query.statuses)}::text[])`,
  ];
  if (query.search) where.push(`${searchText} LIKE ${parameter(`%${query.search.replace(/[\\%_]/g, '\\$&')}%`)}`);
  if (query.roles) where.push(`roles && ${parameter(query.roles)}::text[]`);
  if (query.grants) {
    where.push(
      `(permissions && ${parameter(query.grants.permissions)}::text[] OR roles && ${parameter(query.grants.roles)}::text[])`,
    );
  }
  if (query.createdAfter) where.push(`created_at >= ${parameter(query.createdAfter)}`);
  if (query.createdBefore) where.push(`created_at < ${parameter(query.createdBefore)}`);
  const keys = [...sortExpressions[query.sort], 'id COLLATE "C"'];
  const direction = query.order === 'asc' ? 'ASC' : 'DESC';
  if (query.after) {
    const values = [...query.after.values, query.after.id].map((value) => parameter(value));
    const casts = keys.map((_, index) =>
      query.sort === 'createdAt' && index === 0 ? `${values[index]}::float8` : `${values[index]}::text COLLATE "C"`,
    );
    where.push(`(${keys.join(', ')}) ${query.order === 'asc' ? '>' : '<'} (${casts.join(', ')})`);
  }
  const text = `SELECT ${columns} FROM tenantry_users WHERE ${where.join(' AND ')} ORDER BY ${keys
    .map((key) => `${key} ${direction}`)
    .join(', ')} LIMIT ${parameter(query.limit)}`;
  return { text, params };
}
