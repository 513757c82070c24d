/**
 * Ninety simulated days of daily sign-ins, with a purge each night: every
 * watched table stays within the bound the retention windows give, on every
 * storage; without the purge, the same tables grow by a day's rows each day.
 *
 * Sign-ins are real `um.auth.signIn` calls with a hasher that hashes nothing.
 * The number of users differs by storage, to keep each storage's run within
 * about half a minute on a shared two-core machine: 90 days of 10,000 users
 * are 900,000 sign-ins, and a sign-in with its nightly share of the purge
 * measured about 0.6 ms on memory, 0.8 ms on SQLite, 4 ms on a PostgreSQL
 * server and 35 ms on PGlite there (under load), so 10,000 users would take
 * nine minutes on memory alone. The suite runs 500 users on memory, 200 on
 * SQLite, 50 on the server and 10 on PGlite; `TENANTRY_FULL_SIMULATION=1`
 * runs the full 10,000 users on memory. The bounds are per user, so they
 * hold alike at any count.
 */
import { PGlite } from '@electric-sql/pglite';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryStorage } from '../../adapters/memory/index.js';
import { postgresStorage } from '../../adapters/postgres/index.js';
import { sqliteStorage } from '../../adapters/sqlite/index.js';
import type { Storage } from '../../src/index.js';
import { describeWithServer, dropSchemas, freshSchema } from '../support/postgres-server.js';
import { boundsOf, type CountRows, simulate, type Watched } from './retention-simulation.js';
import { rowLedger } from './row-ledger.js';

const DAYS = 90;
/** The shorter run without a purge: long enough to see the growth, short enough to stay cheap. */
const DAYS_WITHOUT_PURGE = 10;
const watched: Watched[] = ['sessions', 'tokens', 'auditEvents'];
const tables: Record<Watched, string> = {
  sessions: 'tenantry_sessions',
  tokens: 'tenantry_tokens',
  auditEvents: 'tenantry_audit_events',
};

type MakeRun = () => Promise<{ storage: Storage; countRows: CountRows; check?: () => Promise<void> }>;

/** Counts through SQL, for the SQL storages. */
const sqlCounter =
  (count: (table: string) => Promise<number>): CountRows =>
  async () => {
    const rows = {} as Record<Watched, number>;
    for (const table of watched) rows[table] = await count(tables[table]);
    return rows;
  };

function describeSimulation(name: string, users: number, makeRun: MakeRun, timeoutMs: number): void {
  describe(`${name}: retention over ${DAYS} simulated days`, () => {
    it(
      `keeps every table within its bound with a purge each night (${users} users)`,
      async () => {
        const { storage, countRows, check } = await makeRun();
        const nights = await simulate(storage, countRows, { users, days: DAYS, purge: true });
        // A day's events, measured on the first night (nothing is old enough to go yet).
        const perDay = (nights[0] as Record<Watched, number>).auditEvents - 1;
        expect(perDay).toBeGreaterThanOrEqual(users);
        const bounds = boundsOf(users, perDay, DAYS);
        for (const night of nights)
          for (const table of watched) expect(night[table]).toBeLessThanOrEqual(bounds[table]);
        // And the purge did remove: past the windows, the tables stopped growing.
        const last = nights.at(-1) as Record<Watched, number>;
        expect(last.sessions).toBeLessThan(users * DAYS);
        expect(last.sessions).toBe(nights.at(-2)?.sessions);
        expect(last.auditEvents).toBeLessThan(perDay * DAYS);
        await check?.();
      },
      timeoutMs,
    );

    it(
      `grows by a day's rows each day without the purge (${DAYS_WITHOUT_PURGE} days)`,
      async () => {
        const { storage, countRows, check } = await makeRun();
        const nights = await simulate(storage, countRows, { users, days: DAYS_WITHOUT_PURGE, purge: false });
        const perDay = (nights[0] as Record<Watched, number>).auditEvents;
        nights.forEach((night, day) => {
          expect(night.sessions).toBe(users * (day + 1));
          expect(night.auditEvents).toBe(perDay * (day + 1));
        });
        await check?.();
      },
      timeoutMs,
    );
  });
}

const fullOnMemory = process.env.TENANTRY_FULL_SIMULATION === '1';
describeSimulation(
  'memory',
  fullOnMemory ? 10_000 : 500,
  async () => {
    const memory = memoryStorage();
    const { storage, countRows } = rowLedger(memory);
    // The ledger counts what committed; the snapshot at the end says what is really there.
    const check = async () => {
      const snapshot = memory.snapshot() as { sessions: unknown[]; tokens: unknown[]; audit: unknown[] };
      const counted = await countRows();
      expect([snapshot.sessions.length, snapshot.tokens.length, snapshot.audit.length]).toEqual([
        counted.sessions,
        counted.tokens,
        counted.auditEvents,
      ]);
    };
    return { storage, countRows, check };
  },
  fullOnMemory ? 900_000 : 120_000,
);

describeSimulation(
  'sqlite',
  200,
  async () => {
    const database = new Database(':memory:');
    const storage = sqliteStorage({ database });
    await storage.migrate();
    const count = async (table: string) =>
      (database.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    return { storage, countRows: sqlCounter(count) };
  },
  120_000,
);

describeSimulation(
  'pglite',
  10,
  async () => {
    const db = new PGlite();
    const storage = postgresStorage({ client: db });
    await storage.migrate();
    const count = async (table: string) =>
      Number((await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]?.n);
    return { storage, countRows: sqlCounter(count) };
  },
  180_000,
);

describeWithServer('PostgreSQL server: retention simulation', (url) => {
  const pool = new pg.Pool({ connectionString: url, max: 8 });
  const schemas: string[] = [];
  afterAll(async () => {
    await dropSchemas(pool, schemas);
    await pool.end();
  });
  describeSimulation(
    'postgres',
    50,
    async () => {
      const schema = freshSchema('retention');
      schemas.push(schema);
      const storage = postgresStorage({ client: pool, schema });
      await storage.migrate();
      const count = async (table: string) =>
        Number((await pool.query(`SELECT count(*)::int AS n FROM "${schema}".${table}`)).rows[0]?.n);
      return { storage, countRows: sqlCounter(count) };
    },
    180_000,
  );
});
