import { memoryMailer, testClock } from '../../adapters/memory/index.js';
import type { Storage } from '../../src/index.js';
import { scryptHasher, TenantryError, UserManagement } from '../../src/index.js';
import { permissions, person, roles } from '../support/tenantry.js';

/** What a burst of calls came to: successes, refusals by `TenantryError` code, and any other failure by message. */
export interface Tally {
  succeeded: number;
  refused: Record<string, number>;
  failed: Record<string, number>;
}

const password = 'a long passphrase nobody guesses';

/**
 * Installations of tenantry that share one database, one per storage (each
 * on a driver of its own), with organizations whose admins hold live sessions.
 * The storages' tables must exist.
 */
export async function sharedInstallations(storages: readonly Storage[], organizationCount = 3) {
  const mailer = memoryMailer();
  const clock = testClock('2026-03-02T09:00:00Z');
  const installations = storages.map(
    (storage) =>
      new UserManagement({
        storage,
        mailer,
        clock,
        permissions,
        roles,
        links: { baseUrl: 'https://portal.example.test/' },
        passwordHasher: scryptHasher({ logN: 10, r: 8, p: 1 }),
      }),
  );
  const [first] = installations;
  if (!first) throw new Error('needs at least one storage');
  const organizationIds: string[] = [];
  const sessionTokens: string[] = [];
  for (let index = 0; index < organizationCount; index++) {
    const admin = person('Ann', `Admin${index}`);
    const created = await first
      .as({ type: 'operator' })
      .organizations.create({ name: `Org ${index}`, firstUser: admin });
    const token = new URL(mailer.outbox.at(-1)?.link as string).searchParams.get('token') as string;
    await first.auth.acceptInvitation({ token, password });
    const signedIn = await first.auth.signIn({ email: admin.email, password });
    if (signedIn.kind !== 'session') throw new Error('expected a session');
    organizationIds.push(created.organization.id);
    sessionTokens.push(signedIn.token);
  }
  return { installations, organizationIds, sessionTokens };
}

/**
 * Fires `calls` calls at once, spread over the installations: one in three
 * adds a user (`users.add`, a transaction), the others validate a session
 * (`validateSession`, the one-statement read). Resolves when all have settled.
 */
export async function hammer(
  { installations, organizationIds, sessionTokens }: Awaited<ReturnType<typeof sharedInstallations>>,
  calls: number,
): Promise<Tally> {
  const pick = <T>(items: readonly T[], index: number) => items[index % items.length] as T;
  const settled = await Promise.allSettled(
    Array.from({ length: calls }, (_, index) => {
      const um = pick(installations, index);
      return index % 3 === 0
        ? um
            .as({ type: 'operator' })
            .users.add({ organizationId: pick(organizationIds, index), ...person('Hal', 'Hammer'), roles: ['basic'] })
        : um.auth.validateSession(pick(sessionTokens, index));
    }),
  );
  const tally: Tally = { succeeded: 0, refused: {}, failed: {} };
  for (const result of settled) {
    if (result.status === 'fulfilled') tally.succeeded += 1;
    else if (result.reason instanceof TenantryError) count(tally.refused, result.reason.code);
    else count(tally.failed, describeFailure(result.reason));
  }
  return tally;
}

function count(counts: Record<string, number>, key: string) {
  counts[key] = (counts[key] ?? 0) + 1;
}

/** A failure's SQLSTATE and message, with statement names left out so that like failures count together. */
function describeFailure(error: unknown): string {
  const { code, message } = error as { code?: unknown; message?: unknown };
  return `${String(code)} ${String(message).replace(/"[^"]*"/g, '"…"')}`;
}
