/** One SQL statement's rows. */
export type Rows = Record<string, unknown>[];

/** Runs SQL with `$1…` parameters: the one seam every PostgreSQL driver is translated to. */
export interface SqlExecutor {
  query(text: string, params?: readonly unknown[]): Promise<Rows>;
}

/** An executor that can also open a transaction whose statements share one connection. */
export interface SqlDatabase extends SqlExecutor {
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
}

/** What a PGlite instance offers (structurally, so the core never imports the driver). */
interface PGliteLike {
  query(text: string, params?: unknown[]): Promise<{ rows: Rows }>;
  transaction<T>(
    work: (tx: { query(text: string, params?: unknown[]): Promise<{ rows: Rows }> }) => Promise<T>,
  ): Promise<T>;
  waitReady?: Promise<void>;
}

/** What a `pg` Pool offers. */
interface PgPoolLike {
  query(text: string, params?: unknown[]): Promise<{ rows: Rows }>;
  connect(): Promise<{
    query(text: string, params?: unknown[]): Promise<{ rows: Rows }>;
    release(error?: Error | boolean): void;
  }>;
}

/** Wraps a PGlite instance or a `pg` Pool as a {@link SqlDatabase}. */
export function sqlDatabase(client: unknown): SqlDatabase {
  const candidate = client as Partial<PGliteLike & PgPoolLike>;
  if (typeof candidate.transaction === 'function' && typeof candidate.query === 'function') {
    const db = client as PGliteLike;
    return {
      query: async (text, params = []) => (await db.query(text, [...params])).rows,
      transaction: (work) =>
        db.transaction((tx) => work({ query: async (text, params = []) => (await tx.query(text, [...params])).rows })),
    };
  }
  if (typeof candidate.connect === 'function' && typeof candidate.query === 'function') {
    const pool = client as PgPoolLike;
    return {
      query: async (text, params = []) => (await pool.query(text, [...params])).rows,
      async transaction(work) {
        const connection = await pool.connect();
        let open = true;
        const tx: SqlExecutor = {
          query: async (text, params = []) => {
            if (!open) throw new Error('transaction already finished');
            return (await connection.query(text, [...params])).rows;
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
          connection.release();
        }
      },
    };
  }
  throw new TypeError('postgresStorage needs a PGlite instance or a pg Pool');
}
