import { z } from 'zod';
import { TenantryError } from '../../errors.js';
import { type PurgeKind, purgeKinds } from '../../ports/retention-storage.js';
import { retentionCutoffs } from '../../rules/retention.js';
import { dateSchema } from '../../schemas/common.js';
import { defineOperation, type Steps } from '../operation.js';

/** What one purge removed, by kind; `rateLimits` counts the rate limiter's recovered keys it forgot. */
export type PurgeCounts = Record<PurgeKind | 'rateLimits', number>;

/** What `maintenance.purge` answers: the moment it purged as of, and what it removed of each kind. */
export interface PurgeReport {
  now: Date;
  removed: PurgeCounts;
  /** Every row removed, all kinds together. */
  total: number;
}

/** The options of a purge: `now`, the moment retention counts back from (default: the clock's time). */
export const purgeOptionsSchema = z.strictObject({ now: dateSchema.optional() }).default({});

/**
 * `maintenance.purge` (the operator and the system only): removes what the
 * policy's `retention` says is over, kind by kind, in batches of
 * `retention.batchSize` rows, each batch in a transaction of its own, so no
 * lock is held for long; then forgets the rate limiter's recovered keys, and
 * records one `maintenance.purged` event with the counts.
 */
export const purge = defineOperation({
  name: 'maintenance.purge',
  input: z.tuple([purgeOptionsSchema]),
  async execute(steps, [options]): Promise<PurgeReport> {
    if (steps.actor.type === 'user') throw new TenantryError('FORBIDDEN', 'Only the operator purges');
    const { policy, clock, rateLimiter } = steps.context;
    const now = options.now ?? clock.now();
    const { batchSize } = policy.retention;
    const cutoffs = retentionCutoffs(
      {
        ...policy.retention,
        mailWindowMs: policy.mailLimits.windowMs,
        clockSkewMs: policy.sso.clockSkewMs,
        importStaleAfterMs: policy.import.staleAfterMs,
      },
      now,
    );
    const removed = Object.fromEntries([...purgeKinds, 'rateLimits'].map((kind) => [kind, 0])) as PurgeCounts;
    for (const kind of purgeKinds) {
      const before = cutoffs[kind];
      if (before) removed[kind] = await inBatches(batchSize, (limit) => purgeBatch(steps, kind, before, limit));
    }
    const forgetRecovered = rateLimiter.forgetRecovered?.bind(rateLimiter);
    if (forgetRecovered) removed.rateLimits = await inBatches(batchSize, (limit) => forgetRecovered(now, limit));
    const total = Object.values(removed).reduce((sum, count) => sum + count, 0);
    await steps.transact(async (unit) => {
      unit.record('maintenance.purged', {
        organizationId: null,
        targetId: null,
        metadata: {
          now: now.toISOString(),
          removed,
          cutoffs: Object.fromEntries(Object.entries(cutoffs).map(([kind, date]) => [kind, date.toISOString()])),
        },
      });
    });
    return { now, removed, total };
  },
});

/** One batch of one kind, in a transaction of its own. */
function purgeBatch(steps: Steps, kind: PurgeKind, before: Date, limit: number): Promise<number> {
  return steps.transact((unit) => unit.tx.retention.purge(kind, before, limit));
}

/** Runs `batch` until it removes fewer than `limit` rows; the rows removed in all. */
async function inBatches(limit: number, batch: (limit: number) => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const removed = await batch(limit);
    total += removed;
    if (removed < limit) return total;
  }
}
