import type { Storage } from '../adapter-kit/index.js';
import { describeFactorContract } from './storage-factors.js';
import { describeIdentityContract } from './storage-identity.js';
import { describeImportContract } from './storage-imports.js';
import { describeOutboxContract } from './storage-outbox.js';
import { describeQueryContract } from './storage-queries.js';
import { describeRecordContract } from './storage-records.js';
import { describeRecoveryContract } from './storage-recovery.js';
import { describeResourceQueryContract } from './storage-resource-queries.js';
import { describeResourceContract } from './storage-resources.js';
import { describeRetentionContract } from './storage-retention.js';
import { describeSsoContract } from './storage-sso.js';
import { describeTransactionContract } from './storage-transactions.js';
import { withVitest } from './vitest-api.js';

/** Makes a fresh, empty storage (migrated, if it needs migrations) for one test. */
export type MakeStorage = () => Promise<Storage> | Storage;

/**
 * Describes, in vitest, the contract every storage adapter passes, through
 * the `Storage` port only, with a fresh storage from `makeStorage` for each
 * test (one for each group of query tests): records read back exactly as
 * written, emails unique whatever their case, user queries filtered, sorted
 * and paged as the core's sort keys say, transactions rolled back whole,
 * rows locked so that no update is lost and the last-admin guard holds,
 * one-time tokens consumed once, sessions, import batches and history, an
 * outbox whose items are claimed by one courier at a time, resource
 * grants replaced per type, paged by holder and filtering user listings, and
 * second factors: TOTP steps, passkey counters, recovery codes and WebAuthn
 * challenges each spent once, however many transactions race for them, and
 * single sign-on: a domain verified by one organization at most, connections,
 * logins consumed once, assertion ids accepted once and identity links; and
 * retention: what a cutoff selects removed in bounded batches, nothing live.
 *
 * From an ES module test file (as vitest runs them) the tests are registered
 * when the call returns. Awaiting the promise is needed only with the
 * CommonJS build, which imports vitest when a contract is described, since
 * vitest cannot be required: there, await it at the top level of the test
 * file or inside an async `describe`.
 *
 * @example
 * ```ts
 * import { describeStorageContract } from 'tenantry/testing';
 * import { mysqlStorage } from '../src/index.js';
 *
 * await describeStorageContract('mysql', async () => {
 *   const storage = mysqlStorage({ pool: await freshDatabase() });
 *   await storage.migrate();
 *   return storage;
 * });
 * ```
 */
export function describeStorageContract(name: string, makeStorage: MakeStorage): Promise<void> {
  return withVitest((vitest) => {
    describeRecordContract(vitest, name, makeStorage);
    describeQueryContract(vitest, name, makeStorage);
    describeTransactionContract(vitest, name, makeStorage);
    describeIdentityContract(vitest, name, makeStorage);
    describeImportContract(vitest, name, makeStorage);
    describeOutboxContract(vitest, name, makeStorage);
    describeResourceContract(vitest, name, makeStorage);
    describeResourceQueryContract(vitest, name, makeStorage);
    describeFactorContract(vitest, name, makeStorage);
    describeRecoveryContract(vitest, name, makeStorage);
    describeSsoContract(vitest, name, makeStorage);
    describeRetentionContract(vitest, name, makeStorage);
  });
}
