import { hash } from 'node:crypto';
import { Mutex } from '../../src/mutex.js';

/** One SQL statement's rows. */
export type Rows = Record<string, unknown>[];

/** How to run one statement. */
export interface QueryOptions {
  /**
   * Keep the statement prepared on the connection (planned once, not on every
   * call), for the hot ones. PGlite ignores it.
   */
  prepare?: boolean;
}

/** Runs SQL with `$1…` parameters: the one seam every PostgreSQL driver is translated to. */
export interface SqlExecutor {
  query(text: string, params?: readonly unknown[], options?: QueryOptions): Promise<Rows>;
}

/** An executor that can also open a transaction whose statements share one connection. */
export interface SqlDatabase extends SqlExecutor {
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
}

type Queryable = { query(text: string, params?: unknown[]): Promise<{ rows: Rows }> };
type PgQueryable = Queryable & {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: Rows }>;
};

/** What a PGlite instance offers (structurally, so tenantry never imports a driver). */
interface PGliteLike extends Queryable {
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
}

/** What a `pg` Pool offers. */
interface PgPoolLike extends PgQueryable {
  totalCount: number;
  connect(): Promise<PgQueryable & { release(error?: Error | boolean): void }>;
}

/** What a connected `pg` Client offers. */
interface PgClientLike extends PgQueryable {
  connect(): Promise<void>;
}

/** What a postgres.js `sql` offers. */
interface PostgresJsLike {
  unsafe(text: string, params?: unknown[], options?: { prepare?: boolean }): Promise<Rows>;
  begin<T>(work: (sql: PostgresJsLike) => Promise<T>): Promise<T>;
}

const run = async (client: Queryable, text: string, params: readonly unknown[] = []) =>
  (await client.query(text, [...params])).rows;

/** pg names a prepared statement; the name follows from the text, so two schemas never share one. */
const statementName = (text: string) => `tenantry_${hash('sha256', text, 'hex').slice(0, 24)}`;

const runPg = async (client: PgQueryable, text: string, params: readonly unknown[] = [], options?: QueryOptions) =>
  options?.prepare
    ? (await client.query({ name: statementName(text), text, values: [...params] })).rows
    : run(client, text, params);

/** Runs `work` between BEGIN and COMMIT on one connection, rolling back when it throws. */
async function onConnection<T>(connection: Queryable, work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
  let open = true;
  const tx: SqlExecutor = {
    query: (text, params) => {
      if (!open) throw new Error('transaction already finished');
      return run(connection, text, params);
    },
  };
  try {
    await connection.query('BEGIN');
    const result = await work(tx);
    await connection.query('COMMIT');
    return result;
  } catch (error) {
    await connection.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    open = false;
  }
}

/**
 * Wraps a PGlite instance, a `pg` Pool, a connected `pg` Client or a
 * postgres.js `sql` as a {@link SqlDatabase}. A single Client is one
 * connection, so its transactions run one at a time.
 */
export function sqlDatabase(client: unknown): SqlDatabase {
  const candidate = client as Record<string, unknown>;
  if (typeof candidate.unsafe === 'function' && typeof candidate.begin === 'function') {
    const sql = client as PostgresJsLike;
    return {
      query: (text, params = [], options) => sql.unsafe(text, [...params], { prepare: options?.prepare ?? false }),
      transaction: (work) =>
        sql.begin(async (tx) => {
          let open = true;
          try {
            return await work({
              query: (text, params = []) => {
                if (!open) throw new Error('transaction already finished');
                return tx.unsafe(text, [...params]);
              },
            });
          } finally {
            open = false;
          }
        }),
    };
  }
  if (typeof candidate.query !== 'function') throw new TypeError(unsupported);
  if (typeof candidate.transaction === 'function') {
    const db = client as PGliteLike;
    return {
      query: (text, params) => run(db, text, params),
      transaction: (work) => db.transaction((tx) => work({ query: (text, params) => run(tx, text, params) })),
    };
  }
  if (typeof candidate.connect === 'function' && typeof candidate.totalCount === 'number') {
    const pool = client as PgPoolLike;
    return {
      query: (text, params, options) => runPg(pool, text, params, options),
      async transaction(work) {
        const connection = await pool.connect();
        try {
          return await onConnection(connection, work);
        } finally {
          connection.release();
        }
      },
    };
  }
  if (typeof candidate.connect === 'function') {
    const connection = client as PgClientLike;
    const turns = new Mutex();
    return {
      query: (text, params, options) => turns.run(() => runPg(connection, text, params, options)),
      transaction: (work) => turns.run(() => onConnection(connection, work)),
    };
  }
  throw new TypeError(unsupported);
}

const unsupported = 'postgresStorage needs a PGlite instance, a pg Pool or Client, or a postgres.js sql';
