import type { Mailer, MailMessage } from '../../src/adapter-kit/index.js';

/** A mailer that keeps every message. */
export interface MemoryMailer extends Mailer {
  /** Every message sent, oldest first. */
  readonly outbox: MailMessage[];
  /** Makes the next `send` fail once with `error`. */
  failNext(error?: Error): void;
  /** Empties the outbox. */
  clear(): void;
}

/**
 * A mailer for tests and demos: messages land in `.outbox`.
 *
 * @example
 * ```ts
 * const mailer = memoryMailer();
 * // ... invite someone ...
 * console.log(mailer.outbox.at(-1)?.link);
 * ```
 */
export function memoryMailer(): MemoryMailer {
  const outbox: MailMessage[] = [];
  let failure: Error | null = null;
  return {
    outbox,
    async send(message) {
      if (failure) {
        const error = failure;
        failure = null;
        throw error;
      }
      outbox.push(structuredClone(message));
    },
    failNext(error = new Error('Simulated mail failure')) {
      failure = error;
    },
    clear() {
      outbox.length = 0;
    },
  };
}
