import type { Storage } from '../../src/index.js';
import { describeIdentityContract } from './storage-identity.js';
import { describeImportContract } from './storage-imports.js';
import { describeQueryContract } from './storage-queries.js';
import { describeRecordContract } from './storage-records.js';
import { describeTransactionContract } from './storage-transactions.js';

/** Makes a fresh, empty storage for one test. */
export type MakeStorage = () => Promise<Storage> | Storage;

/**
 * The contract every storage adapter passes: records, queries,
 * transactions, identity records and import batches and history, through the `Storage` port only, a fresh storage per test.
 */
export function describeStorageContract(name: string, makeStorage: MakeStorage): void {
  describeRecordContract(name, makeStorage);
  describeQueryContract(name, makeStorage);
  describeTransactionContract(name, makeStorage);
  describeIdentityContract(name, makeStorage);
  describeImportContract(name, makeStorage);
}
