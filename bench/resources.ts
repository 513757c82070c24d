/**
 * Resource access: `canAccess` on a user holding 10,000 ids of one type, beside a bare `Set.has`; and who holds a
 * resource (`resources.holders`, `users.list` by resource) in one organization of 100,000 users (10,000 with
 * --quick), of whom one in ten holds it, and of a resource only 10 users hold.
 */
import { do_not_optimize } from 'mitata';
import { defineResources, type Storage, type StorageTransaction, type User } from '../dist/index.js';
import { memoryStorage } from '../dist/memory.js';
import { canAccess } from '../dist/rules.js';
import { countQueries, withPglite, withServer } from './databases.js';
import { person } from './directory.js';
import { permissions, signedIn } from './fixtures.js';
import { type Budget, type Measurement, ratio, time } from './harness.js';

const resources = defineResources(permissions, {
  instance: { label: 'Instances' },
  job: { label: 'Jobs' },
});

/** The ids a user's list holds: 10,000, the most one `setResourceAccess` takes. */
const HELD = 10_000;
/** How many different ids the checks cycle through, so that no case asks about one id only. */
const ASKED = 1_024;

/** `canAccess` per call on a validated session holding 10,000 instance ids: a hit, a miss, and the Set's floor. */
async function checkBenchmarks(budget: Budget): Promise<Measurement[]> {
  const { um, admin, token } = await signedIn(memoryStorage(), undefined, {}, undefined, resources);
  const ids = Array.from({ length: HELD }, (_, index) => `inst-${(index * 7_919).toString(36).padStart(8, '0')}`);
  await um.as({ type: 'operator' }).users.setResourceAccess(admin.id, 'instance', { ids });
  const session = await um.auth.validateSession(token);
  const held = session.resourceAccess.instance;
  if (!Array.isArray(held) || held.length !== HELD) throw new Error('The session does not carry the 10,000 ids');

  // Ids spread over the list to ask about, and as many it does not hold.
  const hits = Array.from({ length: ASKED }, (_, index) => ids[(index * 9_973) % HELD] as string);
  const misses = hits.map((id) => `${id}-gone`);
  const floor = new Set(held);
  const answers = [
    hits.every((id) => canAccess(session, 'instance', id) && floor.has(id)),
    misses.every((id) => !canAccess(session, 'instance', id) && !floor.has(id)),
    !canAccess(session, 'job', hits[0] as string),
  ];
  if (!answers.every(Boolean)) throw new Error(`canAccess and the Set disagree: ${answers.join(', ')}`);

  const suite = `canAccess, ${HELD.toLocaleString('en-US')} ids of one type`;
  let next = 0;
  const ask = (list: readonly string[]) => list[next++ & (ASKED - 1)] as string;
  const setHit = await time(suite, 'bare Set.has, hit (floor)', () => do_not_optimize(floor.has(ask(hits))), budget);
  const setMiss = await time(
    suite,
    'bare Set.has, miss (floor)',
    () => do_not_optimize(floor.has(ask(misses))),
    budget,
  );
  const hit = await time(
    suite,
    'canAccess on a validated session, hit',
    () => do_not_optimize(canAccess(session, 'instance', ask(hits))),
    budget,
  );
  const miss = await time(
    suite,
    'canAccess on a validated session, miss',
    () => do_not_optimize(canAccess(session, 'instance', ask(misses))),
    budget,
  );
  const steady = 'the same session asked again: its Set, built on the second call, is found in a WeakMap';
  hit.note = `${ratio(hit, setHit)} a bare Set.has; ${steady}`;
  miss.note = `${ratio(miss, setMiss)} a bare Set.has; ${steady}`;

  // A session read afresh brings a new list: its first check scans it (a Set is built only when it is asked again).
  const fresh = await time(
    suite,
    'first canAccess on a list read afresh (scans it)',
    () => do_not_optimize(canAccess({ resourceAccess: { instance: held.slice() } }, 'instance', ask(hits))),
    budget,
  );
  const build = await time(
    suite,
    'bare copy of the list, then includes (floor)',
    () => do_not_optimize(held.slice().includes(ask(hits))),
    budget,
  );
  fresh.note = `${ratio(fresh, build)} a bare includes; both copy the list first: the first check after each validateSession`;
  const validate = await time(
    suite,
    'memory: validateSession, then canAccess (the whole request check)',
    async () => {
      const current = await um.auth.validateSession(token);
      return do_not_optimize(canAccess(current, 'instance', ask(hits)));
    },
    budget,
  );
  validate.note = 'each validateSession reads the list afresh: its first check is a scan, never the building of a Set';
  return [setHit, setMiss, hit, miss, fresh, build, validate];
}

/** The users (by index) with access to `job-rare`: one in each tenth of the directory, none pending. */
const rareHolders = (users: number) => Array.from({ length: 10 }, (_, tenth) => (tenth * users) / 10 + 7);

/**
 * The grants of user `index`, in as few statements as the port allows: one user in ten holds `inst-target`, a
 * quarter of them by all instances; one in a hundred holds 100 of a thousand other instances (about 100 holders
 * each), one in a hundred 20 of a thousand jobs, one in fifty `job-shared`; the 10 of `rare` hold `job-rare`, 8 by
 * its id, 2 by all jobs.
 */
async function seedGrants(tx: StorageTransaction, user: User, index: number, rare: readonly number[]) {
  const owner = { organizationId: user.organizationId, userId: user.id };
  const other = Math.floor(index / 100);
  if (index % 40 === 3) await tx.resources.add({ ...owner, type: 'instance', resourceId: null });
  else if (index % 10 === 3) await tx.resources.add({ ...owner, type: 'instance', resourceId: 'inst-target' });
  if (index % 100 === 7) {
    const ids = Array.from({ length: 100 }, (_, k) => `inst-${(other + k * 10) % 1_000}`);
    await tx.resources.replace({ ...owner, type: 'instance' }, ids);
  }
  if (index % 100 === 5) {
    const ids = Array.from({ length: 20 }, (_, k) => `job-${(other + k * 50) % 1_000}`);
    await tx.resources.replace({ ...owner, type: 'job' }, ids);
  }
  // A job one user in fifty holds (and the 2 with all jobs): about where the memory adapter stops walking its order.
  if (index % 50 === 1) await tx.resources.add({ ...owner, type: 'job', resourceId: 'job-shared' });
  const position = rare.indexOf(index);
  if (position >= 0) await tx.resources.add({ ...owner, type: 'job', resourceId: position < 8 ? 'job-rare' : null });
}

async function holderBenchmarks(
  name: string,
  storage: Storage,
  users: number,
  budget: Budget,
  database: {
    /** Brings the planner's statistics up to date. */
    analyze?: () => Promise<unknown>;
    /** How many statements one call sends. */
    statements?: (call: () => Promise<unknown>) => Promise<number>;
  } = {},
): Promise<Measurement[]> {
  const { um, organization } = await signedIn(storage, undefined, {}, undefined, resources);
  const organizationId = organization.id;
  const rare = rareHolders(users);
  for (let start = 0; start < users; start += 2_000) {
    await storage.transaction(async (tx) => {
      const batch = Array.from({ length: Math.min(users, start + 2_000) - start }, (_, offset) =>
        person(start + offset, organizationId),
      );
      await tx.users.insertMany(batch);
      for (const [offset, user] of batch.entries()) await seedGrants(tx, user, start + offset, rare);
    });
  }
  // The planner's statistics up to date, as autovacuum keeps them on a directory in steady use.
  await database.analyze?.();
  const operator = um.as({ type: 'operator' });
  const many = { type: 'instance', id: 'inst-target' };
  const few = { type: 'job', id: 'job-rare' };
  const shared = { type: 'job', id: 'job-shared' };
  const holding = users / 10;
  const sharing = users / 50 + 2;
  const count = async ({ type, id }: { type: string; id: string }) => {
    let found = 0;
    let cursor: string | undefined;
    do {
      const page = await operator.resources.holders({ organizationId, type, resourceId: id, limit: 100, cursor });
      found += page.items.length;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return found;
  };
  const found = [await count(many), await count(shared), await count(few)];
  if (found.join() !== [holding, sharing, 10].join()) {
    throw new Error(`Expected ${holding}, ${sharing} and 10 holders, found ${found.join(', ')}`);
  }

  const suite = `resource holders at ${users.toLocaleString('en-US')} users`;
  const cases: [string, () => Promise<unknown>][] = [
    [
      `resources.holders, ${holding.toLocaleString('en-US')} holders (a quarter by all)`,
      () => operator.resources.holders({ organizationId, type: many.type, resourceId: many.id, limit: 50 }),
    ],
    [
      `users.list by resource, ${holding.toLocaleString('en-US')} holders, newest first`,
      () => operator.users.list({ organizationId, resource: many, limit: 50 }),
    ],
    [
      `users.list by resource, ${holding.toLocaleString('en-US')} holders, by name`,
      () => operator.users.list({ organizationId, resource: many, sort: 'name', limit: 50 }),
    ],
    [
      `users.list by resource, ${sharing.toLocaleString('en-US')} holders (one in fifty), newest first`,
      () => operator.users.list({ organizationId, resource: shared, limit: 50 }),
    ],
    [
      'resources.holders, 10 holders (2 by all)',
      () => operator.resources.holders({ organizationId, type: few.type, resourceId: few.id, limit: 50 }),
    ],
    [
      'users.list by resource, 10 holders, newest first',
      () => operator.users.list({ organizationId, resource: few, limit: 50 }),
    ],
  ];
  const rows: Measurement[] = [];
  for (const [label, work] of cases) {
    const row = await time(suite, `${name}: ${label}`, work, budget, { slow: budget.quick });
    if (database.statements) {
      row.statements = await database.statements(work);
      row.note = `${row.statements} statements`;
    }
    rows.push(row);
  }
  return rows;
}

export async function resourceBenchmarks(budget: Budget, databaseUrl: string | undefined): Promise<Measurement[]> {
  const users = budget.quick ? 10_000 : 100_000;
  const rows = await checkBenchmarks(budget);
  rows.push(...(await holderBenchmarks('memory', memoryStorage(), users, budget)));
  rows.push(
    ...(await withPglite((storage, db) =>
      holderBenchmarks('PGlite', storage, users, budget, { analyze: () => db.query('ANALYZE') }),
    )),
  );
  const onServer = await withServer(databaseUrl, (storage, pool, schema) =>
    holderBenchmarks('PostgreSQL server', storage, users, budget, {
      analyze: () => pool.query(`ANALYZE "${schema}".tenantry_users, "${schema}".tenantry_resource_grants`),
      statements: countQueries,
    }),
  );
  return [...rows, ...(onServer ?? [])];
}
