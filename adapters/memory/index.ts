/**
 * In-memory adapters: storage, a mailer with an outbox, and a test clock.
 *
 * @example
 * ```ts
 * import { memoryStorage, memoryMailer, testClock } from 'tenantry/memory';
 * ```
 *
 * @module
 */

export type { TestClock } from './clock.js';
export { testClock } from './clock.js';
export type { MemoryMailer } from './mailer.js';
export { memoryMailer } from './mailer.js';
export type { MemoryStorage } from './storage.js';
export { memoryStorage } from './storage.js';
