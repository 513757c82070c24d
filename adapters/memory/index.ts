/**
 * In-memory and development adapters: storage, a mailer with an outbox, a
 * mailer that prints to the console, a rate limiter, and a test clock.
 *
 * @example
 * ```ts
 * import { consoleMailer, memoryStorage, memoryMailer, testClock } from 'tenantry/memory';
 * ```
 *
 * @module
 */

export {
  type MemoryRateLimiterOptions,
  memoryRateLimiter,
} from '../../src/index.js';
export type { TestClock } from './clock.js';
export { testClock } from './clock.js';
export type { ConsoleMailerOptions } from './console-mailer.js';
export { consoleMailer } from './console-mailer.js';
export type { MemoryMailer } from './mailer.js';
export { memoryMailer } from './mailer.js';
export type { MemoryStorage } from './storage.js';
export { memoryStorage } from './storage.js';
