import { afterAll } from 'vitest';
import { describeScenarios } from '../scenarios/all.js';
import { describeWithPooler } from '../support/postgres-pooler.js';
import { serverStorages } from '../support/postgres-server.js';

// Every public-API scenario through PgBouncer in transaction mode, from a pg Pool of more clients than the pooler
// has server connections, each test in a schema of its own.
describeWithPooler('scenarios through PgBouncer in transaction mode', (url) => {
  const storages = serverStorages(url);
  afterAll(() => storages.close());
  describeScenarios('postgres through PgBouncer', () => storages.make(), { loser: 'either' });
});
