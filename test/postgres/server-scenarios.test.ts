import { afterAll } from 'vitest';
import { describeScenarios } from '../scenarios/all.js';
import { describeWithServer, serverStorages } from '../support/postgres-server.js';

// Every public-API scenario on the real server through a pg Pool, each test in a schema of its own.
describeWithServer('scenarios on the real PostgreSQL server', (url) => {
  const storages = serverStorages(url);
  afterAll(() => storages.close());
  const server = () => storages.make();
  describeScenarios('postgres', server, { loser: 'either' });
});
