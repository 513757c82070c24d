import type { OutboxClaim, OutboxItem, Storage } from '../adapter-kit/index.js';
import { at, outboxRecord } from './records.js';
import type { MakeStorage } from './storage-contract.js';
import type { VitestApi } from './vitest-api.js';

const ids = (items: readonly OutboxItem[]) => items.map((item) => item.id);

/** What the outbox needs of storage: items written with their change, claimed by one courier at a time. */
export function describeOutboxContract(vitest: VitestApi, name: string, makeStorage: MakeStorage): void {
  const { beforeEach, describe, expect, it } = vitest;
  describe(`${name} storage: the outbox`, () => {
    let storage: Storage;
    const insert = (...items: OutboxItem[]) => storage.transaction((tx) => tx.outbox.insert(items));
    const claim = (fields: Partial<OutboxClaim> = {}) =>
      storage.transaction((tx) => tx.outbox.claim({ limit: 100, now: at(1_000), until: at(61_000), ...fields }));
    const get = (id: string) => storage.transaction((tx) => tx.outbox.get(id));
    const pending = () => storage.transaction((tx) => tx.outbox.countPending());

    beforeEach(async () => {
      storage = await makeStorage();
    });

    it('keeps every field of an item as it was written', async () => {
      const mail = outboxRecord({ createdAt: at(5), nextAttemptAt: at(7) });
      const event = outboxRecord({
        kind: 'event',
        userId: null,
        attempts: 3,
        claimedUntil: at(9),
        failedAt: at(8),
        lastError: 'subscriber answered 503',
      });
      await insert(mail, event);
      expect(await get(mail.id)).toEqual(mail);
      expect(await get(event.id)).toEqual(event);
      expect(await get('out_nobody')).toBeNull();
    });

    it('writes items in the transaction of their change, and drops them when it rolls back', async () => {
      const failure = new Error('boom');
      const kept = outboxRecord();
      const dropped = outboxRecord();
      await insert(kept);
      const attempt = storage.transaction(async (tx) => {
        await tx.outbox.insert([dropped]);
        throw failure;
      });
      await expect(attempt).rejects.toBe(failure);
      expect(await get(dropped.id)).toBeNull();
      expect(await pending()).toBe(1);
      expect(ids(await claim())).toEqual([kept.id]);
    });

    it('claims the due items oldest first, at most the limit, holding them until the claim ends', async () => {
      const items = [
        outboxRecord({ id: 'out_b', createdAt: at(2) }),
        outboxRecord({ id: 'out_a', createdAt: at(2) }),
        outboxRecord({ id: 'out_c', createdAt: at(1) }),
        outboxRecord({ id: 'out_later', createdAt: at(0), nextAttemptAt: at(5_000) }),
      ];
      await insert(...items);
      const first = await claim({ limit: 2 });
      expect(ids(first)).toEqual(['out_c', 'out_a']);
      expect(first[0]).toEqual({ ...items[2], claimedUntil: at(61_000) });
      expect((await get('out_a'))?.claimedUntil).toEqual(at(61_000));
      // The rest of what is due; the item due later waits for its time.
      expect(ids(await claim())).toEqual(['out_b']);
      expect(await claim()).toEqual([]);
      expect(ids(await claim({ now: at(5_000) }))).toEqual(['out_later']);
    });

    it('claims only the items asked for by id, when ids are given', async () => {
      const [one, two, three] = [outboxRecord(), outboxRecord(), outboxRecord({ nextAttemptAt: at(9_000) })];
      await insert(one, two, three);
      expect(ids(await claim({ ids: [two.id, three.id, 'out_nobody'] }))).toEqual([two.id]);
      expect(ids(await claim({ ids: [two.id] }))).toEqual([]);
      expect(ids(await claim())).toEqual([one.id]);
    });

    it('never hands one item to two claims made at once', async () => {
      const items = Array.from({ length: 30 }, (_, index) => outboxRecord({ createdAt: at(index) }));
      await insert(...items);
      const claims = await Promise.all(Array.from({ length: 4 }, () => claim({ limit: 10 })));
      const claimed = claims.flatMap(ids);
      expect(new Set(claimed).size).toBe(claimed.length);
      expect(claimed.sort()).toEqual(ids(items).sort());
    });

    it('claims an item again once its claim lapsed', async () => {
      const item = outboxRecord();
      await insert(item);
      expect(ids(await claim({ now: at(1_000), until: at(2_000) }))).toEqual([item.id]);
      expect(await claim({ now: at(1_999), until: at(3_000) })).toEqual([]);
      const again = await claim({ now: at(2_000), until: at(3_000) });
      expect(again).toEqual([{ ...item, claimedUntil: at(3_000) }]);
    });

    it('releases the claim and delays the item when an attempt is rescheduled', async () => {
      const item = outboxRecord();
      await insert(item);
      await claim({ now: at(1_000), until: at(61_000) });
      const outcome = { attempts: 1, nextAttemptAt: at(5_000), failedAt: null, lastError: 'SMTP 421 try later' };
      await storage.transaction((tx) => tx.outbox.reschedule(item.id, outcome));
      expect(await get(item.id)).toEqual({ ...item, ...outcome, claimedUntil: null });
      expect(await claim({ now: at(4_999) })).toEqual([]);
      // Due again well before the old claim would have ended.
      expect(ids(await claim({ now: at(5_000) }))).toEqual([item.id]);
      expect(await pending()).toBe(1);
    });

    it('never claims a failed item, and keeps it out of the pending count', async () => {
      const [failing, waiting] = [outboxRecord(), outboxRecord({ nextAttemptAt: at(1_000_000) })];
      await insert(failing, waiting);
      await claim();
      const outcome = { attempts: 5, nextAttemptAt: at(2_000), failedAt: at(1_500), lastError: 'mailbox full' };
      await storage.transaction((tx) => tx.outbox.reschedule(failing.id, outcome));
      const late = await claim({ now: at(10_000_000), until: at(10_060_000) });
      expect(late).toEqual([{ ...waiting, claimedUntil: at(10_060_000) }]);
      expect(await claim({ ids: [failing.id], now: at(10_000_000) })).toEqual([]);
      // Pending counts what waits to be handed on, due or not, and no failed item.
      expect(await pending()).toBe(1);
      expect(await get(failing.id)).toMatchObject({ ...outcome, claimedUntil: null });
    });

    it('removes the items handed on', async () => {
      const [sent, other] = [outboxRecord(), outboxRecord()];
      await insert(sent, other);
      await claim();
      await storage.transaction((tx) => tx.outbox.remove([sent.id, 'out_nobody']));
      expect(await get(sent.id)).toBeNull();
      expect(await pending()).toBe(1);
      // A removed item stays removed when a late reschedule names it.
      const outcome = { attempts: 1, nextAttemptAt: at(0), failedAt: null, lastError: 'late' };
      await storage.transaction((tx) => tx.outbox.reschedule(sent.id, outcome));
      expect(await get(sent.id)).toBeNull();
    });

    it('replaces an item’s payload and nothing else, with the rest of its transaction', async () => {
      const item = outboxRecord();
      await insert(item);
      const [claimed] = await claim();
      await storage.transaction((tx) => tx.outbox.rewrite(item.id, '{"link":"https://example.test/?token=new"}'));
      expect(await get(item.id)).toEqual({ ...claimed, payload: '{"link":"https://example.test/?token=new"}' });
      const failure = new Error('boom');
      const attempt = storage.transaction(async (tx) => {
        await tx.outbox.rewrite(item.id, '{"link":"lost"}');
        throw failure;
      });
      await expect(attempt).rejects.toBe(failure);
      expect((await get(item.id))?.payload).toBe('{"link":"https://example.test/?token=new"}');
    });

    it('lists the failed items oldest first, a page at a time', async () => {
      const failed = [
        outboxRecord({ id: 'out_3', createdAt: at(20), failedAt: at(30) }),
        outboxRecord({ id: 'out_1', createdAt: at(10), failedAt: at(30) }),
        outboxRecord({ id: 'out_2b', createdAt: at(15), failedAt: at(30) }),
        outboxRecord({ id: 'out_2a', createdAt: at(15), failedAt: at(30) }),
        outboxRecord({ id: 'out_4', createdAt: at(25), failedAt: at(30), kind: 'event', userId: null }),
      ];
      await insert(...failed, outboxRecord({ createdAt: at(12) }), outboxRecord({ createdAt: at(0) }));
      const page = (after?: OutboxItem) =>
        storage.transaction((tx) =>
          tx.outbox.listFailed({ limit: 2, after: after && { createdAt: after.createdAt, id: after.id } }),
        );
      const first = await page();
      expect(ids(first)).toEqual(['out_1', 'out_2a']);
      expect(first[0]).toEqual(failed[1]);
      const second = await page(first.at(-1));
      expect(ids(second)).toEqual(['out_2b', 'out_3']);
      const third = await page(second.at(-1));
      expect(ids(third)).toEqual(['out_4']);
      expect(await page(third.at(-1))).toEqual([]);
    });

    it('removes the mail that waits for a user, and nothing of anyone else', async () => {
      const ofAda = [
        outboxRecord({ userId: 'usr_ada' }),
        outboxRecord({ userId: 'usr_ada', nextAttemptAt: at(9_000_000) }),
        outboxRecord({ userId: 'usr_ada', attempts: 5, failedAt: at(500), lastError: 'bounced' }),
      ];
      const others = [
        outboxRecord({ userId: 'usr_bob' }),
        outboxRecord({ kind: 'event', userId: null, payload: '{"userId":"usr_ada"}' }),
      ];
      await insert(...ofAda, ...others);
      expect(await storage.transaction((tx) => tx.outbox.removeMailFor('usr_ada'))).toBe(ofAda.length);
      for (const item of ofAda) expect(await get(item.id)).toBeNull();
      for (const item of others) expect(await get(item.id)).toEqual(item);
      expect(await storage.transaction((tx) => tx.outbox.removeMailFor('usr_ada'))).toBe(0);
    });
  });
}
