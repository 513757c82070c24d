import type { OutboxItem, OutboxRepository } from '../../src/adapter-kit/index.js';
import { insertRows, querying, type SqlDialect, type SqlExecutor, whereAll } from './dialect.js';
import type { ColumnCodec, Row } from './row-mapping.js';

/** The columns of `tenantry_outbox`, in the order of `outboxItemValues`. */
export const outboxColumns =
  'id, kind, user_id, payload, created_at, attempts, next_attempt_at, claimed_until, failed_at, last_error';

const text = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));

/** An outbox item from its row, in the representation of `codec`. */
function outboxItemFrom(codec: ColumnCodec, row: Row): OutboxItem {
  const maybeDate = (value: unknown) => (value === null || value === undefined ? null : codec.readDate(value));
  return {
    id: String(row.id),
    kind: row.kind as OutboxItem['kind'],
    userId: text(row.user_id),
    payload: String(row.payload),
    createdAt: codec.readDate(row.created_at),
    attempts: Number(row.attempts),
    nextAttemptAt: codec.readDate(row.next_attempt_at),
    claimedUntil: maybeDate(row.claimed_until),
    failedAt: maybeDate(row.failed_at),
    lastError: text(row.last_error),
  };
}

/** An outbox item's values, in the order of {@link outboxColumns}. */
function outboxItemValues(codec: ColumnCodec, item: OutboxItem): unknown[] {
  const maybeDate = (value: Date | null) => (value === null ? null : codec.writeDate(value));
  return [
    item.id,
    item.kind,
    item.userId,
    item.payload,
    codec.writeDate(item.createdAt),
    item.attempts,
    codec.writeDate(item.nextAttemptAt),
    maybeDate(item.claimedUntil),
    maybeDate(item.failedAt),
    item.lastError,
  ];
}

/** By `createdAt`, then `id` by code point: the order of a claim, whatever order the rows came back in. */
const oldestFirst = (a: OutboxItem, b: OutboxItem) =>
  a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The outbox over SQL, in the given dialect. A claim is one statement that
 * picks the due items oldest first and marks them claimed: on PostgreSQL
 * its `FOR UPDATE SKIP LOCKED` passes over the rows a concurrent claim holds,
 * and the row lock re-checks a row another claim changed meanwhile, so no
 * item goes to two claims; on SQLite every transaction holds the write lock.
 */
export function outboxRepository(sql: SqlExecutor, dialect: SqlDialect): OutboxRepository {
  const { codec } = dialect;
  const into = {
    table: 'tenantry_outbox',
    columns: outboxColumns,
    values: (item: OutboxItem) => outboxItemValues(codec, item),
  };
  const run = querying(sql, dialect);
  const itemsOf = (rows: Row[]) => rows.map((row) => outboxItemFrom(codec, row));
  return {
    insert: (items) => insertRows(sql, dialect, { ...into, soon: true }, items),
    async claim({ ids, limit, now, until }) {
      const claimed = await run(({ bind, date, list }) => {
        const set = `claimed_until = ${date(until)}`;
        const due = ['failed_at IS NULL', `next_attempt_at <= ${date(now)}`];
        due.push(`(claimed_until IS NULL OR claimed_until <= ${date(now)})`);
        if (ids !== undefined) due.push(dialect.isAnyOf('id', list([...new Set(ids)])));
        return `UPDATE tenantry_outbox SET ${set}
                WHERE id IN (SELECT id FROM tenantry_outbox${whereAll(due)}
                  ORDER BY created_at, ${dialect.bytewise('id')} LIMIT ${bind(limit)}${dialect.lockRowsSkippingHeld})
                RETURNING ${outboxColumns}`;
      });
      return itemsOf(claimed).sort(oldestFirst);
    },
    async remove(ids) {
      if (ids.length === 0) return;
      await run(({ list }) => `DELETE FROM tenantry_outbox WHERE ${dialect.isAnyOf('id', list([...new Set(ids)]))}`);
    },
    async rewrite(id, payload) {
      await run(({ bind }) => `UPDATE tenantry_outbox SET payload = ${bind(payload)} WHERE id = ${bind(id)}`);
    },
    async reschedule(id, { attempts, nextAttemptAt, failedAt, lastError }) {
      await run(
        ({ bind, date }) =>
          `UPDATE tenantry_outbox SET attempts = ${bind(attempts)}, next_attempt_at = ${date(nextAttemptAt)},
             failed_at = ${bind(failedAt === null ? null : codec.writeDate(failedAt))}, last_error = ${bind(lastError)},
             claimed_until = NULL
           WHERE id = ${bind(id)}`,
      );
    },
    async listFailed({ limit, after }) {
      const failed = await run(({ bind, date }) => {
        const where = ['failed_at IS NOT NULL'];
        if (after !== undefined) {
          const position = `${dialect.dateValue(date(after.createdAt))}, ${dialect.bytewiseValue(bind(after.id))}`;
          where.push(`(created_at, ${dialect.bytewise('id')}) > (${position})`);
        }
        return `SELECT ${outboxColumns} FROM tenantry_outbox${whereAll(where)}
                ORDER BY created_at, ${dialect.bytewise('id')} LIMIT ${bind(limit)}`;
      });
      return itemsOf(failed);
    },
    async get(id) {
      const [row] = await run(({ bind }) => `SELECT ${outboxColumns} FROM tenantry_outbox WHERE id = ${bind(id)}`);
      return row ? outboxItemFrom(codec, row) : null;
    },
    async countPending() {
      const [row] = await sql.query('SELECT count(*) AS count FROM tenantry_outbox WHERE failed_at IS NULL');
      return Number(row?.count ?? 0);
    },
    async removeMailFor(userId) {
      const removed = await run(
        ({ bind }) => `DELETE FROM tenantry_outbox WHERE kind = 'mail' AND user_id = ${bind(userId)} RETURNING id`,
      );
      return removed.length;
    },
  };
}
