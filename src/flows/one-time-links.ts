import type { PendingMail } from '../mail/delivery.js';
import type { TokenPurpose } from '../ports/identity-storage.js';
import { newSecretToken, tokenDigest } from '../secrets/one-time-token.js';
import type { Organization, User } from '../types.js';
import type { Unit } from './unit.js';

/** A fresh one-time token: earlier open ones of the same purpose stop working; only its SHA-256 is stored. */
export async function issueToken(unit: Unit, user: User, purpose: TokenPurpose, ttlMs: number) {
  await unit.tx.tokens.revokeForUser(user.id, unit.now, purpose);
  const token = newSecretToken();
  const expiresAt = new Date(unit.now.getTime() + ttlMs);
  await unit.tx.tokens.insert({
    digest: tokenDigest(token),
    userId: user.id,
    organizationId: user.organizationId,
    purpose,
    createdAt: unit.now,
    expiresAt,
    consumedAt: null,
  });
  return { token, expiresAt };
}

/** A password-reset link and the mail that carries it. */
export async function issueResetLink(unit: Unit, user: User, organization: Organization): Promise<PendingMail> {
  const { token, expiresAt } = await issueToken(unit, user, 'password-reset', unit.context.policy.resetTtlMs);
  const link = `${unit.context.baseUrl}/reset-password?token=${token}`;
  return { kind: 'password-reset', user, organization, link, expiresAt };
}

/**
 * Whether another mail with a link may go to this user now: requests that
 * mail an address are limited per address and per organization by policy.
 * Past the limit nothing is issued or sent, and the caller's answer stays the same.
 * The caller holds the organization row's lock, so concurrent requests count each other.
 */
export async function mayMailLink(unit: Unit, user: User): Promise<boolean> {
  const { perAddress, perOrganization, windowMs } = unit.context.policy.mailLimits;
  const since = new Date(unit.now.getTime() - windowMs);
  const purposes = ['invitation', 'password-reset'] as const;
  const forAddress = await unit.tx.tokens.countIssued({ userId: user.id, purposes, since });
  const forOrganization =
    forAddress < perAddress
      ? await unit.tx.tokens.countIssued({ organizationId: user.organizationId, purposes, since })
      : 0;
  if (forAddress < perAddress && forOrganization < perOrganization) return true;
  unit.record('mail.throttled', {
    organizationId: user.organizationId,
    targetId: user.id,
    metadata: { limit: forAddress >= perAddress ? 'address' : 'organization' },
  });
  return false;
}
