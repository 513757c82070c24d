import Database from 'better-sqlite3';
import { sqliteStorage } from '../../adapters/sqlite/index.js';
import { describeFailureInjection, dumpTables } from '../contract/failure-injection.js';

describeFailureInjection('sqlite', async () => {
  const database = new Database(':memory:');
  const storage = sqliteStorage({ database });
  await storage.migrate();
  const dump = () => dumpTables((table) => database.prepare(`SELECT * FROM ${table} ORDER BY 1`).all());
  return { storage, dump };
});
