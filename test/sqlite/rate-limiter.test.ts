import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { sqliteStorage } from '../../adapters/sqlite/index.js';
import { sqliteRateLimiter } from '../../adapters/sqlite/rate-limiter.js';
import { describeRateLimiterContract } from '../../src/testing/index.js';
import { deferred } from '../support/deferred.js';

const start = new Date('2026-03-02T09:00:00Z');
const later = (ms: number) => new Date(start.getTime() + ms);
const onePerSecond = { limit: 1, windowMs: 1_000 };

const migrated = async (database = new Database(':memory:')) => {
  const storage = sqliteStorage({ database });
  await storage.migrate();
  return { database, storage };
};

await describeRateLimiterContract('sqlite', async () => (await migrated()).storage.rateLimiter);

describe('sqlite rate limiter', () => {
  const directory = mkdtempSync(join(tmpdir(), 'tenantry-sqlite-limits-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('writes nothing when only asked about a key it has never seen', async () => {
    const { database, storage } = await migrated();
    expect(await storage.rateLimiter.consume('k:asked', onePerSecond, start, 0)).toEqual({ allowed: true });
    expect(database.prepare('SELECT key FROM tenantry_rate_limits').all()).toEqual([]);
  });

  it('deletes keys whose allowance has recovered, every so many spends, and keeps the others', async () => {
    const { database } = await migrated();
    const limiter = sqliteRateLimiter(database, 4);
    for (const key of ['k:a', 'k:b', 'k:c']) await limiter.consume(key, onePerSecond, start);
    // The fourth spend, once the others have recovered, sweeps them; its own key was just spent and stays.
    expect(await limiter.consume('k:d', onePerSecond, later(1_000))).toEqual({ allowed: true });
    expect(database.prepare('SELECT key FROM tenantry_rate_limits').all()).toEqual([{ key: 'k:d' }]);
    expect((await limiter.consume('k:d', onePerSecond, later(1_000))).allowed).toBe(false);
    expect((await limiter.consume('k:a', onePerSecond, later(1_000))).allowed).toBe(true);
  });

  it('shares one allowance between two connections to one file, as between two processes', async () => {
    const file = join(directory, 'shared.db');
    const first = await migrated(new Database(file));
    const second = await migrated(new Database(file));
    try {
      const fivePerMinute = { limit: 5, windowMs: 60_000 };
      const answers = await Promise.all(
        Array.from({ length: 8 }, (_, index) =>
          (index % 2 ? first : second).storage.rateLimiter.consume('k:shared', fivePerMinute, start),
        ),
      );
      expect(answers.filter((answer) => answer.allowed)).toHaveLength(5);
      expect(await first.storage.rateLimiter.consume('k:shared', fivePerMinute, start, 0)).toEqual({
        allowed: false,
        retryAfterMs: 12_000,
      });
    } finally {
      first.database.close();
      second.database.close();
    }
  });

  it('spends outside a transaction that is running, and keeps the spend when that transaction fails', async () => {
    const { storage } = await migrated();
    const held = deferred();
    const inside = deferred();
    const failing = storage.transaction(async () => {
      inside.resolve();
      await held.promise;
      throw new Error('boom');
    });
    await inside.promise;
    const spending = storage.rateLimiter.consume('k:outside', onePerSecond, start);
    held.resolve();
    await expect(failing).rejects.toThrow('boom');
    expect(await spending).toEqual({ allowed: true });
    expect((await storage.rateLimiter.consume('k:outside', onePerSecond, start)).allowed).toBe(false);
  });
});
