import Database from 'better-sqlite3';
import { sqliteStorage } from '../../adapters/sqlite/index.js';
import { describeFailureInjection } from '../contract/failure-injection.js';

const tables = [
  'tenantry_organizations',
  'tenantry_users',
  'tenantry_custom_roles',
  'tenantry_audit_events',
  'tenantry_credentials',
  'tenantry_tokens',
  'tenantry_sessions',
];

describeFailureInjection('sqlite', async () => {
  const database = new Database(':memory:');
  const storage = sqliteStorage({ database });
  await storage.migrate();
  const dump = async () => {
    const result: Record<string, unknown> = {};
    for (const table of tables) result[table] = database.prepare(`SELECT * FROM ${table} ORDER BY 1`).all();
    return result;
  };
  return { storage, dump };
});
