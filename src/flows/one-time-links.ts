import type { PendingMail } from '../mail/delivery.js';
import type { TokenOrigin, TokenPurpose } from '../ports/identity-storage.js';
import { newSecretToken, tokenDigest } from '../secrets/one-time-token.js';
import type { Organization, User } from '../types.js';
import { recordCapped } from './capped-audit.js';
import type { Unit } from './unit.js';

/** A fresh one-time token: earlier open ones of the same purpose stop working; only its SHA-256 is stored. */
export async function issueToken(unit: Unit, user: User, purpose: TokenPurpose, origin: TokenOrigin, ttlMs: number) {
  await unit.tx.tokens.revokeForUser(user.id, unit.now, purpose);
  const token = newSecretToken();
  const expiresAt = new Date(unit.now.getTime() + ttlMs);
  await unit.tx.tokens.insert({
    digest: tokenDigest(token),
    userId: user.id,
    organizationId: user.organizationId,
    purpose,
    origin,
    createdAt: unit.now,
    expiresAt,
    consumedAt: null,
  });
  return { token, expiresAt };
}

/** A password-reset link and the mail that carries it. */
export async function issueResetLink(
  unit: Unit,
  user: User,
  organization: Organization,
  origin: TokenOrigin,
): Promise<PendingMail> {
  const { token, expiresAt } = await issueToken(unit, user, 'password-reset', origin, unit.context.policy.resetTtlMs);
  const link = `${unit.context.baseUrl}/reset-password?token=${token}`;
  return { kind: 'password-reset', user, organization, link, expiresAt };
}

/**
 * Whether another mail with a link may go to this user now, within the
 * budget of its origin, counted apart so that nobody spends another's:
 * self-service requests (unauthenticated) have one per address, so a flood
 * for some addresses never holds back anyone else's reset; administrators'
 * sends have one per address and one per organization. Past the limit
 * nothing is issued or sent, and the caller's answer stays the same. The
 * caller holds the organization row's lock, so concurrent requests count
 * each other.
 */
export async function mayMailLink(unit: Unit, user: User, origin: 'self-service' | 'admin'): Promise<boolean> {
  const { perAddress, perOrganization, windowMs } = unit.context.policy.mailLimits;
  const since = new Date(unit.now.getTime() - windowMs);
  const filter = { purposes: ['invitation', 'password-reset'] as const, origins: [origin], since };
  const forAddress = await unit.tx.tokens.countIssued({ ...filter, userId: user.id });
  const forOrganization =
    origin === 'admin' && forAddress < perAddress
      ? await unit.tx.tokens.countIssued({ ...filter, organizationId: user.organizationId })
      : 0;
  if (forAddress < perAddress && forOrganization < perOrganization) return true;
  await recordCapped(unit, user.id, 'mail.throttled', {
    organizationId: user.organizationId,
    targetId: user.id,
    metadata: { limit: forAddress >= perAddress ? 'address' : 'organization', origin },
  });
  return false;
}
