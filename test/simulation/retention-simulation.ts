import { memoryMailer, testClock } from '../../adapters/memory/index.js';
import {
  type PasswordHasher,
  type PolicyInput,
  type Storage,
  type StorageTransaction,
  UserManagement,
} from '../../src/index.js';
import { organizationRecord, userRecord } from '../../src/testing/index.js';

export const DAY = 86_400_000;
const password = 'a long passphrase nobody guesses';

/** A hasher that hashes nothing, so that a simulated sign-in costs tenantry's work alone. */
const noHashing: PasswordHasher = {
  hash: async (secret) => `plain$${secret}`,
  verify: async (hash, secret) => hash === `plain$${secret}`,
  needsRehash: () => false,
};

/** The tables the simulation watches. */
export type Watched = 'sessions' | 'tokens' | 'auditEvents';

/** How many rows each watched table holds now. */
export type CountRows = () => Promise<Record<Watched, number>>;

/**
 * The policy of the simulation: sessions of the default lifetimes (8 hours
 * idle, 30 days absolute) kept 7 days after they end, tokens 7 days, the
 * audit trail 30 days.
 */
export const simulationPolicy = {
  retention: { endedSessionsDays: 7, usedTokensDays: 7, auditEventsDays: 30 },
} satisfies PolicyInput;

const absoluteDays = 30;

/**
 * What a table may hold at most on any night after its purge, from the
 * policy's windows: a user's session of each day stays until its absolute
 * end (30 days) is longer ago than the window (7 days), so at most
 * `users × (30 + 7 + 1)` sessions; the audit trail at most 31 days of a
 * day's events (what one day of sign-ins writes, measured on the first
 * day), plus one event per purge.
 */
export function boundsOf(users: number, auditEventsPerDay: number, days: number): Record<Watched, number> {
  const { endedSessionsDays, auditEventsDays } = simulationPolicy.retention;
  return {
    sessions: users * (absoluteDays + endedSessionsDays + 1),
    tokens: 0,
    auditEvents: auditEventsPerDay * (auditEventsDays + 1) + days,
  };
}

/** An installation on `storage` with one company of `users` active users who sign in with a password. */
export async function installation(storage: Storage, users: number) {
  const clock = testClock('2026-01-01T08:00:00Z');
  const um = new UserManagement({
    storage,
    mailer: memoryMailer(),
    clock,
    passwordHasher: noHashing,
    passwordChecker: null,
    policy: simulationPolicy,
  });
  const organization = organizationRecord({ name: 'Simulated' });
  const people = Array.from({ length: users }, (_, index) =>
    userRecord(organization.id, { email: `user${index}@simulated.example` }),
  );
  await storage.transaction(async (tx: StorageTransaction) => {
    await tx.organizations.insert(organization);
    await tx.users.insertMany(people);
    for (const person of people) {
      await tx.credentials.set({ userId: person.id, passwordHash: `plain$${password}`, updatedAt: clock.now() });
    }
  });
  /** One morning: every user signs in once, a few at a time. */
  const morning = async () => {
    for (let start = 0; start < people.length; start += 8) {
      await Promise.all(
        people.slice(start, start + 8).map((person) => um.auth.signIn({ email: person.email, password })),
      );
    }
  };
  return { um, clock, morning };
}

/**
 * `days` simulated days on `storage`: each morning every user signs in
 * (real `um.auth.signIn` calls), and each night, when `purge` is set, one
 * `maintenance.purge`. Returns the rows of the watched tables after each day.
 */
export async function simulate(
  storage: Storage,
  countRows: CountRows,
  options: { users: number; days: number; purge: boolean },
): Promise<Record<Watched, number>[]> {
  const { um, clock, morning } = await installation(storage, options.users);
  const nights: Record<Watched, number>[] = [];
  for (let day = 0; day < options.days; day += 1) {
    await morning();
    clock.advance(16 * 3_600_000);
    if (options.purge) await um.maintenance.purge();
    nights.push(await countRows());
    clock.advance(8 * 3_600_000);
  }
  return nights;
}
