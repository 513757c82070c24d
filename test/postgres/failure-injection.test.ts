import { PGlite } from '@electric-sql/pglite';
import { postgresStorage } from '../../adapters/postgres/index.js';
import { describeFailureInjection, dumpTables } from '../contract/failure-injection.js';

describeFailureInjection('pglite', async () => {
  const client = new PGlite();
  const storage = postgresStorage({ client });
  await storage.migrate();
  const dump = () => dumpTables(async (table) => (await client.query(`SELECT * FROM ${table} ORDER BY 1`)).rows);
  return { storage, dump };
});
