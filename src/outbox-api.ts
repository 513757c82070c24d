import type { Page } from './actor-api.js';
import type { Orchestra } from './operations/act.js';
import type { DeliveryReport } from './operations/courier.js';
import type { Operation, OperationResult } from './operations/operation.js';
import { type FailedDelivery, listFailedDeliveries, retryDelivery } from './operations/outbox.js';

export type { DeliveryReport, FailedDelivery };

/** `um.outbox`: the mail and events that wait to be handed on, for a job, a timer or the operator. */
export interface OutboxApi {
  /**
   * Hands on up to `limit` items (default 100) that are due and that no
   * process holds: what a crash, a restart or a failing mail server left.
   * Call it from a job until `remaining` is 0, or let `start()` do it.
   */
  deliverPending(options?: { limit?: number }): Promise<DeliveryReport>;
  /** Hands on what is due every `intervalMs` (default 30 s) in this process; returns the function that stops it. */
  start(options?: { intervalMs?: number }): () => void;
  /** Resolves once the mail this process is handing on right now has been sent or given up (before a CLI exits). */
  idle(): Promise<void>;
  /** What the outbox gave up on after the policy's attempts, oldest first (the operator's to look at). */
  failed(options?: { limit?: number; cursor?: string }): Promise<Page<FailedDelivery>>;
  /** Tries a failed item again at once. */
  retry(id: string): Promise<void>;
}

type PerformAsSystem = <Op extends Operation>(operation: Op, ...args: unknown[]) => Promise<OperationResult<Op>>;

/** `um.outbox` over the orchestrator's courier. */
export function outboxApi({ courier }: Orchestra, perform: PerformAsSystem): OutboxApi {
  return {
    deliverPending: (options = {}) => courier.deliverPending(options.limit ?? 100),
    start(options = {}) {
      let running = false;
      const timer = setInterval(() => {
        if (running) return;
        running = true;
        courier
          .deliverPending()
          .catch((error: unknown) => console.error('tenantry: handing on the outbox failed', error))
          .finally(() => {
            running = false;
          });
      }, options.intervalMs ?? 30_000);
      timer.unref();
      return () => clearInterval(timer);
    },
    idle: () => courier.idle(),
    failed: (options) => perform(listFailedDeliveries, options),
    retry: (id) => perform(retryDelivery, id),
  };
}
