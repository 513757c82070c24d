import type { FlowContext } from '../flows/context.js';
import type { SentMail } from '../flows/unit.js';
import { renderMail } from '../mail/render.js';
import { linkUrl, type MailIntent, sealedLinkContext } from '../outbox/mail-order.js';
import type { OutboxItem } from '../ports/outbox.js';
import { newSecretToken, tokenDigest } from '../secrets/one-time-token.js';
import type { AuditEvent } from '../types.js';
import { Lanes } from './lanes.js';

/** What a pass over the outbox did. */
export interface DeliveryReport {
  /** Mails sent and events emitted. */
  delivered: number;
  /** Attempts that failed (to be tried again later, or kept as failed). */
  failed: number;
  /** Items still waiting, due or not. */
  remaining: number;
}

/** How a failed send is recorded in the audit trail (`mail.failed`); the orchestrator provides it. */
export type FailureRecorder = (intent: MailIntent, reason: string) => Promise<void>;

/**
 * Hands on what the outbox holds: right after a change commits, the mail it
 * wrote (with the link's secret, which only this process holds) and its
 * events; later, whatever a crash or a failing mail server left. A mail is
 * sent at least once; a failed attempt is tried again with a doubling delay,
 * and kept as failed after the policy's attempts.
 */
export class Courier {
  readonly #context: FlowContext;
  readonly #recordFailure: FailureRecorder;
  readonly #lanes: Lanes;
  /** The removals of emitted events' outbox copies still under way. */
  readonly #removals = new Set<Promise<void>>();

  constructor(context: FlowContext, recordFailure: FailureRecorder) {
    this.#context = context;
    this.#recordFailure = recordFailure;
    this.#lanes = new Lanes(context.policy.outbox.concurrency);
  }

  /** After a commit: emits its events and sends its mail, each receipt settled by the first attempt. */
  handOn(events: readonly AuditEvent[], eventItems: readonly OutboxItem[], mails: readonly SentMail[]): void {
    this.#context.events.emit(events);
    // Emitted: their outbox copies go. Should that fail, the next pass emits them again (at least once).
    if (eventItems.length > 0) {
      const removal = this.#remove(eventItems.map((item) => item.id)).catch(reportFailure);
      // Tracked, so that `idle` also waits for the emitted events' copies to go.
      this.#removals.add(removal);
      void removal.finally(() => this.#removals.delete(removal));
    }
    for (const mail of mails) {
      const intent = JSON.parse(mail.item.payload) as MailIntent;
      void this.#lanes
        .run(() => this.#attempt(mail.item, intent, mail.order.link?.token))
        .then(mail.settle, () => mail.settle(false));
    }
  }

  /** Hands on up to `limit` items that are due and that nobody holds; answers what it did. */
  async deliverPending(limit = 100): Promise<DeliveryReport> {
    const now = this.#context.clock.now();
    const until = new Date(now.getTime() + this.#context.policy.outbox.claimMs);
    const items = await this.#context.storage.transaction((tx) => tx.outbox.claim({ limit, now, until }));
    const outcomes = await Promise.all(
      items.map((item) =>
        item.kind === 'event'
          ? this.#emitStored(item)
          : this.#lanes.run(() => this.#attempt(item, JSON.parse(item.payload) as MailIntent, undefined)),
      ),
    );
    const delivered = outcomes.filter(Boolean).length;
    const remaining = await this.#context.storage.transaction((tx) => tx.outbox.countPending());
    return { delivered, failed: outcomes.length - delivered, remaining };
  }

  /** Waits until the mail this process is handing on has been sent or given up, and emitted events' copies removed. */
  async idle(): Promise<void> {
    await this.#lanes.idle();
    await Promise.all(this.#removals);
  }

  async #emitStored(item: OutboxItem): Promise<boolean> {
    const event = JSON.parse(item.payload) as AuditEvent & { at: string };
    this.#context.events.emit([{ ...event, at: new Date(event.at) }]);
    await this.#remove([item.id]);
    return true;
  }

  /**
   * One attempt at a mail. Without the link's secret (another process wrote
   * it, or the first attempt failed) it is opened from its sealed copy, or,
   * where the installation has no key for it, the token moves to a fresh
   * secret, with the item rewritten in the same transaction. A link that was
   * used, expired or replaced meanwhile means there is nothing left to send.
   */
  async #attempt(item: OutboxItem, intent: MailIntent, secret: string | undefined): Promise<boolean> {
    const { storage, clock, mailer, mailTemplates, baseUrl } = this.#context;
    let link: string | undefined;
    let current = intent;
    if (intent.link) {
      let token = secret ?? (await this.#unsealed(intent));
      if (token === null) {
        await this.#remove([item.id]);
        return false;
      }
      if (token === undefined) {
        token = newSecretToken();
        const digest = tokenDigest(token);
        const sealed = this.#context.secrets.seal(token, sealedLinkContext(digest));
        const moved = { ...intent, link: { ...intent.link, digest, sealed } };
        const open = await storage.transaction(async (tx) => {
          if (!(await tx.tokens.rotate(intent.link?.digest ?? '', moved.link.digest, clock.now()))) return false;
          await tx.outbox.rewrite(item.id, JSON.stringify(moved));
          return true;
        });
        if (!open) {
          await this.#remove([item.id]);
          return false;
        }
        current = moved;
      }
      link = linkUrl(baseUrl, intent.link.purpose, token);
    }
    try {
      await withinTime(
        mailer.send(renderMail(mailTemplates, item.id, current, link)),
        this.#context.policy.outbox.sendTimeoutMs,
      );
    } catch (error) {
      await this.#reschedule(item, error, current);
      return false;
    }
    await this.#remove([item.id]);
    return true;
  }

  /**
   * The link's secret from its sealed copy, when the installation's key opens
   * it: undefined when it does not (move the token instead), null when the
   * link was used, expired or replaced meanwhile (nothing to send).
   */
  async #unsealed(intent: MailIntent): Promise<string | null | undefined> {
    const link = intent.link;
    const secret = link?.sealed ? this.#context.secrets.open(link.sealed, sealedLinkContext(link.digest)) : null;
    if (!link || secret === null) return undefined;
    const { storage, clock } = this.#context;
    const token = await storage.transaction((tx) => tx.tokens.get(link.digest));
    const open = token !== null && token.consumedAt === null && token.expiresAt > clock.now();
    return open ? secret : null;
  }

  async #reschedule(item: OutboxItem, error: unknown, intent: MailIntent): Promise<void> {
    const { maxAttempts, retryDelayMs } = this.#context.policy.outbox;
    const now = this.#context.clock.now();
    const attempts = item.attempts + 1;
    const delay = Math.min(retryDelayMs * 2 ** (attempts - 1), 3_600_000);
    // A mail server's words, made fit to store: the trail and the outbox keep them.
    const reason = error instanceof Error ? storable(error.message.slice(0, 200)) : 'unknown';
    await this.#context.storage.transaction((tx) =>
      tx.outbox.reschedule(item.id, {
        attempts,
        nextAttemptAt: new Date(now.getTime() + delay),
        failedAt: attempts >= maxAttempts ? now : null,
        lastError: reason,
      }),
    );
    await this.#recordFailure(intent, reason);
  }

  async #remove(ids: readonly string[]): Promise<void> {
    await this.#context.storage.transaction((tx) => tx.outbox.remove(ids));
  }
}

function reportFailure(error: unknown): void {
  console.error('tenantry: the outbox could not record a hand-on', error);
}

/** Text made fit to store: NUL and unpaired surrogates become U+FFFD. */
function storable(text: string): string {
  return text.replace(/\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/** The promise, or a rejection once `ms` passed: a mail server that never answers fails the attempt, to be tried again. */
function withinTime<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the mail server did not answer within ${ms} ms`)), ms);
    timer.unref?.();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
