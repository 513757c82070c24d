import type { SignInResult } from '../auth-types.js';
import { normalizeEmail } from '../email.js';
import { TenantryError } from '../errors.js';
import { mayResetPassword, standing } from '../rules/account-standing.js';
import type { User } from '../types.js';
import { redeemableToken } from './accept-invitation.js';
import { administersOwnOrganization } from './admin-guard.js';
import { issueLink, mayMailLink } from './one-time-links.js';
import { endSessions } from './session-validation.js';
import { afterPassword, type SignInClient } from './sign-in-steps.js';
import type { Unit } from './unit.js';
import { storeUser } from './user-writes.js';

/** Who can reset their own password: active, able to sign in, not expired (a locked account may: the reset unlocks it). */
function resettable(user: User, now: Date): boolean {
  return mayResetPassword(standing(user, now));
}

/** `auth.requestPasswordReset`, in its transaction: a reset link mailed to an existing, resettable account; nothing for anyone else. */
export async function requestPasswordReset(unit: Unit, rawEmail: string): Promise<void> {
  const email = normalizeEmail(rawEmail);
  const user = email === null ? null : await unit.tx.users.getByEmail(email);
  if (!user || !resettable(user, unit.now)) return;
  // The organization row is locked so that concurrent requests count each other against the mail limits.
  const organization = await unit.organizationFor(user.organizationId, 'member', { forUpdate: true });
  // Where the organization requires SSO, a password would open nothing: only its admins get a link.
  if (organization.securityPolicy.ssoRequired && !(await administersOwnOrganization(unit, user, organization))) return;
  if (!(await mayMailLink(unit, user, 'self-service'))) return;
  unit.record('password.reset.requested', {
    organizationId: user.organizationId,
    targetId: user.id,
    actor: { type: 'user', userId: user.id },
  });
  const link = await issueLink(unit, user, 'password-reset', 'self-service', unit.context.policy.resetTtlMs);
  unit.send({ kind: 'password-reset', user, organization, link });
}

/** Stores a new password and clears what a new password clears: the lockout, the forced change, open reset links. */
async function storePassword(unit: Unit, user: User, passwordHash: string, mustChangePassword: boolean): Promise<User> {
  const updated: User = {
    ...user,
    failedSignIns: 0,
    lockedAt: null,
    lockedUntil: null,
    mustChangePassword,
    updatedAt: unit.now,
  };
  await storeUser(unit, updated);
  await unit.tx.credentials.set({ userId: user.id, passwordHash, updatedAt: unit.now });
  // Links issued for the old password stop working with it.
  await unit.tx.tokens.revokeForUser(user.id, unit.now, 'password-reset');
  await unit.tx.tokens.revokeForUser(user.id, unit.now, 'password-change');
  return updated;
}

/** `auth.resetPassword`, in its transaction: consumes the link, sets the password, ends every session, clears a lockout. */
export async function completePasswordReset(unit: Unit, rawToken: string, passwordHash: string): Promise<void> {
  const { token, user } = await redeemableToken(unit, rawToken, 'password-reset');
  if (!resettable(user, unit.now) || !(await unit.tx.tokens.consume(token.digest, unit.now))) {
    throw new TenantryError('TOKEN_INVALID', 'This link is invalid or has expired');
  }
  await storePassword(unit, user, passwordHash, false);
  await endSessions(unit, user.id, user.organizationId, 'password reset');
  unit.record('password.reset', {
    organizationId: user.organizationId,
    targetId: user.id,
    actor: { type: 'user', userId: user.id },
  });
}

/** Admin `users.resetPassword` with a temporary password: it must be changed at the next sign-in. */
export async function setTemporaryPassword(unit: Unit, user: User, passwordHash: string): Promise<void> {
  await storePassword(unit, user, passwordHash, true);
  await endSessions(unit, user.id, user.organizationId, 'password reset');
  unit.record('password.reset.by-admin', {
    organizationId: user.organizationId,
    targetId: user.id,
    metadata: { mode: 'temporary' },
  });
}

/**
 * `auth.completePasswordChange`, in its transaction: consumes the challenge,
 * sets the password, ends other sessions; then what follows a right password
 * (a session, or the user's second factor).
 */
export async function completePasswordChange(
  unit: Unit,
  rawToken: string,
  passwordHash: string,
  client: SignInClient,
): Promise<SignInResult> {
  const { token, user, organization } = await redeemableToken(unit, rawToken, 'password-change');
  if (!resettable(user, unit.now) || !(await unit.tx.tokens.consume(token.digest, unit.now))) {
    throw new TenantryError('TOKEN_INVALID', 'This link is invalid or has expired');
  }
  const updated = await storePassword(unit, user, passwordHash, false);
  await endSessions(unit, user.id, organization.id, 'password changed');
  unit.record('password.changed', {
    organizationId: organization.id,
    targetId: user.id,
    actor: { type: 'user', userId: user.id },
  });
  return afterPassword(unit, updated, organization, client);
}

/** `auth.changePassword`, in its transaction: the new password, and every other session of the user ends. */
export async function changeOwnPassword(
  unit: Unit,
  user: User,
  keepSessionDigest: string,
  passwordHash: string,
): Promise<void> {
  await storePassword(unit, user, passwordHash, false);
  const revoked = await unit.tx.sessions.revokeForUser(user.id, unit.now, keepSessionDigest);
  unit.record('password.changed', {
    organizationId: user.organizationId,
    targetId: user.id,
    actor: { type: 'user', userId: user.id },
    metadata: { otherSessionsEnded: revoked },
  });
}
