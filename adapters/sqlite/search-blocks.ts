import type { SearchIndexState, SearchIndexStorage, UserQuery } from '../../src/adapter-kit/index.js';
import { addGrams, addHeld, emptyFilter } from '../sql/search-grams.js';
import { betweenTransactions, type Row, type SqliteDatabase, serialized } from './connection.js';

/**
 * The search blocks of an organization on SQLite (migration 10), as on
 * PostgreSQL: in each sort order, its users in runs of {@link BLOCK_USERS},
 * each with its first and last sort keys and a filter of its users' bigrams
 * and trigrams, and here also of the roles and permissions they hold
 * (`addHeld`). A search walks only the blocks whose filter may hold its term
 * and what its filter asks for (user-search.ts).
 *
 * A build is a snapshot at the revision it drew first; a user written since
 * has a higher revision and is searched apart. The users are read a few
 * thousand at a time, each read its own turn on the connection, so a build
 * of a large company never holds the connection, nor the database's write
 * lock, for long: its blocks are written at the end in one short transaction.
 */

/** Users in one block. */
export const BLOCK_USERS = 128;

/** Users a build reads in one statement: whole blocks. */
const READ_ROWS = BLOCK_USERS * 64;

/** The sort keys of each listing order, the id last, as the sort indexes hold them. */
export const blockKeys: Record<UserQuery['sort'], readonly string[]> = {
  name: ['last_name_key', 'first_name_key', 'id'],
  email: ['email_key', 'id'],
  createdAt: ['created_at', 'id'],
};

/** The sort index of each listing order, which a build reads and a search walks. */
export const sortIndexOf = (sort: UserQuery['sort']) => `tenantry_users_by_${sort === 'createdAt' ? 'created' : sort}`;

/** A block's columns of its first user's keys and of its last's, for `keys` of its order. */
export const firstColumns = (keys: readonly string[]) => keys.map((_, index) => `first_${index + 1}`);
export const lastColumns = (keys: readonly string[]) => keys.map((_, index) => `last_${index + 1}`);

interface Block {
  sort: string;
  position: number;
  size: number;
  first: unknown[];
  last: unknown[];
  grams: Uint8Array;
}

/** Runs one read statement in its own turn on the connection, outside any transaction. */
function read(database: SqliteDatabase, text: string, params: unknown[]): Promise<Row[]> {
  return betweenTransactions(database, () => database.prepare(text).all(...params) as Row[]);
}

/** A user's filter bits: the grams of its search text and a token of each role and permission held. */
function addUser(grams: Uint8Array, row: Row): void {
  addGrams(grams, String(row.search_text));
  for (const role of JSON.parse(String(row.roles)) as string[]) addHeld(grams, 'role', role);
  for (const permission of JSON.parse(String(row.permissions)) as string[]) addHeld(grams, 'permission', permission);
}

/** Reads the organization's users in `sort` order, a statement per {@link READ_ROWS}, and cuts them into blocks. */
async function blocksOf(database: SqliteDatabase, organizationId: string, sort: UserQuery['sort']): Promise<Block[]> {
  const keys = blockKeys[sort];
  const selected = keys.map((key, index) => `${key} AS k${index}`).join(', ');
  const keysOf = (row: Row) => keys.map((_, index) => row[`k${index}`]);
  const blocks: Block[] = [];
  let after: unknown[] | undefined;
  for (;;) {
    const bound = after ? ` AND (${keys.join(', ')}) > (${keys.map(() => '?').join(', ')})` : '';
    const rows = await read(
      database,
      `SELECT ${selected}, search_text, roles, permissions FROM tenantry_users INDEXED BY ${sortIndexOf(sort)} WHERE organization_id = ? AND erased_at IS NULL${bound} ORDER BY ${keys.join(', ')} LIMIT ${READ_ROWS}`,
      [organizationId, ...(after ?? [])],
    );
    for (let start = 0; start < rows.length; start += BLOCK_USERS) {
      const members = rows.slice(start, start + BLOCK_USERS);
      const grams = emptyFilter();
      for (const member of members) addUser(grams, member);
      const first = keysOf(members[0] as Row);
      const last = keysOf(members[members.length - 1] as Row);
      blocks.push({ sort, position: blocks.length, size: members.length, first, last, grams });
    }
    if (rows.length < READ_ROWS) return blocks;
    after = keysOf(rows[rows.length - 1] as Row);
  }
}

/** A block's row for `INSERT`: the keys its order does not have are null. */
function blockValues(organizationId: string, block: Block): unknown[] {
  const padded = (keys: unknown[]) => [keys[0], keys[1], keys[2] ?? null, keys.at(-1)];
  return [
    organizationId,
    block.sort,
    block.position,
    ...padded(block.first),
    ...padded(block.last),
    Buffer.from(block.grams),
  ];
}

/** Builds an organization's blocks afresh and replaces its old ones in one short transaction. */
async function rebuild(database: SqliteDatabase, organizationId: string): Promise<SearchIndexState | undefined> {
  const [counter] = await read(database, 'SELECT value FROM tenantry_search_revision', []);
  const revision = Number(counter?.value ?? 0);
  const blocks: Block[] = [];
  for (const sort of Object.keys(blockKeys) as UserQuery['sort'][])
    blocks.push(...(await blocksOf(database, organizationId, sort)));
  const users = blocks.filter((block) => block.sort === 'name').reduce((sum, block) => sum + block.size, 0);
  const boundaries = [...new Set(blocks.flatMap((block) => [block.first.at(-1), block.last.at(-1)]))];
  return serialized(database, async (sql) => {
    // A boundary erased while the build read would leave its keys in a block: none is written then.
    const erased = await sql.query(
      'SELECT 1 FROM tenantry_users WHERE id IN (SELECT value FROM json_each(?)) AND erased_at IS NOT NULL LIMIT 1',
      [JSON.stringify(boundaries)],
    );
    if (erased.length > 0) return undefined;
    await sql.query(
      `INSERT INTO tenantry_search_builds (owner_id, revision, users, built_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (owner_id) DO UPDATE SET revision = excluded.revision, users = excluded.users, built_at = excluded.built_at`,
      [organizationId, revision, users, Date.now()],
    );
    await sql.query('DELETE FROM tenantry_search_blocks WHERE owner_id = ?', [organizationId]);
    for (const block of blocks) {
      await sql.query(
        'INSERT INTO tenantry_search_blocks VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        blockValues(organizationId, block),
      );
    }
    return { organizationId, users, changed: 0, built: true };
  });
}

/** The search index of SQLite storage; writes never wait for a build, which never waits for them either. */
export function sqliteSearchIndex(database: SqliteDatabase): SearchIndexStorage {
  return {
    async states(minUsers) {
      const rows = await read(
        database,
        `SELECT u.organization_id, count(*) AS users, b.revision IS NOT NULL AS built,
           sum(u.search_revision > coalesce(b.revision, -1)) AS changed
         FROM tenantry_users u LEFT JOIN tenantry_search_builds b ON b.owner_id = u.organization_id
         GROUP BY u.organization_id HAVING count(*) >= ? ORDER BY u.organization_id`,
        [minUsers],
      );
      return rows.map((row) => ({
        organizationId: String(row.organization_id),
        users: Number(row.users),
        changed: Number(row.changed),
        built: Number(row.built) === 1,
      }));
    },
    rebuild: (organizationId) => rebuild(database, organizationId),
  };
}
