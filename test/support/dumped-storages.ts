import { PGlite } from '@electric-sql/pglite';
import Database from 'better-sqlite3';
import { memoryStorage } from '../../adapters/memory/index.js';
import { postgresStorage } from '../../adapters/postgres/index.js';
import { sqliteStorage } from '../../adapters/sqlite/index.js';
import type { Storage } from '../../src/index.js';
import { dumpTables } from '../contract/failure-injection.js';

/** A fresh storage of one adapter, and a dump of every row it holds, to compare before and after a call. */
export type MakeDumpedStorage = () => Promise<{ storage: Storage; dump: () => Promise<unknown> }>;

const memory: MakeDumpedStorage = async () => {
  const storage = memoryStorage();
  return { storage, dump: async () => storage.snapshot() };
};

// One migrated PGlite, made on first use; every storage is a clone of it.
let template: Promise<PGlite> | undefined;
const migratedTemplate = async () => {
  const database = new PGlite();
  await postgresStorage({ client: database }).migrate();
  return database;
};

const pglite: MakeDumpedStorage = async () => {
  template ??= migratedTemplate();
  const client = await (await template).clone();
  const dump = () => dumpTables(async (table) => (await client.query(`SELECT * FROM ${table} ORDER BY 1`)).rows);
  return { storage: postgresStorage({ client }), dump };
};

const sqlite: MakeDumpedStorage = async () => {
  const database = new Database(':memory:');
  const storage = sqliteStorage({ database });
  await storage.migrate();
  const dump = () => dumpTables((table) => database.prepare(`SELECT * FROM ${table} ORDER BY 1`).all());
  return { storage, dump };
};

/** The adapters that run in-process: memory, PostgreSQL as PGlite, and SQLite. */
export const embeddedStorages: readonly (readonly [name: string, make: MakeDumpedStorage])[] = [
  ['memory', memory],
  ['pglite', pglite],
  ['sqlite', sqlite],
];
