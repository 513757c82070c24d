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
