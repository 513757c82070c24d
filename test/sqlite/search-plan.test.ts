import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { sqliteStorage } from '../../adapters/sqlite/index.js';
import type { UserQuery } from '../../src/adapter-kit/index.js';
import { type IndexedStorage, seeded } from '../support/search-blocks.js';

/** A storage whose statements are kept with the values they ran with, to ask SQLite how it ran them. */
function recorded() {
  const database = new Database(':memory:');
  const ran: { source: string; values: unknown[] }[] = [];
  const prepare = database.prepare.bind(database);
  database.prepare = ((source: string) => {
    const statement = prepare(source);
    const all = statement.all.bind(statement);
    statement.all = ((...values: unknown[]) => {
      ran.push({ source, values });
      return all(...values);
    }) as typeof statement.all;
    return statement;
  }) as typeof database.prepare;
  return { database, ran };
}

/** SQLite's plan of a statement: each step's detail, indented under its parent. */
function planOf(database: Database.Database, source: string, values: unknown[]): string[] {
  const steps = database.prepare(`EXPLAIN QUERY PLAN ${source}`).all(...values) as {
    id: number;
    parent: number;
    detail: string;
  }[];
  const depth = new Map<number, number>([[0, 0]]);
  return steps.map((step) => {
    const level = (depth.get(step.parent) ?? 0) + 1;
    depth.set(step.id, level);
    return `${'  '.repeat(level)}${step.detail}`;
  });
}

it('sqlite: a search page of a company with blocks walks the blocks first, then each one’s key range of the sort index', async () => {
  const { database, ran } = recorded();
  const make = async () => {
    const storage = sqliteStorage({ database });
    await storage.migrate();
    return storage as IndexedStorage;
  };
  const { storage, organization } = await seeded(make, 600, 11);
  await storage.searchIndex.rebuild(organization.id);
  const query: UserQuery = {
    organizationId: organization.id,
    search: 'torvalds',
    statuses: ['active', 'pending'],
    sort: 'name',
    order: 'asc',
    limit: 50,
  };
  ran.length = 0;
  await storage.transaction((tx) => tx.users.query(query));
  const page = ran.find((statement) => statement.source.includes('tenantry_search_blocks'));
  expect(page, 'the page reads the blocks').toBeDefined();
  const plan = planOf(database, page?.source ?? '', page?.values ?? []);
  const blocks = plan.findIndex((step) => step.includes('SEARCH tenantry_search_blocks USING PRIMARY KEY'));
  expect(blocks, plan.join('\n')).toBeGreaterThan(-1);
  // Next, in the same loop: the sort index, bounded by the block's first and last keys, never the whole company.
  expect(plan[blocks + 1], plan.join('\n')).toMatch(
    /SEARCH tenantry_users\S* USING COVERING INDEX tenantry_users_by_name \(organization_id=\? AND last_name_key>\? AND last_name_key<\?\)/,
  );
  // Users written since the build come through the revision index.
  expect(plan.join('\n')).toContain('tenantry_users_by_search_revision (organization_id=? AND search_revision>?)');
});
