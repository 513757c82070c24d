import type { UserQuery } from '../../src/ports/storage.js';

/** The SQL expressions a listing sorts by, matching `userSortKey` (byte-wise order, as JavaScript compares). */
const sortExpressions: Record<UserQuery['sort'], string[]> = {
  createdAt: ['created_at'],
  name: ['last_name_key', 'first_name_key'],
  email: ['email_key'],
};

/** The column holding `userSearchText(user)`, which the trigram index of the second migration covers. */
export const searchText = 'search_text';

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
    const byCreation = query.sort === 'createdAt';
    const values = [...query.after.values, query.after.id].map((value, index) =>
      // A creation time's key is its epoch milliseconds; as a Date it compares exactly with the column.
      byCreation && index === 0 ? parameter(new Date(Number(value))) : parameter(value),
    );
    const casts = keys.map((_, index) =>
      byCreation && index === 0 ? `${values[index]}::timestamptz` : `${values[index]}::text COLLATE "C"`,
    );
    where.push(`(${keys.join(', ')}) ${query.order === 'asc' ? '>' : '<'} (${casts.join(', ')})`);
  }
  const text = `SELECT ${columns} FROM tenantry_users WHERE ${where.join(' AND ')} ORDER BY ${keys
    .map((key) => `${key} ${direction}`)
    .join(', ')} LIMIT ${parameter(query.limit)}`;
  return { text, params };
}
