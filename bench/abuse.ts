/**
 * Sign-in under load, with the default hasher and policy: how many sign-ins a
 * core serves, what a legitimate user waits while one client floods, and
 * what the password strength check costs on the longest inputs.
 */
import os from 'node:os';
import { commonPasswordChecker, defaultPasswordHasher, type User } from '../dist/index.js';
import { memoryStorage } from '../dist/memory.js';
import { password, signedIn } from './fixtures.js';
import { type Budget, type Measurement, time } from './harness.js';

const suite = 'sign-in under load';

/** Latencies in ns as a measurement: median, p95, p99, and the rate they were served at. */
function summary(name: string, latencies: number[], opsPerSecond: number): Measurement {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (share: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))] ?? 0;
  return {
    suite,
    name,
    median: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    opsPerSecond,
    samples: sorted.length,
    rounds: [at(0.5)],
  };
}

/** Sign-ins of one user, as many at once as there are cores, for `seconds`: the throughput per core. */
async function throughput(budget: Budget): Promise<Measurement> {
  const { um, admin } = await signedIn(memoryStorage(), defaultPasswordHasher());
  const cores = os.availableParallelism();
  const seconds = budget.quick ? 1 : 6;
  const latencies: number[] = [];
  const until = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: cores }, async () => {
      while (performance.now() < until) {
        const started = performance.now();
        await um.auth.signIn({ email: admin.email, password });
        latencies.push((performance.now() - started) * 1e6);
      }
    }),
  );
  const row = summary(
    'argon2id (default): sign-ins per second per core',
    latencies,
    latencies.length / seconds / cores,
  );
  row.note = `${cores} core(s), ${cores} sign-ins at a time`;
  return row;
}

/**
 * One client floods sign-in with wrong passwords for random addresses, 64 at
 * a time, while a legitimate user signs in from another address, one sign-in
 * after the other: the user's latencies.
 */
async function underFlood(budget: Budget, limits: boolean): Promise<Measurement> {
  const { um, admin } = await signedIn(memoryStorage(), defaultPasswordHasher(), {
    rateLimits: { enabled: limits },
  });
  const attempts = budget.quick ? 10 : 60;
  let flooding = true;
  let refused = 0;
  let tried = 0;
  const flood = Array.from({ length: 64 }, async () => {
    while (flooding) {
      tried++;
      const email = `nobody.${Math.random().toString(36).slice(2)}@bench.example`;
      await um.auth
        .signIn({ email, password: 'wrong but long password', ip: '203.0.113.66' })
        .catch((error: { code?: string }) => {
          if (error?.code === 'RATE_LIMITED') refused++;
        });
      // A refused attempt costs nothing; the flooder tries again at once, as fast as the loop turns.
      await new Promise((resolve) => setImmediate(resolve));
    }
  });
  const latencies: number[] = [];
  let userRefused = 0;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const started = performance.now();
    await um.auth.signIn({ email: admin.email, password, ip: '198.51.100.7' }).catch((error: { code?: string }) => {
      if (error?.code !== 'RATE_LIMITED') throw error;
      userRefused++;
    });
    latencies.push((performance.now() - started) * 1e6);
  }
  flooding = false;
  await Promise.all(flood);
  const name = limits ? 'a user’s sign-in while one client floods (limits on)' : 'the same, rate limits off';
  const row = summary(name, latencies, 0);
  row.note = `flood: ${tried.toLocaleString('en-US')} attempts, ${refused.toLocaleString('en-US')} refused early; the user was refused ${userRefused} of ${attempts}`;
  return row;
}

/** The default strength check on the longest inputs, which took zxcvbn seconds on the whole password. */
async function strengthCheck(budget: Budget): Promise<Measurement> {
  const check = commonPasswordChecker();
  const user = { email: 'ann@bench.example', firstName: 'Ann', lastName: 'Admin' } as User;
  const input = 'p4$$w0rd'.repeat(512);
  const row = await time(suite, 'password strength check, 4,096 characters', () => check(input, user), budget, {
    slow: true,
  });
  row.note = 'in a worker thread, on the first 32 characters';
  return row;
}

export async function abuseBenchmarks(budget: Budget): Promise<Measurement[]> {
  return [
    await throughput(budget),
    await underFlood(budget, true),
    await underFlood(budget, false),
    await strengthCheck(budget),
  ];
}
