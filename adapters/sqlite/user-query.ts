import type { UserQuery } from '../../src/ports/storage.js';
import { conditions } from './connection.js';
import { millis } from './rows.js';

/**
 * The columns a listing sorts by, holding exactly `userSortKey`'s values.
 * SQLite compares text with the BINARY collation, byte by byte, as the core's cursor keys expect.
 */
const sortColumns: Record<UserQuery['sort'], string[]> = {
  createdAt: ['created_at'],
  name: ['last_name_key', 'first_name_key'],
  email: ['email_key'],
};

/** SQL that is true when the JSON array in `column` holds any value of the JSON array parameter. */
export const holdsAny = (column: string): string =>
  `EXISTS (SELECT 1 FROM json_each(${column}) WHERE value IN (SELECT value FROM json_each(?)))`;

/** Translates a user listing into one SQL statement and its `?` parameters. */
export function userQuerySql(query: UserQuery, columns: string): { text: string; params: unknown[] } {
  const filter = conditions();
  filter.add('organization_id = ?', query.organizationId);
  filter.add('erased_at IS NULL');
  filter.add('status IN (SELECT value FROM json_each(?))', JSON.stringify(query.statuses));
  // `search_text` is `userSearchText(user)`; `instr` is an exact substring match, as in memory.
  if (query.search) filter.add('instr(search_text, ?) > 0', query.search);
  if (query.roles) filter.add(holdsAny('roles'), JSON.stringify(query.roles));
  if (query.grants) {
    filter.add(
      `(${holdsAny('permissions')} OR ${holdsAny('roles')})`,
      JSON.stringify(query.grants.permissions),
      JSON.stringify(query.grants.roles),
    );
  }
  if (query.createdAfter) filter.add('created_at >= ?', millis(query.createdAfter));
  if (query.createdBefore) filter.add('created_at < ?', millis(query.createdBefore));
  const keys = [...sortColumns[query.sort], 'id'];
  if (query.after) {
    const position = [...query.after.values, query.after.id];
    filter.add(
      `(${keys.join(', ')}) ${query.order === 'asc' ? '>' : '<'} (${position.map(() => '?').join(', ')})`,
      ...position,
    );
  }
  const direction = query.order === 'asc' ? 'ASC' : 'DESC';
  const order = keys.map((key) => `${key} ${direction}`).join(', ');
  return {
    text: `SELECT ${columns} FROM tenantry_users WHERE ${filter.sql} ORDER BY ${order} LIMIT ?`,
    params: [...filter.params, query.limit],
  };
}
