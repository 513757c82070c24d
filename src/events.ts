import type { AuditEvent } from './types.js';

/** A subscriber to audit events, called after the change committed. */
export type EventHandler = (event: AuditEvent) => void | Promise<void>;

/** Delivers committed audit events to subscribers; a failing subscriber never fails the call. */
export class EventBus {
  readonly #handlers = new Map<string, Set<EventHandler>>();
  readonly #onError: (error: unknown, event: AuditEvent) => void;

  constructor(onError: (error: unknown, event: AuditEvent) => void) {
    this.#onError = onError;
  }

  on(action: string, handler: EventHandler): () => void {
    let handlers = this.#handlers.get(action);
    if (!handlers) {
      handlers = new Set();
      this.#handlers.set(action, handlers);
    }
    handlers.add(handler);
    return () => {
      handlers.delete(handler);
    };
  }

  /** Whether anyone subscribed to this action (or to every action): then its events go through the outbox. */
  awaited(action: string): boolean {
    return (this.#handlers.get(action)?.size ?? 0) > 0 || (this.#handlers.get('*')?.size ?? 0) > 0;
  }

  emit(events: readonly AuditEvent[]): void {
    for (const event of events) {
      for (const handler of [...(this.#handlers.get(event.action) ?? []), ...(this.#handlers.get('*') ?? [])]) {
        try {
          const result = handler(structuredClone(event));
          if (result instanceof Promise) result.catch((error: unknown) => this.#onError(error, event));
        } catch (error) {
          this.#onError(error, event);
        }
      }
    }
  }
}
