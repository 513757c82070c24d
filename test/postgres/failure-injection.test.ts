import { PGlite } from '@electric-sql/pglite';
import { postgresStorage } from '../../adapters/postgres/index.js';
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

describeFailureInjection('pglite', async () => {
  const client = new PGlite();
  const storage = postgresStorage({ client });
  await storage.migrate();
  const dump = async () => {
    const result: Record<string, unknown> = {};
    for (const table of tables) result[table] = (await client.query(`SELECT * FROM ${table} ORDER BY 1`)).rows;
    return result;
  };
  return { storage, dump };
});
