import Database from 'better-sqlite3';
import { sqliteStorage } from '../../adapters/sqlite/index.js';
import { describeScenarios } from '../scenarios/all.js';

const sqlite = async () => {
  const storage = sqliteStorage({ database: new Database(':memory:') });
  await storage.migrate();
  return storage;
};

// Like PGlite, one connection runs calls strictly one after the other.
describeScenarios('sqlite', sqlite);
