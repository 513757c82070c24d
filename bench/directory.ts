/** `users.list` in one organization of 100,000 users (10,000 with --quick): a search page and plain pages. */
import type { Storage } from '../dist/index.js';
import { memoryStorage } from '../dist/memory.js';
import { benchUser, withPglite, withServer } from './databases.js';
import { signedIn } from './fixtures.js';
import { type Budget, type Measurement, time } from './harness.js';

const firstNames = ['Ada', 'Grace', 'Alan', 'Édith', 'Barbara', 'Linus', 'Margaret', 'Dennis', 'Frances', 'Ken'];
const lastNames = ['Lovelace', 'Hopper', 'Turing', 'Piaf', 'Liskov', 'Torvalds', 'Hamilton', 'Ritchie', 'Allen'];

/** Names that repeat, as in a real directory, and a status and grant mix (one in ten pending: `index % 10 === 0`). */
export function person(index: number, organizationId: string) {
  const firstName = firstNames[index % firstNames.length] as string;
  const lastName = `${lastNames[(index * 7) % lastNames.length]}${index % 1_000}`;
  const pending = index % 10 === 0;
  return benchUser(index, organizationId, {
    email: `${firstName.toLowerCase()}.${lastName.toLowerCase()}.${index}@bench.example`,
    firstName,
    lastName,
    status: pending ? 'pending' : 'active',
    activatedAt: pending ? null : new Date(1_700_000_000_000 + index * 1_000),
    permissions: index % 50 === 1 ? ['tickets.edit', 'tickets.view'] : [],
  });
}

async function directory(
  name: string,
  storage: Storage,
  users: number,
  budget: Budget,
  analyze?: () => Promise<unknown>,
): Promise<Measurement[]> {
  const { um, organization } = await signedIn(storage);
  for (let start = 0; start < users; start += 2_000) {
    await storage.transaction(async (tx) => {
      for (let index = start; index < Math.min(users, start + 2_000); index++) {
        await tx.users.insert(person(index, organization.id));
      }
    });
  }
  // The planner's statistics up to date, as autovacuum keeps them on a directory in steady use.
  await analyze?.();
  const operator = um.as({ type: 'operator' });
  const suite = `users.list at ${users.toLocaleString('en-US')} users`;
  const base = { organizationId: organization.id, limit: 50 } as const;
  const second = (await operator.users.list({ ...base, sort: 'name' })).nextCursor as string;
  return [
    await time(
      suite,
      `${name}: search "hopper12", sorted by name`,
      () => operator.users.list({ ...base, search: 'hopper12', sort: 'name' }),
      budget,
      { slow: budget.quick },
    ),
    await time(
      suite,
      `${name}: search "zebra" (matches nobody)`,
      () => operator.users.list({ ...base, search: 'zebra', sort: 'name' }),
      budget,
      { slow: budget.quick },
    ),
    await time(
      suite,
      `${name}: search "edith" (accents ignored)`,
      () => operator.users.list({ ...base, search: 'edith' }),
      budget,
      { slow: budget.quick },
    ),
    await time(suite, `${name}: first page by name`, () => operator.users.list({ ...base, sort: 'name' }), budget, {
      slow: budget.quick,
    }),
    await time(
      suite,
      `${name}: second page by name (cursor)`,
      () => operator.users.list({ ...base, sort: 'name', cursor: second }),
      budget,
      { slow: budget.quick },
    ),
    await time(
      suite,
      `${name}: holders of tickets.edit, newest first`,
      () => operator.users.list({ ...base, permissions: ['tickets.edit'], order: 'desc' }),
      budget,
      { slow: budget.quick },
    ),
  ];
}

export async function directoryBenchmarks(budget: Budget, databaseUrl: string | undefined): Promise<Measurement[]> {
  const users = budget.quick ? 10_000 : 100_000;
  const rows = await directory('memory', memoryStorage(), users, budget);
  rows.push(
    ...(await withPglite((storage, db) => directory('PGlite', storage, users, budget, () => db.query('ANALYZE')))),
  );
  const onServer = await withServer(databaseUrl, (storage, pool, schema) =>
    directory('PostgreSQL server', storage, users, budget, () => pool.query(`ANALYZE "${schema}".tenantry_users`)),
  );
  return [...rows, ...(onServer ?? [])];
}
