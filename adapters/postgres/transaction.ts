import { Mutex } from '../../src/adapter-kit/index.js';
import type { DeferredLock, DeferredWrite, Rows, SqlExecutor, TransactionOptions } from './executor.js';

/** A statement's rows and its command tag (`COMMIT`, `ROLLBACK`, …). */
export type Outcome = { rows: Rows; command?: string | null };
/** One connection, as the drivers give it. */
export type Queryable = { query(text: string, params?: unknown[]): Promise<Outcome> };

/** Runs one statement on a connection and answers its rows. */
export const run = async (client: Queryable, text: string, params: readonly unknown[] = []) =>
  (await client.query(text, [...params])).rows;

/**
 * What makes a `SELECT` more than a read: a row lock, an advisory lock held
 * to the transaction's end, a sequence step or a setting.
 */
const lockingOrWriting =
  /\bFOR\s+(?:NO\s+KEY\s+UPDATE|UPDATE|KEY\s+SHARE|SHARE)\b|\bpg_(?:try_)?advisory|\b(?:nextval|setval|set_config)\s*\(/i;

/** A `SELECT`, or a `WITH` of `SELECT`s, that only reads: it needs no transaction around it to mean what it says. */
export const isPlainRead = (text: string): boolean =>
  (/^\s*SELECT\b/i.test(text) || (/^\s*WITH\b/i.test(text) && !/\b(?:INSERT|UPDATE|DELETE|MERGE)\b/i.test(text))) &&
  !lockingOrWriting.test(text);

/** A plain insert: an upsert may change a row, so it shares no statement with another write to its table. */
const isInsert = (text: string): boolean => /^\s*INSERT\b/i.test(text) && !/\bDO\s+UPDATE\b/i.test(text);

/**
 * The deferred writes as one statement: every write but the last a
 * data-modifying `WITH` clause of the last, their `$n` placeholders
 * renumbered after those before them. PostgreSQL runs the clauses on one
 * snapshot, all or nothing, and checks constraints at the statement's end.
 */
export function combinedWrites(writes: readonly DeferredWrite[]): { text: string; params: unknown[] } {
  const params: unknown[] = [];
  const texts = writes.map((write) => {
    const offset = params.length;
    params.push(...write.params);
    return offset === 0 ? write.text : write.text.replace(/\$(\d+)/g, (_, index) => `$${Number(index) + offset}`);
  });
  const last = texts.pop() as string;
  if (texts.length === 0) return { text: last, params };
  return { text: `WITH ${texts.map((text, index) => `write_${index} AS (${text})`).join(', ')} ${last}`, params };
}

/**
 * A transaction on one connection that costs as few round trips as its
 * statements allow, at PostgreSQL's default isolation (READ COMMITTED, where
 * every statement reads its own snapshot anyway):
 *
 * - BEGIN waits for the first statement that writes or locks a row. Plain
 *   reads before it run on their own, which at READ COMMITTED reads exactly
 *   what they would read inside the transaction; a transaction that only
 *   reads sends neither BEGIN nor COMMIT.
 * - Writes whose result nobody waits for (audit events, outbox items, a new
 *   session, a user's row) are held and sent as one statement, before the
 *   next statement or at commit. Held writes alone at commit, with no
 *   BEGIN sent, are that one statement without a transaction: atomic on
 *   their own. A held write's failure is translated by its repository
 *   (the table PostgreSQL names in the error picks the write).
 *
 * - In an optimistic transaction (the first try of each), a read that
 *   would lock one row (`lockLater`) reads its version instead; the row's
 *   held update then goes through only if the row is still that version,
 *   in the same statement, under the lock the update takes. Should the
 *   transaction need BEGIN before that, the lock is taken then. A row that
 *   changed in between fails the transaction as a serialization failure
 *   (40001), and it runs again, locking as it reads.
 *
 * An installation that raises the default isolation to REPEATABLE READ or
 * SERIALIZABLE would lose the shared snapshot of the reads before BEGIN;
 * tenantry's invariants rest on row locks, which hold at READ COMMITTED.
 */
export class LazyTransaction {
  #begun = false;
  #open = true;
  #held: DeferredWrite[] = [];
  #locks: DeferredLock[] = [];
  /** One step at a time, for a caller that sends statements side by side: BEGIN and the held writes go once. */
  readonly #turns = new Mutex();

  constructor(
    private readonly connection: Queryable,
    private readonly options: TransactionOptions = {},
  ) {}

  /** The executor the repositories write through. */
  readonly executor: SqlExecutor = {
    query: (text, params) =>
      this.#turns.run(async () => {
        this.#requireOpen();
        const plain = isPlainRead(text);
        // A plain read leaves waiting locks waiting: it reads what any statement of the transaction would.
        if (this.#held.length > 0 || !plain) await this.#flush(true);
        if (!this.#begun && !plain) await this.#begin();
        if (this.#begun && this.#locks.length > 0) await this.#takeLocks();
        return run(this.connection, text, params);
      }),
    defer: (write) => this.#turns.run(() => this.#hold(write)),
    lockLater: () => {
      if (!this.options.optimistic || this.#begun) return undefined;
      return (lock) => {
        this.#requireOpen();
        this.#locks.push(lock);
      };
    },
  };

  /** Holds a write, after sending what it may not share a statement with. */
  async #hold(write: DeferredWrite): Promise<void> {
    this.#requireOpen();
    // One statement may not change a row twice, and its clauses do not see each other's rows (a unique index
    // checks each row as it is written, in no set order): only inserts share a statement with writes to their table.
    const inserting = isInsert(write.text);
    if (this.#held.some((held) => held.table === write.table && !(inserting && isInsert(held.text)))) {
      await this.#flush(true);
    }
    this.#held.push(write);
  }

  /** Sends what is held, then COMMIT if BEGIN was sent; throws when PostgreSQL kept nothing. */
  commit(): Promise<void> {
    return this.#turns.run(() => this.#commit());
  }

  async #commit(): Promise<void> {
    await this.#flush(false);
    // PostgreSQL answers COMMIT with ROLLBACK, not with an error, when a statement of the transaction failed and the
    // failure went unreported (caught, or lost on the way by a driver or a pooler): nothing was kept, so no success.
    if (this.#begun && (await this.connection.query('COMMIT')).command === 'ROLLBACK') throw new Error(rolledBack);
  }

  /** Drops what is held, and rolls back what was sent since BEGIN. */
  rollback(): Promise<void> {
    return this.#turns.run(async () => {
      this.#held = [];
      this.#locks = [];
      if (this.#begun) await this.connection.query('ROLLBACK').catch(() => undefined);
    });
  }

  close(): void {
    this.#open = false;
  }

  #requireOpen(): void {
    if (!this.#open) throw new Error('transaction already finished');
  }

  /** Sends BEGIN, then takes the row locks that were waiting for a write, each at the version read. */
  async #begin(): Promise<void> {
    await this.connection.query('BEGIN');
    this.#begun = true;
    await this.#takeLocks();
  }

  /** Takes the waiting row locks now, each at the version read (a read may note one after BEGIN went). */
  async #takeLocks(): Promise<void> {
    const locks = this.#locks;
    this.#locks = [];
    for (const { lock } of locks) {
      if ((await run(this.connection, lock.text, lock.params)).length === 0) throw changedSinceRead();
    }
  }

  /**
   * The held writes with each waiting lock's version check in its row's
   * update; null when a lock's row is not updated (then BEGIN takes it).
   */
  #guarded(writes: DeferredWrite[]): DeferredWrite[] | null {
    const guarded = [...writes];
    for (const lock of this.#locks) {
      const index = guarded.findIndex(
        (write) => write.table === lock.table && write.key === lock.key && /^\s*UPDATE\b/i.test(write.text),
      );
      const write = guarded[index];
      if (!write) return null;
      // A changed row makes the division fail (22012), which fails the whole statement: nothing of it is kept.
      const check = ` AND (1 / (xmin::text = $${write.params.length + 1})::int) = 1`;
      guarded[index] = { ...write, text: `${write.text}${check}`, params: [...write.params, lock.version] };
    }
    return guarded;
  }

  /** Sends the held writes as one statement; `more` when other statements follow it in the transaction. */
  async #flush(more: boolean): Promise<void> {
    // A transaction that wrote nothing needs none of the locks its reads let wait: they guard writes.
    if (!more && !this.#begun && this.#held.length === 0) this.#locks = [];
    if (this.#begun && this.#locks.length > 0) await this.#takeLocks();
    if (this.#held.length === 0 && (this.#locks.length === 0 || this.#begun)) return;
    let writes = this.#held;
    this.#held = [];
    const guarded = !more && !this.#begun && this.#locks.length > 0 ? this.#guarded(writes) : null;
    if (guarded) writes = guarded;
    else if ((more || this.#locks.length > 0) && !this.#begun) await this.#begin();
    this.#locks = [];
    if (writes.length === 0) return;
    const { text, params } = combinedWrites(writes);
    try {
      await run(this.connection, text, params);
    } catch (error) {
      if (guarded && (error as { code?: unknown } | null)?.code === '22012') throw changedSinceRead();
      const table = (error as { table?: unknown } | null)?.table;
      for (const write of writes) {
        const translated = write.table === table || writes.length === 1 ? write.translate?.(error) : undefined;
        if (translated) throw translated;
      }
      throw error;
    }
  }
}

/** A row read without its lock changed before it was written: run the transaction again (40001, as retried). */
function changedSinceRead(): Error {
  return Object.assign(new Error('A row changed between its read and its write; the transaction runs again'), {
    code: '40001',
  });
}

/** Runs `work` in a {@link LazyTransaction} on one connection, rolling back when it throws. */
export async function onConnection<T>(
  connection: Queryable,
  work: (tx: SqlExecutor) => Promise<T>,
  options?: TransactionOptions,
): Promise<T> {
  const transaction = new LazyTransaction(connection, options);
  try {
    const result = await work(transaction.executor);
    await transaction.commit();
    return result;
  } catch (error) {
    await transaction.rollback();
    throw error;
  } finally {
    transaction.close();
  }
}

const rolledBack = 'COMMIT was answered with ROLLBACK: a statement of the transaction had failed, so nothing was kept';
