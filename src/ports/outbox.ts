/**
 * One thing to hand on after the change that caused it committed: a mail to
 * send or an event for subscribers. It is written in the change's
 * transaction, so a crash between commit and hand-on loses nothing; its
 * `id` is stable (`MailMessage.id`, `AuditEvent.id`), so receivers can drop
 * repeats of an at-least-once delivery.
 */
export interface OutboxItem {
  id: string;
  /** `mail` or `event`. */
  kind: 'mail' | 'event';
  /** The user a mail concerns (its erasure drops the mail); null for events. */
  userId: string | null;
  /** What to hand on, as JSON text; only tenantry reads it. */
  payload: string;
  createdAt: Date;
  /** Failed attempts so far. */
  attempts: number;
  /** When the item may be tried (again). */
  nextAttemptAt: Date;
  /** Claimed by a courier until then; null when nobody holds it. */
  claimedUntil: Date | null;
  /** Set when the attempts ran out: kept for an operator to retry, never tried by itself again. */
  failedAt: Date | null;
  /** Why the last attempt failed. */
  lastError: string | null;
}

/** What a claim asks for: items due at `now`, held until `until`. */
export interface OutboxClaim {
  /** Only these items (the ones a change just wrote); otherwise any due ones, oldest first. */
  ids?: readonly string[];
  limit: number;
  now: Date;
  until: Date;
}

/**
 * The outbox. Items are inserted in the transaction of their change; every
 * other method runs in a short transaction of its own.
 */
export interface OutboxRepository {
  insert(items: readonly OutboxItem[]): Promise<void>;
  /**
   * Claims items that are due (`nextAttemptAt <= now`), not failed, and not
   * claimed by anyone else (or whose claim lapsed), and holds them until
   * `until`. Two callers never claim one item at once, across processes.
   */
  claim(claim: OutboxClaim): Promise<OutboxItem[]>;
  /** Removes items that were handed on. */
  remove(ids: readonly string[]): Promise<void>;
  /** Replaces an item's payload (a mail's link moved to a new digest), in the same transaction as what caused it. */
  rewrite(id: string, payload: string): Promise<void>;
  /** Records a failed attempt: when to try again, or `failedAt` when the attempts ran out; releases the claim. */
  reschedule(
    id: string,
    outcome: { attempts: number; nextAttemptAt: Date; failedAt: Date | null; lastError: string },
  ): Promise<void>;
  /** Failed items, oldest first, after the given one. */
  listFailed(query: { limit: number; after?: { createdAt: Date; id: string } | undefined }): Promise<OutboxItem[]>;
  /** One item by id. */
  get(id: string): Promise<OutboxItem | null>;
  /** How many items wait to be handed on (not failed), due or not. */
  countPending(): Promise<number>;
  /** Removes the mail items not yet handed on that concern a user (their erasure). */
  removeMailFor(userId: string): Promise<number>;
}
