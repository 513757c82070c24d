/**
 * `users.list` in one organization of 100,000 users (10,000 with --quick): searches, filters and plain pages on
 * every adapter; then, on PostgreSQL, in an installation grown around that organization: 1,000,000 users in
 * 10,000 companies on a server, 200,000 in 1,112 on PGlite (20,000 on each with --quick), in the big
 * company and in a small one.
 */
import Database from 'better-sqlite3';
import { defineResources, type Storage } from '../dist/index.js';
import { memoryStorage } from '../dist/memory.js';
import { sqliteStorage } from '../dist/sqlite.js';
import { benchUser, withPglite, withServer } from './databases.js';
import { heldResource, plainPages, searchPages, timePages } from './directory-cases.js';
import { permissions, signedIn } from './fixtures.js';
import type { Budget, Measurement } from './harness.js';
import { growInstallation, membersOf, type Sql, smallCompany, smallDomain } from './million.js';

const firstNames = ['Ada', 'Grace', 'Alan', 'Édith', 'Barbara', 'Linus', 'Margaret', 'Dennis', 'Frances', 'Ken'];
const lastNames = ['Lovelace', 'Hopper', 'Turing', 'Piaf', 'Liskov', 'Torvalds', 'Hamilton', 'Ritchie', 'Allen'];

/** The mail domain of every seeded user of the directory. */
const domain = 'bench.example';

/** Names that repeat, as in a real directory, and a status and grant mix (one in ten pending: `index % 10 === 0`). */
export function person(index: number, organizationId: string) {
  const firstName = firstNames[index % firstNames.length] as string;
  const lastName = `${lastNames[(index * 7) % lastNames.length]}${index % 1_000}`;
  const pending = index % 10 === 0;
  return benchUser(index, organizationId, {
    email: `${firstName.toLowerCase()}.${lastName.toLowerCase()}.${index}@${domain}`,
    firstName,
    lastName,
    status: pending ? 'pending' : 'active',
    activatedAt: pending ? null : new Date(1_700_000_000_000 + index * 1_000),
    permissions: index % 50 === 1 ? ['tickets.edit', 'tickets.view'] : [],
  });
}

const resources = defineResources(permissions, { instance: { label: 'Instances' } });

/** What a database adds to a run: fresh statistics, and a way to grow the installation around the company. */
interface Installation {
  analyze?: () => Promise<unknown>;
  /** Runs a statement in the storage's schema; with it, the installation is grown and timed too. */
  sql?: Sql;
  /** How many copies of the company to spread over small companies. */
  copies?: number;
}

/** Seeds `users` into a new company (one in ten holding {@link heldResource}) and times its pages. */
async function directory(
  name: string,
  storage: Storage,
  users: number,
  budget: Budget,
  database: Installation = {},
): Promise<Measurement[]> {
  const { um, organization } = await signedIn(storage, undefined, {}, undefined, resources);
  for (let start = 0; start < users; start += 2_000) {
    await storage.transaction(async (tx) => {
      const batch = Array.from({ length: Math.min(users, start + 2_000) - start }, (_, offset) =>
        person(start + offset, organization.id),
      );
      await tx.users.insertMany(batch);
      for (const user of batch.filter((_, offset) => (start + offset) % 10 === 3)) {
        await tx.resources.add({
          organizationId: organization.id,
          userId: user.id,
          type: heldResource.type,
          resourceId: heldResource.id,
        });
      }
    });
  }
  // Vacuumed and the planner's statistics up to date, as autovacuum keeps a directory in steady use (after a bulk
  // load it vacuums too, since PostgreSQL 13): the visibility map set lets a search walk its sort index alone.
  await database.analyze?.();
  // The search index built, as the nightly `tenantry purge` builds it for a company this large (PostgreSQL and SQLite),
  // and its statistics brought up to date too.
  const started = performance.now();
  const refreshed = await um.maintenance.refreshSearch();
  const built = refreshed.rebuilt.length > 0 ? [searchIndexBuild(name, users, performance.now() - started)] : [];
  if (built.length > 0) await database.analyze?.();
  const operator = um.as({ type: 'operator' });
  const second = (await operator.users.list({ organizationId: organization.id, sort: 'name', limit: 50 }))
    .nextCursor as string;
  const at = { suite: `users.list at ${users.toLocaleString('en-US')} users`, name, budget, slow: budget.quick };
  const rows = [
    ...built,
    ...(await timePages(um, organization.id, [...searchPages(domain), ...plainPages(second)], at)),
  ];
  if (!database.sql || !database.copies) return rows;

  const companies = await growInstallation(database.sql, organization.id, domain, database.copies);
  const total = users * (database.copies + 1);
  const installation = {
    suite: `users.list in an installation of ${total.toLocaleString('en-US')} users (${(companies + 1).toLocaleString('en-US')} companies)`,
    name,
    budget,
    // Fewer samples: the pages are the same as above, and the run must stay within minutes.
    slow: true,
  };
  rows.push(
    ...(await timePages(um, organization.id, searchPages(domain), {
      ...installation,
      name: `${name}, its company of ${users.toLocaleString('en-US')}`,
    })),
  );
  const small = smallCompany(1);
  const members = await membersOf(database.sql, small);
  rows.push(
    ...(await timePages(um, small, searchPages(smallDomain(1)), {
      ...installation,
      name: `${name}, a company of ${members}`,
    })),
  );
  return rows;
}

/** The one build of a company's search index, as a row of one sample. */
function searchIndexBuild(name: string, users: number, ms: number): Measurement {
  const ns = ms * 1e6;
  return {
    suite: 'maintenance.refreshSearch',
    name: `${name}: build of a company of ${users.toLocaleString('en-US')} (one run)`,
    median: ns,
    p95: ns,
    opsPerSecond: 1e9 / ns,
    samples: 1,
    rounds: [ns],
  };
}

/** The directory on every adapter; the installation grown on PGlite and the server. */
export async function directoryBenchmarks(budget: Budget, databaseUrl: string | undefined): Promise<Measurement[]> {
  const users = budget.quick ? 10_000 : 100_000;
  const rows = await directory('memory', memoryStorage(), users, budget);
  const sqlite = sqliteStorage({ database: new Database(':memory:') });
  await sqlite.migrate();
  rows.push(...(await directory('SQLite (in memory)', sqlite, users, budget)));
  rows.push(
    ...(await withPglite((storage, db) =>
      directory('PGlite', storage, users, budget, {
        analyze: () => db.query('VACUUM ANALYZE'),
        sql: (text) => db.query(text) as Promise<{ rows: Record<string, unknown>[] }>,
        copies: 1,
      }),
    )),
  );
  const onServer = await withServer(databaseUrl, async (storage, pool, schema) => {
    const client = await pool.connect();
    try {
      await client.query(`SET search_path TO "${schema}", public`);
      return await directory('PostgreSQL server', storage, users, budget, {
        analyze: () =>
          client.query(
            'VACUUM ANALYZE tenantry_users, tenantry_resource_grants, tenantry_search_blocks, tenantry_search_builds',
          ),
        sql: (text) => client.query(text),
        copies: budget.quick ? 1 : 9,
      });
    } finally {
      client.release();
    }
  });
  return [...rows, ...(onServer ?? [])];
}
