/**
 * The contract suites tenantry's own adapters run, for an adapter written
 * anywhere: `describeStorageContract` for a `Storage`, and
 * `describeRateLimiterContract` for a `RateLimiter`, both in vitest (an
 * optional peer dependency, loaded when a contract is described), and the
 * record fixtures they build on, for an adapter's own tests.
 *
 * @example
 * ```ts
 * // test/mysql-storage.test.ts
 * import { describeStorageContract } from 'tenantry/testing';
 *
 * await describeStorageContract('mysql', () => freshMysqlStorage());
 * ```
 *
 * @module
 */

export { describeRateLimiterContract } from './rate-limiter-contract.js';
export {
  at as fixtureTime,
  auditRecord,
  domainRecord,
  factorRecord,
  importReportRecord,
  organizationRecord,
  outboxRecord,
  passkeyRecord,
  sessionRecord,
  ssoConnectionRecord,
  ssoIdentityRecord,
  ssoLoginRecord,
  tokenRecord,
  userRecord,
  webauthnChallengeRecord,
} from './records.js';
export { describeStorageContract, type MakeStorage } from './storage-contract.js';
