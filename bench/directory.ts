/** `users.list` in one organization of 100,000 users (10,000 with --quick): a search page and plain pages. */
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { Storage, User } from '../dist/index.js';
import { memoryStorage } from '../dist/memory.js';
import { postgresStorage } from '../dist/postgres.js';
import { signedIn } from './fixtures.js';
import { type Budget, type Measurement, time } from './harness.js';

const firstNames = ['Ada', 'Grace', 'Alan', 'Édith', 'Barbara', 'Linus', 'Margaret', 'Dennis', 'Frances', 'Ken'];
const lastNames = ['Lovelace', 'Hopper', 'Turing', 'Piaf', 'Liskov', 'Torvalds', 'Hamilton', 'Ritchie', 'Allen'];

function person(index: number, organizationId: string): User {
  const at = new Date(1_700_000_000_000 + index * 1_000);
  const firstName = firstNames[index % firstNames.length] as string;
  const lastName = `${lastNames[(index * 7) % lastNames.length]}${index % 1_000}`;
  return {
    id: `usr_bench${index.toString(36).padStart(10, '0')}`,
    organizationId,
    email: `${firstName.toLowerCase()}.${lastName.toLowerCase()}.${index}@bench.example`,
    firstName,
    lastName,
    phone: null,
    status: index % 10 === 0 ? 'pending' : 'active',
    canSignIn: true,
    permissions: index % 50 === 0 ? ['tickets.edit', 'tickets.view'] : [],
    roles: ['basic'],
    expiresAt: null,
    failedSignIns: 0,
    lockedAt: null,
    lockedUntil: null,
    mustChangePassword: false,
    emailNotifications: true,
    preferences: {},
    termsAcceptedAt: null,
    createdAt: at,
    updatedAt: at,
    activatedAt: index % 10 === 0 ? null : at,
    lastSignInAt: null,
    erasedAt: null,
  };
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
  const pglite = new PGlite();
  const onPglite = postgresStorage({ client: pglite });
  await onPglite.migrate();
  rows.push(...(await directory('PGlite', onPglite, users, budget, () => pglite.query('ANALYZE'))));
  await pglite.close();
  if (databaseUrl) {
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
    const schema = `bench_list_${process.pid}`;
    try {
      const server = postgresStorage({ client: pool, schema });
      await server.migrate();
      const analyze = () => pool.query(`ANALYZE "${schema}".tenantry_users`);
      rows.push(...(await directory('PostgreSQL server', server, users, budget, analyze)));
    } finally {
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await pool.end();
    }
  }
  return rows;
}
