import { ORG_ADMIN } from '../built-in-permissions.js';
import { TenantryError } from '../errors.js';
import type { StoredFactor } from '../ports/factor-storage.js';
import type { OneTimeToken } from '../ports/identity-storage.js';
import { mayHoldSession, standing } from '../rules/account-standing.js';
import { enrollmentDeadline, requiresSecondFactor, strictestRequirement } from '../rules/second-factor-policy.js';
import { isLocked } from '../rules/user-conditions.js';
import { recoveryCodeDigest } from '../secrets/recovery-codes.js';
import { matchingStep } from '../secrets/totp.js';
import type { Organization, User } from '../types.js';
import { redeemableToken } from './accept-invitation.js';
import { newLink } from './one-time-links.js';
import { invalidCredentials } from './sign-in.js';
import type { Unit } from './unit.js';

/** A second factor as the API shows it: never its secret or key. */
export interface Factor {
  id: string;
  type: StoredFactor['type'];
  label: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

/** How a user proves a second factor at sign-in. */
export type SecondFactorMethod = 'totp' | 'passkey' | 'recovery-code';

/** A stored factor as the API shows it. */
export function factorView({ id, type, label, createdAt, lastUsedAt }: StoredFactor): Factor {
  return { id, type, label, createdAt, lastUsedAt };
}

/** What the policies of a user's organization chain ask of them, and the factors they have confirmed. */
export interface FactorStanding {
  /** A policy asks a second factor of them. */
  required: boolean;
  /** When they must have enrolled one, if a policy asks it (see `enrollmentDeadline`). */
  deadline: Date | null;
  factors: StoredFactor[];
}

/** A user's confirmed factors, oldest first (enrollments not yet confirmed count for nothing). */
export async function confirmedFactors(unit: Unit, userId: string): Promise<StoredFactor[]> {
  const factors = unit.takeFactorsRead(userId) ?? (await unit.tx.factors.forUser(userId));
  return factors.filter((factor) => factor.confirmedAt !== null);
}

/** Reads a user's standing towards second factors. */
export async function factorStanding(unit: Unit, user: User): Promise<FactorStanding> {
  const chain = await unit.chain(user.organizationId);
  const administers = (await unit.effective(user, chain[0] as Organization)).includes(ORG_ADMIN);
  const factors = await confirmedFactors(unit, user.id);
  return {
    required: requiresSecondFactor(strictestRequirement(chain), administers),
    deadline: enrollmentDeadline(chain, user, administers),
    factors,
  };
}

/** The methods a user with these confirmed factors may prove at sign-in. */
export async function methodsOf(
  unit: Unit,
  user: User,
  factors: readonly StoredFactor[],
): Promise<SecondFactorMethod[]> {
  const methods: SecondFactorMethod[] = [];
  if (factors.some((factor) => factor.type === 'totp')) methods.push('totp');
  if (factors.some((factor) => factor.type === 'passkey')) methods.push('passkey');
  if (factors.length > 0 && (await unit.tx.recoveryCodes.countUnused(user.id)) > 0) methods.push('recovery-code');
  return methods;
}

/**
 * The challenge a sign-in waits on: single-use, short-lived, never mailed.
 * Earlier open challenges of the user stay open (two devices may sign in
 * at once); each ends when used or when it expires.
 */
export async function issueChallenge(
  unit: Unit,
  user: User,
  purpose: 'second-factor' | 'factor-enrollment' | 'sso-second-factor' | 'sso-factor-enrollment',
): Promise<string> {
  const link = newLink(unit, purpose, unit.context.policy.mfa.challengeTtlMs);
  await unit.tx.tokens.insert({
    digest: link.digest,
    userId: user.id,
    organizationId: user.organizationId,
    purpose,
    origin: 'self-service',
    createdAt: unit.now,
    expiresAt: link.expiresAt,
    consumedAt: null,
  });
  return link.token;
}

/**
 * The sign-in a challenge stands for, its user locked for the step: any
 * challenge of another purpose, used, expired, or of a user who may no
 * longer sign in (locked meanwhile, disabled, expired) is refused, the last
 * as a wrong password would be, so a right code after a lockout opens nothing.
 */
export async function openChallenge(
  unit: Unit,
  rawToken: unknown,
  purposes: readonly OneTimeToken['purpose'][],
): Promise<{ token: OneTimeToken; user: User; organization: Organization }> {
  const [first, ...others] = purposes;
  let found: Awaited<ReturnType<typeof redeemableToken>> | null = null;
  for (const purpose of [first, ...others]) {
    if (purpose === undefined) continue;
    found = await redeemableToken(unit, rawToken, purpose).catch((error) => {
      if (error instanceof TenantryError && error.code === 'TOKEN_INVALID') return null;
      throw error;
    });
    if (found) break;
  }
  if (!found) throw new TenantryError('TOKEN_INVALID', 'This sign-in has expired; sign in again');
  if (!mayHoldSession(standing(found.user, unit.now)) || isLocked(found.user, unit.now)) throw invalidCredentials();
  return found;
}

/** The context a TOTP secret is sealed for: its factor, so a sealed secret cannot be moved to another. */
export function totpSealContext(factorId: string): string {
  return `totp:${factorId}`;
}

/** A factor's TOTP secret, opened with the installation's keys (null when no key opens it any more). */
export function totpSecretOf(unit: Unit, factor: StoredFactor): Uint8Array | null {
  if (factor.type !== 'totp' || factor.secret === null) return null;
  const opened = unit.context.secrets.open(factor.secret, totpSealContext(factor.id));
  return opened === null ? null : Buffer.from(opened, 'base64');
}

/**
 * Proves a TOTP code against the user's TOTP factors (confirmed ones, or the
 * one enrollment given): the factor whose code it is for a step not used
 * before, marked used in the same atomic step; null for a wrong code or a
 * replay (of this request or a concurrent one).
 */
export async function proveTotp(
  unit: Unit,
  factors: readonly StoredFactor[],
  code: string,
): Promise<StoredFactor | null> {
  for (const factor of factors) {
    const secret = totpSecretOf(unit, factor);
    if (!secret) continue;
    const step = matchingStep(secret, code, unit.now);
    if (step !== null && (await unit.tx.factors.useStep(factor.id, step, unit.now))) return factor;
  }
  return null;
}

/** Redeems one of the user's recovery codes; false for a wrong or used one. */
export async function proveRecoveryCode(unit: Unit, user: User, code: string): Promise<boolean> {
  if (code.length > 64) return false;
  return unit.tx.recoveryCodes.use(user.id, recoveryCodeDigest(code), unit.now);
}

/** Refuses a call that needs the installation's encryption keys when it has none. */
export function requireSealing(unit: Unit): void {
  if (!unit.context.secrets.canSeal) {
    throw new TenantryError('VALIDATION_FAILED', 'TOTP needs the installation’s encryptionKeys option', {
      option: 'encryptionKeys',
    });
  }
}
