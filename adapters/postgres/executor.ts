import { hash } from 'node:crypto';
import { Mutex } from '../../src/adapter-kit/index.js';
import type { DeferredLock, DeferredWrite } from '../sql/dialect.js';
import { type Outcome, onConnection, type Queryable, run } from './transaction.js';

export type { DeferredLock, DeferredWrite } from '../sql/dialect.js';

/** One SQL statement's rows. */
export type Rows = Record<string, unknown>[];

/** How to run one statement. */
export interface QueryOptions {
  /**
   * Keep the statement prepared on the connection (planned once, not on every
   * call), for the hot ones run outside any transaction, where
   * {@link PreparedStatements} allows it. PGlite ignores it.
   */
  prepare?: boolean;
}

/**
 * Whether statements marked `prepare` run as named prepared statements:
 * `true` always, `false` never, `'auto'` while the connection is the
 * client's own. On a `pg` Pool or Client that holds until a named statement
 * fails with `26000` or `42P05` (a pooler sharing server connections);
 * postgres.js is asked once whether it talks to a server process itself.
 */
export type PreparedStatements = 'auto' | boolean;

/** Runs SQL with `$1…` parameters: the one seam every PostgreSQL driver is translated to. */
export interface SqlExecutor {
  query(text: string, params?: readonly unknown[], options?: QueryOptions): Promise<Rows>;
  /** Holds a write to send with the next statement's round trip, where the transaction can (see `LazyTransaction`). */
  defer?(write: DeferredWrite): Promise<void>;
  /** Where the transaction can, a way to lock a row only when it is written (see `LazyTransaction`). */
  lockLater?(): ((lock: DeferredLock) => void) | undefined;
}

/** How a transaction is run: `optimistic` lets a read's row lock wait for the row's write (see `LazyTransaction`). */
export interface TransactionOptions {
  optimistic?: boolean;
}

/** An executor that can also open a transaction whose statements share one connection. */
export interface SqlDatabase extends SqlExecutor {
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>, options?: TransactionOptions): Promise<T>;
}

type PgQueryable = Queryable & {
  query(config: { name: string; text: string; values: unknown[] }): Promise<Outcome>;
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

/** postgres.js rows, with the command tag and the process id their connection was given at start-up. */
type PostgresJsRows = Rows & { command?: string; state?: { pid?: unknown } };

/** What a postgres.js `sql` offers. */
interface PostgresJsLike {
  unsafe(text: string, params?: unknown[], options?: { prepare?: boolean }): Promise<PostgresJsRows>;
  begin<T>(work: (sql: PostgresJsLike) => Promise<T>): Promise<T>;
  /** postgres.js 3.4 and later: a connection of its own until `release()`. */
  reserve?(): Promise<PostgresJsLike & { release(): void }>;
}

type RunPg = (client: PgQueryable, text: string, params?: readonly unknown[], options?: QueryOptions) => Promise<Rows>;

/**
 * pg names a prepared statement; the name follows from the text, so two
 * schemas never share one, and a name found on a connection someone else
 * prepared it on always stands for the same statement.
 */
const statementName = (text: string) => `tenantry_${hash('sha256', text, 'hex').slice(0, 24)}`;

/**
 * What a named statement meets on a connection it does not have to itself: a
 * server connection that never saw it (26000), or one another client already
 * prepared it on (42P05).
 */
const sharedConnectionCodes = new Set(['26000', '42P05']);

const isSharedConnectionError = (error: unknown) =>
  typeof error === 'object' && error !== null && sharedConnectionCodes.has(String((error as { code?: unknown }).code));

/**
 * How one pg database runs its statements marked `prepare`. With `'auto'`,
 * the first 26000 or 42P05 from a named statement shows that a pooler hands
 * each statement to whichever server connection is free: from then on this
 * database sends them unnamed, and runs the one that failed again. That is
 * safe because both errors come at Parse or Bind, before the statement ran,
 * and a statement marked `prepare` runs outside any transaction. Any other
 * error, and any error of the second try, is the caller's.
 */
function pgStatements(mode: PreparedStatements): RunPg {
  let named = mode !== false;
  return async (client, text, params = [], options) => {
    if (!options?.prepare || !named) return run(client, text, params);
    try {
      return (await client.query({ name: statementName(text), text, values: [...params] })).rows;
    } catch (error) {
      if (mode !== 'auto' || !isSharedConnectionError(error)) throw error;
      named = false;
      return run(client, text, params);
    }
  };
}

/**
 * Runs `use` on a connection postgres.js reserves for it, so that it
 * pipelines no one else's statements there; before postgres.js 3.4 (no
 * `reserve`), in a transaction of `sql.begin`, which holds one the same way.
 */
async function reserving<T>(sql: PostgresJsLike, use: (connection: PostgresJsLike) => Promise<T>): Promise<T> {
  if (!sql.reserve) return sql.begin(use);
  const reserved = await sql.reserve();
  try {
    return await use(reserved);
  } finally {
    reserved.release();
  }
}

/**
 * Whether postgres.js talks to a server process itself: the process id its
 * connection was given at start-up is the one serving it. A pooler hands out
 * ids of its own, since one client meets many server processes.
 */
async function ownsServerProcess(sql: PostgresJsLike): Promise<boolean> {
  return reserving(sql, async (connection) => {
    const rows = await connection.unsafe('SELECT pg_backend_pid() AS pid');
    return rows.state?.pid !== undefined && rows.state.pid === rows[0]?.pid;
  });
}

/**
 * Whether postgres.js sends statements marked `prepare` named. With `'auto'`
 * it asks {@link ownsServerProcess} once, before the first of them, and not
 * again unless asking failed. Unlike pg, postgres.js answers a pooler's
 * missing statement by preparing it again (leaving one more behind on some
 * server connection) and pipelines statements on a connection, whose replies
 * PgBouncer 1.18 in transaction mode loses (the calls never settle): named
 * statements behind a pooler give no error to learn from, so none are sent
 * until the connection is known to be the client's own.
 */
function postgresJsPreparing(sql: PostgresJsLike, mode: PreparedStatements) {
  let named: Promise<boolean> | undefined = mode === 'auto' ? undefined : Promise.resolve(mode);
  return async (options?: QueryOptions): Promise<boolean> => {
    if (!options?.prepare) return false;
    named ??= ownsServerProcess(sql).catch((error: unknown) => {
      named = undefined;
      throw error;
    });
    return named;
  };
}

/** A reserved postgres.js connection as a {@link Queryable}: tenantry's own BEGIN and COMMIT, sent unprepared. */
const queryableOf = (sql: PostgresJsLike): Queryable => ({
  query: async (text, params = []) => {
    const rows = await sql.unsafe(text, params);
    return { rows, command: rows.command ?? null };
  },
});

/**
 * postgres.js as a {@link SqlDatabase}. Transactions run on a reserved
 * connection with BEGIN and COMMIT of tenantry's own rather than in
 * `sql.begin`, whose COMMIT is a prepared statement while postgres.js
 * prepares (its default): behind a pooler in transaction mode that COMMIT
 * can meet a server connection that lacks it, and postgres.js prepares it
 * again inside the transaction the failure aborted, where COMMIT answers
 * ROLLBACK as if all went well. Before postgres.js 3.4 (no `reserve`),
 * transactions run in `sql.begin`.
 */
function postgresJsDatabase(sql: PostgresJsLike, mode: PreparedStatements): SqlDatabase {
  const preparing = postgresJsPreparing(sql, mode);
  return {
    query: async (text, params = [], options) => sql.unsafe(text, [...params], { prepare: await preparing(options) }),
    transaction: (work, options) =>
      sql.reserve
        ? reserving(sql, (connection) => onConnection(queryableOf(connection), work, options))
        : sql.begin((tx) => onBegun(tx, work)),
  };
}

/** Runs `work` in a transaction `sql.begin` opened, whose statements it may not use once it ended. */
async function onBegun<T>(tx: PostgresJsLike, work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
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
}

/** Options of {@link sqlDatabase}. */
export interface SqlDatabaseOptions {
  /** Whether statements marked `prepare` run as named prepared statements. Default `'auto'`. */
  preparedStatements?: PreparedStatements;
}

/**
 * Wraps a PGlite instance, a `pg` Pool, a connected `pg` Client or a
 * postgres.js `sql` as a {@link SqlDatabase}. A single Client is one
 * connection, so its transactions run one at a time.
 */
export function sqlDatabase(client: unknown, { preparedStatements = 'auto' }: SqlDatabaseOptions = {}): SqlDatabase {
  const candidate = client as Record<string, unknown>;
  if (typeof candidate.unsafe === 'function' && typeof candidate.begin === 'function') {
    return postgresJsDatabase(client as PostgresJsLike, preparedStatements);
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
    const runPg = pgStatements(preparedStatements);
    return {
      query: (text, params, options) => runPg(pool, text, params, options),
      async transaction(work, options) {
        const connection = await pool.connect();
        try {
          return await onConnection(connection, work, options);
        } finally {
          connection.release();
        }
      },
    };
  }
  if (typeof candidate.connect === 'function') {
    const connection = client as PgClientLike;
    const runPg = pgStatements(preparedStatements);
    const turns = new Mutex();
    return {
      query: (text, params, options) => turns.run(() => runPg(connection, text, params, options)),
      transaction: (work, options) => turns.run(() => onConnection(connection, work, options)),
    };
  }
  throw new TypeError(unsupported);
}

const unsupported = 'postgresStorage needs a PGlite instance, a pg Pool or Client, or a postgres.js sql';
