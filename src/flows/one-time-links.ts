import type { IssuedLink } from '../outbox/mail-order.js';
import { linkUrl } from '../outbox/mail-order.js';
import type { TokenOrigin, TokenPurpose } from '../ports/identity-storage.js';
import { newSecretToken, tokenDigest } from '../secrets/one-time-token.js';
import type { User } from '../types.js';
import { recordCapped } from './capped-audit.js';
import type { Unit } from './unit.js';

/** A fresh one-time link: earlier open ones of the same purpose stop working; only its SHA-256 is stored. */
export async function issueLink(
  unit: Unit,
  user: User,
  purpose: TokenPurpose,
  origin: TokenOrigin,
  ttlMs: number,
): Promise<IssuedLink> {
  await unit.tx.tokens.revokeForUser(user.id, unit.now, purpose);
  const link = newLink(unit, purpose, ttlMs);
  await unit.tx.tokens.insert({
    digest: link.digest,
    userId: user.id,
    organizationId: user.organizationId,
    purpose,
    origin,
    createdAt: unit.now,
    expiresAt: link.expiresAt,
    consumedAt: null,
  });
  return link;
}

/** A new link's secret, digest and expiry (not yet stored). */
export function newLink(unit: Unit, purpose: TokenPurpose, ttlMs: number): IssuedLink {
  const token = newSecretToken();
  return { purpose, token, digest: tokenDigest(token), expiresAt: new Date(unit.now.getTime() + ttlMs) };
}

/** The URL of a link, under the installation's base URL. */
export function urlOf(unit: Unit, link: IssuedLink): string {
  return linkUrl(unit.context.baseUrl, link.purpose, link.token);
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
