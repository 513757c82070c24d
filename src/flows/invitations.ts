import { TenantryError } from '../errors.js';
import type { IssuedLink } from '../outbox/mail-order.js';
import { mayBeInvited, standing } from '../rules/account-standing.js';
import type { Organization, User } from '../types.js';
import { issueLink, newLink } from './one-time-links.js';
import type { MailReceipt, Unit } from './unit.js';

/**
 * Issues an invitation link for a user who may be invited (pending, able to
 * sign in, neither erased nor expired), else `CONFLICT`. Earlier invitation
 * links of the user stop working; only the SHA-256 of the new one is stored.
 */
export async function issueInvitation(unit: Unit, user: User, origin: 'admin' | 'bulk' = 'admin'): Promise<IssuedLink> {
  if (!mayBeInvited(standing(user, unit.now))) {
    throw new TenantryError('CONFLICT', 'Only pending users who can sign in are invited', {
      status: user.status,
      canSignIn: user.canSignIn,
    });
  }
  return issueLink(unit, user, 'invitation', origin, unit.context.policy.invitationTtlMs);
}

/** Invites a user by mail: the link, and the mail that carries it (sent after commit). */
export async function mailInvitation(
  unit: Unit,
  user: User,
  organization: Organization,
  origin: 'admin' | 'bulk' = 'admin',
): Promise<MailReceipt> {
  const link = await issueInvitation(unit, user, origin);
  return unit.send({ kind: 'invitation', user, organization, link });
}

/**
 * Invitations for users just created in this transaction (so with no earlier
 * links to end), their tokens written in one batch and their mails queued
 * with it: an import's invitations.
 */
export async function inviteNewUsers(
  unit: Unit,
  users: readonly { user: User; organization: Organization }[],
): Promise<MailReceipt[]> {
  const issued = users.map(({ user, organization }) => ({
    user,
    organization,
    link: newLink(unit, 'invitation', unit.context.policy.invitationTtlMs),
  }));
  await unit.tx.tokens.insertMany(
    issued.map(({ user, link }) => ({
      digest: link.digest,
      userId: user.id,
      organizationId: user.organizationId,
      purpose: 'invitation' as const,
      origin: 'bulk' as const,
      createdAt: unit.now,
      expiresAt: link.expiresAt,
      consumedAt: null,
    })),
  );
  return issued.map(({ user, organization, link }) => unit.send({ kind: 'invitation', user, organization, link }));
}
