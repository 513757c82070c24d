import { z } from 'zod';
import type { Page } from '../actor-api.js';
import { TenantryError } from '../errors.js';
import { notFound } from '../flows/unit.js';
import type { MailIntent } from '../outbox/mail-order.js';
import type { OutboxItem } from '../ports/outbox.js';
import { cursorSchema, idSchema, limitSchema } from '../schemas/common.js';
import { storableText } from '../schemas/text.js';
import { defineOperation } from './operation.js';

/** An item the outbox gave up on, as the operator sees it: what it was, where to, why it failed; never a secret. */
export interface FailedDelivery {
  id: string;
  kind: 'mail' | 'event';
  /** The mail's kind (`invitation`, …) or the event's action. */
  what: string;
  /** The recipient of a mail; null for an event. */
  to: string | null;
  userId: string | null;
  createdAt: Date;
  attempts: number;
  failedAt: Date;
  lastError: string | null;
}

function failedDelivery(item: OutboxItem): FailedDelivery {
  const payload = JSON.parse(item.payload) as Partial<MailIntent> & { action?: string };
  return {
    id: item.id,
    kind: item.kind,
    what: item.kind === 'mail' ? String(payload.kind) : String(payload.action),
    to: item.kind === 'mail' ? (payload.to ?? null) : null,
    userId: item.userId,
    createdAt: item.createdAt,
    attempts: item.attempts,
    failedAt: item.failedAt as Date,
    lastError: item.lastError,
  };
}

/** `outbox.failed`: what the outbox gave up on, oldest first. */
export const listFailedDeliveries = defineOperation({
  name: 'outbox.failed',
  input: z.tuple([
    z.strictObject({ limit: limitSchema.default(50), cursor: cursorSchema.optional() }).default({ limit: 50 }),
  ]),
  async run(unit, [{ limit, cursor }]): Promise<Page<FailedDelivery>> {
    const after = cursor === undefined ? undefined : parseCursor(unit.context.cursors.decode('outbox', cursor));
    const items = await unit.tx.outbox.listFailed({ limit: limit + 1, after });
    const page = items.slice(0, limit);
    const last = page.at(-1);
    const nextCursor =
      items.length > limit && last
        ? unit.context.cursors.encode('outbox', { createdAt: last.createdAt.getTime(), id: last.id })
        : null;
    return { items: page.map(failedDelivery), nextCursor };
  },
});

function parseCursor(position: unknown): { createdAt: Date; id: string } {
  const candidate = position as { createdAt?: unknown; id?: unknown } | null;
  if (candidate && typeof candidate.createdAt === 'number' && typeof candidate.id === 'string') {
    return { createdAt: new Date(candidate.createdAt), id: candidate.id };
  }
  throw new TenantryError('VALIDATION_FAILED', 'Invalid or expired cursor');
}

/** `outbox.retry`: tries a failed item again, at once and with its attempts counted from zero. */
export const retryDelivery = defineOperation({
  name: 'outbox.retry',
  input: z.tuple([idSchema]),
  async run(unit, [id]): Promise<void> {
    const item = await unit.tx.outbox.get(id);
    if (!item || item.failedAt === null) throw notFound('No such failed item');
    await unit.tx.outbox.reschedule(id, { attempts: 0, nextAttemptAt: unit.now, failedAt: null, lastError: '' });
  },
});

/** Records that a mail could not be sent (`mail.failed`): the outbox tries again later. */
export const recordMailFailure = defineOperation({
  name: 'outbox.recordMailFailure',
  input: z.tuple([z.custom<MailIntent>(), storableText(200)]),
  async run(unit, [intent, reason]): Promise<void> {
    unit.record('mail.failed', {
      organizationId: intent.organizationId,
      targetId: intent.userId,
      metadata: { kind: intent.kind, reason },
    });
  },
});
