import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { postgresRateLimiter, postgresStorage } from '../../adapters/postgres/index.js';
import { describeRateLimiterContract } from '../../src/testing/index.js';
import { pgliteClones, pgliteSchemas } from '../support/pglite-clones.js';
import { describeWithServer, serverStorages } from '../support/postgres-server.js';

// One migrated database, cloned for the tests that need a database of their own; the contract gets a schema each.
const template = new PGlite();
await postgresStorage({ client: template }).migrate();
const clone = pgliteClones(template);

const start = new Date('2026-03-02T09:00:00Z');
const later = (ms: number) => new Date(start.getTime() + ms);
const onePerSecond = { limit: 1, windowMs: 1_000 };

const inSchema = pgliteSchemas();
await describeRateLimiterContract('pglite', async () => (await inSchema()).rateLimiter);

describe('pglite rate limiter', () => {
  it('writes nothing when only asked about a key it has never seen', async () => {
    const client = await clone();
    const limiter = postgresRateLimiter({ client });
    expect(await limiter.consume('k:asked', onePerSecond, start, 0)).toEqual({ allowed: true });
    expect((await client.query('SELECT key FROM tenantry_rate_limits')).rows).toEqual([]);
  });

  it('deletes keys whose allowance has recovered, every so many spends, and keeps the others', async () => {
    const client = await clone();
    const limiter = postgresRateLimiter({ client, sweepEvery: 4 });
    for (const key of ['k:a', 'k:b', 'k:c']) await limiter.consume(key, onePerSecond, start);
    // The fourth spend, once the others have recovered, sweeps them; its own key was just spent and stays.
    expect(await limiter.consume('k:d', onePerSecond, later(1_000))).toEqual({ allowed: true });
    const { rows } = await client.query<{ key: string }>('SELECT key FROM tenantry_rate_limits ORDER BY key');
    expect(rows.map((row) => row.key)).toEqual(['k:d']);
    expect((await limiter.consume('k:d', onePerSecond, later(1_000))).allowed).toBe(false);
    expect((await limiter.consume('k:a', onePerSecond, later(1_000))).allowed).toBe(true);
  });

  it('keeps its table in the storage’s schema', async () => {
    const client = await clone();
    const storage = postgresStorage({ client, schema: 'portal' });
    await storage.migrate();
    await storage.rateLimiter.consume('k:schema', onePerSecond, start);
    const { rows } = await client.query('SELECT key FROM portal.tenantry_rate_limits');
    expect(rows).toEqual([{ key: 'k:schema' }]);
  });
});

describeWithServer('real PostgreSQL server: shared rate limiter', (url) => {
  const storages = serverStorages(url);
  const sql = postgres(url, { max: 4, onnotice: () => undefined });
  const client = new pg.Client({ connectionString: url });
  const connected = client.connect();
  const otherPool = new pg.Pool({ connectionString: url, max: 8 });
  afterAll(async () => {
    await client.end();
    await sql.end();
    await otherPool.end();
    await storages.close();
  });

  describeRateLimiterContract('postgres (pg Pool)', async () => (await storages.make()).rateLimiter);
  describeRateLimiterContract('postgres (postgres.js)', async () => (await storages.make(sql)).rateLimiter);
  describeRateLimiterContract('postgres (pg Client)', async () => {
    await connected;
    return (await storages.make(client)).rateLimiter;
  });

  it('shares one allowance between two pools, as between two processes', async () => {
    await storages.make();
    const schema = storages.schemas.at(-1) as string;
    const first = postgresStorage({ client: storages.pool, schema }).rateLimiter;
    const second = postgresStorage({ client: otherPool, schema }).rateLimiter;
    const fivePerMinute = { limit: 5, windowMs: 60_000 };
    for (let spent = 0; spent < 3; spent++)
      expect((await first.consume('k:shared', fivePerMinute, start)).allowed).toBe(true);
    for (let spent = 0; spent < 2; spent++)
      expect((await second.consume('k:shared', fivePerMinute, start)).allowed).toBe(true);
    expect(await first.consume('k:shared', fivePerMinute, start)).toEqual({ allowed: false, retryAfterMs: 12_000 });
    expect(await second.consume('k:shared', fivePerMinute, start, 0)).toEqual({ allowed: false, retryAfterMs: 12_000 });
  });

  it('admits exactly the limit of 50 concurrent spends spread over two pools', async () => {
    await storages.make();
    const schema = storages.schemas.at(-1) as string;
    const limiters = [storages.pool, otherPool].map((pool) => postgresStorage({ client: pool, schema }).rateLimiter);
    const twentyPerMinute = { limit: 20, windowMs: 60_000 };
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, index) => limiters[index % 2]?.consume('k:race', twentyPerMinute, start)),
    );
    expect(answers.filter((answer) => answer?.allowed)).toHaveLength(20);
    const { rows } = await storages.pool.query(`SELECT next_at FROM "${schema}".tenantry_rate_limits`);
    expect(rows).toEqual([{ next_at: start.getTime() + 60_000 }]);
  });

  it('sweeps recovered keys while another pool spends on them', async () => {
    await storages.make();
    const schema = storages.schemas.at(-1) as string;
    const sweeping = postgresRateLimiter({ client: storages.pool, schema, sweepEvery: 1 });
    const spending = postgresRateLimiter({ client: otherPool, schema });
    const keys = Array.from({ length: 40 }, (_, index) => `k:${index}`);
    for (const key of keys) await spending.consume(key, onePerSecond, start);
    // Every spend at 1 s sweeps what has recovered by then, racing the other pool's spends on the same keys.
    const answers = await Promise.all(
      keys.flatMap((key) => [
        sweeping.consume(`k:sweep:${key}`, onePerSecond, later(1_000)),
        spending.consume(key, onePerSecond, later(1_000)),
      ]),
    );
    expect(answers.every((answer) => answer.allowed)).toBe(true);
    // Whatever the sweeps deleted, no spend made at 1 s was lost.
    for (const key of keys) expect((await spending.consume(key, onePerSecond, later(1_000))).allowed).toBe(false);
    // By 2 s every key has recovered, and the next sweep leaves only the key it just spent.
    await sweeping.consume('k:last', onePerSecond, later(2_000));
    const { rows } = await storages.pool.query(`SELECT key FROM "${schema}".tenantry_rate_limits`);
    expect(rows).toEqual([{ key: 'k:last' }]);
  });
});
