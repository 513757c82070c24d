import { emailKey, normalizeEmail } from '../email.js';
import { TenantryError } from '../errors.js';
import type { Credential } from '../ports/identity-storage.js';
import { passwordIsChecked, signInRefusal, standing } from '../rules/account-standing.js';
import type { Refusal } from '../rules/decision.js';
import { isLocked } from '../rules/user-conditions.js';
import type { Organization, User } from '../types.js';
import { recordCapped } from './capped-audit.js';
import type { Unit } from './unit.js';
import { storeUser } from './user-writes.js';

/** The one answer for every failed sign-in, whatever the reason. */
export function invalidCredentials(): TenantryError {
  return new TenantryError('INVALID_CREDENTIALS', 'The email address or password is incorrect');
}

/** The key of the account an address as typed names, whether or not it exists; null for a non-address. */
export function accountKey(rawEmail: string): string | null {
  const email = normalizeEmail(rawEmail);
  return email === null ? null : emailKey(email);
}

/** What sign-in learns before it spends time on the password. */
export interface SignInCandidate {
  user: User | null;
  passwordHash: string | null;
  /** Locked, erased, without a login or without a password: the password is not checked. */
  refused: boolean;
}

/** Finds the account for an address; an unknown one yields a candidate that always fails. */
export async function findCandidate(unit: Unit, rawEmail: string): Promise<SignInCandidate> {
  const email = normalizeEmail(rawEmail);
  const { user, credential } = email === null ? { user: null, credential: null } : await accountOf(unit, email);
  const refused = !user || !credential || !passwordIsChecked(standing(user, unit.now));
  return { user, passwordHash: credential?.passwordHash ?? null, refused };
}

/** The user holding an address and their credential: in one read where the storage offers it. */
async function accountOf(unit: Unit, email: string): Promise<{ user: User | null; credential: Credential | null }> {
  const { credentials, users } = unit.tx;
  if (credentials.getByEmail) return (await credentials.getByEmail(email)) ?? { user: null, credential: null };
  const user = await users.getByEmail(email);
  return { user, credential: user ? await credentials.get(user.id) : null };
}

/**
 * Records a failed attempt, race-safe because it re-reads the user inside the
 * transaction: failures while locked do not count; the last allowed failure
 * locks the account (until an admin unlocks, or for `durationMs`) and mails
 * its owner (after commit, not waited for).
 */
export async function recordFailure(
  unit: Unit,
  userId: string | null,
  reason: 'wrong-password' | 'wrong-code' = 'wrong-password',
): Promise<void> {
  const user = userId === null ? null : await unit.tx.users.get(userId, { forUpdate: true });
  if (!user) {
    const fields = { organizationId: null, targetId: null, metadata: { reason: 'unknown-account' } };
    const rate = unit.context.policy.rateLimits.auditEventsForUnknownAccounts;
    await recordCapped(unit, 'unknown-account', 'signin.failed', fields, rate);
    return;
  }
  const base = {
    organizationId: user.organizationId,
    targetId: user.id,
    actor: { type: 'user' as const, userId: user.id },
  };
  if (isLocked(user, unit.now)) {
    await recordCapped(unit, user.id, 'signin.failed', { ...base, metadata: { reason: 'locked' } });
    return;
  }
  const { maxAttempts, durationMs } = unit.context.policy.lockout;
  const failures = (user.lockedAt === null ? user.failedSignIns : 0) + 1;
  const locks = failures >= maxAttempts;
  const updated: User = {
    ...user,
    failedSignIns: failures,
    lockedAt: locks ? unit.now : null,
    lockedUntil: locks && durationMs !== null ? new Date(unit.now.getTime() + durationMs) : null,
    updatedAt: unit.now,
  };
  await storeUser(unit, updated);
  await recordCapped(unit, user.id, 'signin.failed', { ...base, metadata: { reason, failures } });
  if (!locks) return;
  unit.record('user.locked', { ...base, metadata: { failures, until: updated.lockedUntil?.toISOString() ?? null } });
  const organization = (await unit.tx.organizations.get(user.organizationId)) as Organization;
  unit.send({ kind: 'account-locked', user: updated, organization });
}

/**
 * After the right password: the account's state decides. Pending, disabled
 * and expired accounts learn why; for the others an outdated hash is
 * replaced. Returns the user, locked for the rest of the sign-in (whose
 * failure count is cleared only once every factor it needs is proven).
 */
export async function acceptPassword(unit: Unit, userId: string, newHash: string | null): Promise<User> {
  const user = await unit.lockUser(userId);
  if (!user) throw invalidCredentials();
  const refusal = signInRefusal(standing(user, unit.now));
  if (refusal) throw refusal.code === 'INVALID_CREDENTIALS' ? invalidCredentials() : enforced(refusal);
  if (newHash !== null) {
    await unit.tx.credentials.set({ userId: user.id, passwordHash: newHash, updatedAt: unit.now });
    unit.record('credential.upgraded', { organizationId: user.organizationId, targetId: user.id });
  }
  return user;
}

function enforced(refusal: Refusal): TenantryError {
  return new TenantryError(refusal.code, refusal.message, refusal.details);
}
