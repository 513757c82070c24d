import type { OutboxItem, OutboxRepository } from '../../src/adapter-kit/index.js';
import { copy } from './copy.js';
import type { Journal } from './identity-repositories.js';

/** Where the memory storage keeps the outbox: its items by id. */
export interface OutboxTable {
  outbox: Map<string, OutboxItem>;
}

/** Where an item stands in the outbox's order. */
type Position = Pick<OutboxItem, 'createdAt' | 'id'>;

/** By `createdAt`, then `id` by code point: the order items are claimed and failed ones listed in. */
const oldestFirst = (a: Position, b: Position) =>
  a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Whether a courier may claim the item at `now`: not failed, due, and held by no claim that still runs. */
const isClaimable = (item: OutboxItem, now: number) =>
  item.failedAt === null &&
  item.nextAttemptAt.getTime() <= now &&
  (item.claimedUntil === null || item.claimedUntil.getTime() <= now);

/**
 * The outbox over the memory tables, inside one transaction. Transactions run
 * one at a time, so a claim is exclusive without locks; every write is
 * journaled, so a failed transaction leaves the items as they were.
 */
export function outboxRepository({ outbox }: OutboxTable, { live, restore }: Journal): OutboxRepository {
  const put = (item: OutboxItem) => {
    restore(outbox, item.id);
    outbox.set(item.id, copy(item));
  };
  const drop = (id: string) => {
    if (!outbox.has(id)) return false;
    restore(outbox, id);
    outbox.delete(id);
    return true;
  };
  return {
    async insert(items) {
      live();
      for (const item of items) {
        if (outbox.has(item.id)) throw new Error('duplicate outbox item');
        put(item);
      }
    },
    async claim({ ids, limit, now, until }) {
      live();
      const candidates =
        ids === undefined ? [...outbox.values()] : [...new Set(ids)].flatMap((id) => outbox.get(id) ?? []);
      const claimed = candidates
        .filter((item) => isClaimable(item, now.getTime()))
        .sort(oldestFirst)
        .slice(0, Math.max(0, limit))
        .map((item) => ({ ...item, claimedUntil: until }));
      for (const item of claimed) put(item);
      return claimed.map(copy);
    },
    async remove(ids) {
      live();
      for (const id of ids) drop(id);
    },
    async rewrite(id, payload) {
      live();
      const item = outbox.get(id);
      if (item) put({ ...item, payload });
    },
    async reschedule(id, { attempts, nextAttemptAt, failedAt, lastError }) {
      live();
      const item = outbox.get(id);
      if (item) put({ ...item, attempts, nextAttemptAt, failedAt, lastError, claimedUntil: null });
    },
    async listFailed({ limit, after }) {
      live();
      return [...outbox.values()]
        .filter((item) => item.failedAt !== null && (after === undefined || oldestFirst(item, after) > 0))
        .sort(oldestFirst)
        .slice(0, Math.max(0, limit))
        .map(copy);
    },
    async get(id) {
      live();
      const item = outbox.get(id);
      return item ? copy(item) : null;
    },
    async countPending() {
      live();
      let pending = 0;
      for (const item of outbox.values()) if (item.failedAt === null) pending += 1;
      return pending;
    },
    async removeMailFor(userId) {
      live();
      const mail = [...outbox.values()].filter((item) => item.kind === 'mail' && item.userId === userId);
      for (const item of mail) drop(item.id);
      return mail.length;
    },
  };
}
