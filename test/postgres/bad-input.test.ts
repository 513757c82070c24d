import { afterAll } from 'vitest';
import { dumpTables } from '../contract/failure-injection.js';
import { describeAddressesAndNames } from '../scenarios/addresses-and-names.js';
import { describeBadInput } from '../scenarios/bad-input.js';
import { describeWithServer, serverStorages } from '../support/postgres-server.js';

// The real server refuses NUL and unpaired surrogates outright; these must be refused before it sees them.
describeWithServer('bad input on the real PostgreSQL server', (url) => {
  const storages = serverStorages(url);
  afterAll(() => storages.close());
  const server = async () => {
    const storage = await storages.make();
    const schema = storages.schemas.at(-1) as string;
    const select = async (table: string) =>
      (await storages.pool.query(`SELECT * FROM "${schema}".${table} ORDER BY 1`)).rows;
    return { storage, dump: () => dumpTables(select) };
  };
  describeBadInput('postgres', server);
  describeAddressesAndNames('postgres', () => storages.make());
});
