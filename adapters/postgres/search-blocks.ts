import type { SearchIndexState, SearchIndexStorage, UserQuery } from '../../src/adapter-kit/index.js';
import { addGrams, emptyFilter, filterLiteral } from '../sql/search-grams.js';
import type { Rows, SqlDatabase, SqlExecutor } from './executor.js';
import { searchLockKey } from './search-index-migration.js';

/**
 * The search blocks of an organization (migration 14): in each sort order, its
 * users in runs of {@link BLOCK_USERS}, each run with its first and last sort
 * key and a filter of its users' bigrams and trigrams. A search reads the blocks in the
 * listing's order, skips those whose filter lacks a bit of the term, and walks
 * only the others' key ranges (user-search.ts).
 *
 * A build is a snapshot: it records the revision it drew, and every user at or
 * below it is in the blocks as the build read them. A user written since has a
 * higher revision and is searched apart, so the blocks are never brought up
 * to date by a write, which therefore costs nothing more, and are rebuilt by
 * `maintenance.refreshSearch` once enough users changed.
 */

/** Users in one block. */
export const BLOCK_USERS = 128;

/** Users a build reads in one statement: whole blocks. */
const READ_ROWS = BLOCK_USERS * 64;

/** How a block of one sort order holds its first and last users' keys. */
export interface BlockOrder {
  /** The users' sort columns, the id last, as the listing orders them. */
  keys: readonly string[];
  /** Each key read as text, exactly. */
  read: readonly string[];
  /** Each key's type, to bind it back. */
  types: readonly string[];
  /** The block's columns of its first user's keys, and of its last's. */
  first: readonly string[];
  last: readonly string[];
}

const bytewiseText = 'text COLLATE "C"';

/** A timestamptz column as text in UTC to the microsecond: a Date would drop what PostgreSQL keeps beyond the millisecond. */
export const exactTime = (column: string): string =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** The three sort orders of a listing, each with its block columns. */
export const blockOrders: Record<UserQuery['sort'], BlockOrder> = {
  name: {
    keys: ['last_name_key', 'first_name_key', 'id COLLATE "C"'],
    read: ['last_name_key', 'first_name_key', 'id'],
    types: [bytewiseText, bytewiseText, bytewiseText],
    first: ['first_key', 'first_second_key', 'first_id'],
    last: ['last_key', 'last_second_key', 'last_id'],
  },
  email: {
    keys: ['email_key', 'id COLLATE "C"'],
    read: ['email_key', 'id'],
    types: [bytewiseText, bytewiseText],
    first: ['first_key', 'first_id'],
    last: ['last_key', 'last_id'],
  },
  createdAt: {
    keys: ['created_at', 'id COLLATE "C"'],
    read: [exactTime('created_at'), 'id'],
    types: ['timestamptz', bytewiseText],
    first: ['first_at', 'first_id'],
    last: ['last_at', 'last_id'],
  },
};

const blockColumns = [
  'first_key',
  'first_second_key',
  'first_at',
  'first_id',
  'last_key',
  'last_second_key',
  'last_at',
  'last_id',
] as const;

interface Block {
  sort: string;
  position: number;
  /** How many users it holds. */
  size: number;
  first: readonly string[];
  last: readonly string[];
  grams: string;
}

/**
 * Runs `work` in a transaction holding the advisory lock that writes of a
 * user's search text hold shared, taken without waiting in its queue (so no
 * write waits behind the build): tried `tries` times, 20 ms apart; undefined
 * if it never came free.
 */
async function exclusively<T>(db: SqlDatabase, tries: number, work: (tx: SqlExecutor) => Promise<T>) {
  for (let attempt = 0; attempt < tries; attempt++) {
    const done = await db.transaction(async (tx) => {
      const [row] = await tx.query(`SELECT pg_try_advisory_xact_lock(${searchLockKey}) AS locked`);
      return row?.locked ? { value: await work(tx) } : undefined;
    });
    if (done) return done.value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return undefined;
}

/** The revision a build holds, drawn while no write of a user's search text is in flight. */
async function drawRevision(db: SqlDatabase, tries: number): Promise<string | undefined> {
  return exclusively(db, tries, async (tx) => {
    const [row] = await tx.query("SELECT nextval('tenantry_search_revisions') AS revision");
    return String(row?.revision);
  });
}

/** Reads the organization's users in `order` and cuts them into blocks. */
async function blocksOf(db: SqlDatabase, organizationId: string, sort: string, order: BlockOrder): Promise<Block[]> {
  const blocks: Block[] = [];
  const keysOf = (row: Rows[number]) => order.read.map((_, index) => String(row[`k${index}`]));
  const selected = order.read.map((read, index) => `${read} AS k${index}`).join(', ');
  const sorted = order.keys.join(', ');
  let after: string[] | undefined;
  for (;;) {
    const bound = after
      ? ` AND (${sorted}) > (${order.types.map((type, index) => `$${index + 2}::${type}`).join(', ')})`
      : '';
    const rows = await db.query(
      `SELECT ${selected}, search_text FROM tenantry_users WHERE organization_id = $1 AND erased_at IS NULL${bound}
       ORDER BY ${sorted} LIMIT ${READ_ROWS}`,
      [organizationId, ...(after ?? [])],
    );
    for (let start = 0; start < rows.length; start += BLOCK_USERS) {
      const members = rows.slice(start, start + BLOCK_USERS);
      const grams = emptyFilter();
      for (const member of members) addGrams(grams, String(member.search_text));
      const first = keysOf(members[0] as Rows[number]);
      const last = keysOf(members[members.length - 1] as Rows[number]);
      const size = members.length;
      blocks.push({ sort, position: blocks.length, size, first, last, grams: filterLiteral(grams) });
    }
    if (rows.length < READ_ROWS) return blocks;
    after = keysOf(rows[rows.length - 1] as Rows[number]);
  }
}

/** One block's row: its columns in {@link blockColumns}' order, those its order does not use null. */
function blockValues(block: Block, order: BlockOrder): unknown[] {
  return blockColumns.map((column) => {
    const first = order.first.indexOf(column);
    if (first >= 0) return block.first[first];
    const last = order.last.indexOf(column);
    return last >= 0 ? block.last[last] : null;
  });
}

/** Rows per `INSERT` of blocks (12 parameters each). */
const BLOCKS_PER_INSERT = 200;

/** Builds an organization's blocks afresh and replaces its old ones in one transaction. */
async function rebuild(db: SqlDatabase, organizationId: string, tries: number): Promise<SearchIndexState | undefined> {
  const revision = await drawRevision(db, tries);
  if (revision === undefined) return undefined;
  const blocks: Block[] = [];
  for (const [sort, order] of Object.entries(blockOrders))
    blocks.push(...(await blocksOf(db, organizationId, sort, order)));
  // Each order holds every user once; they may differ only by a user written while the build read.
  const users = blocks.filter((block) => block.sort === 'name').reduce((sum, block) => sum + block.size, 0);
  // Written while no write of users is in flight, so that no user erased meanwhile is a block's first or last.
  const written = await exclusively(db, tries, async (tx) => {
    const boundaries = [...new Set(blocks.flatMap((block) => [block.first.at(-1), block.last.at(-1)]))];
    const erased = await tx.query(
      'SELECT 1 FROM tenantry_users WHERE id = ANY($1::text[]) AND erased_at IS NOT NULL LIMIT 1',
      [boundaries],
    );
    if (erased.length > 0) return false;
    // The build's row first: a build running beside it for the same organization waits here, then replaces it.
    await tx.query(
      `INSERT INTO tenantry_search_builds (organization_id, revision, users, built_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (organization_id) DO UPDATE SET revision = EXCLUDED.revision, users = EXCLUDED.users, built_at = now()`,
      [organizationId, revision, users],
    );
    await tx.query('DELETE FROM tenantry_search_blocks WHERE organization_id = $1', [organizationId]);
    for (let start = 0; start < blocks.length; start += BLOCKS_PER_INSERT) {
      const params: unknown[] = [];
      const rows = blocks.slice(start, start + BLOCKS_PER_INSERT).map((block) => {
        const order = blockOrders[block.sort as UserQuery['sort']];
        const values = [organizationId, block.sort, block.position, ...blockValues(block, order), block.grams];
        const placeholders = values.map((value, index) => {
          params.push(value);
          const column = index >= 3 && index < 11 ? blockColumns[index - 3] : undefined;
          const type = column?.endsWith('_at') ? '::timestamptz' : index === 11 ? '::bit(8192)' : '';
          return `$${params.length}${type}`;
        });
        return `(${placeholders.join(', ')})`;
      });
      await tx.query(
        `INSERT INTO tenantry_search_blocks (organization_id, sort_key, position, ${blockColumns.join(', ')}, grams)
         VALUES ${rows.join(', ')}`,
        params,
      );
    }
    return true;
  });
  return written ? { organizationId, users, changed: 0, built: true } : undefined;
}

/**
 * The search index of PostgreSQL storage: `tries` attempts, 20 ms apart, to
 * find a moment with no write of a user's search text in flight before a
 * build gives up for now.
 */
export function postgresSearchIndex(db: SqlDatabase, tries = 250): SearchIndexStorage {
  return {
    async states(minUsers) {
      const rows = await db.query(
        `SELECT u.organization_id, count(*)::int AS users, b.revision IS NOT NULL AS built,
           count(*) FILTER (WHERE u.search_revision > coalesce(b.revision, -1))::int AS changed
         FROM tenantry_users u LEFT JOIN tenantry_search_builds b ON b.organization_id = u.organization_id
         GROUP BY u.organization_id, b.revision HAVING count(*) >= $1 ORDER BY u.organization_id`,
        [minUsers],
      );
      return rows.map((row) => ({
        organizationId: String(row.organization_id),
        users: Number(row.users),
        changed: Number(row.changed),
        built: Boolean(row.built),
      }));
    },
    rebuild: (organizationId) => rebuild(db, organizationId, tries),
  };
}
