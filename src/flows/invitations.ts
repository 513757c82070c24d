import { TenantryError } from '../errors.js';
import type { PendingMail } from '../mail/delivery.js';
import { newSecretToken, tokenDigest } from '../secrets/one-time-token.js';
import type { Organization, User } from '../types.js';
import { issueToken, mayMailLink } from './one-time-links.js';
import type { Unit } from './unit.js';
import { changeableUser } from './user-target.js';

/** A fresh invitation: the link to hand over and when it stops working. */
export interface IssuedInvitation {
  link: string;
  expiresAt: Date;
  mail: PendingMail;
}

/**
 * Issues an invitation link for a pending user who can sign in. Earlier
 * invitation links of the user stop working; only the SHA-256 of the new one is stored.
 */
export async function issueInvitation(
  unit: Unit,
  user: User,
  organization: Organization,
  origin: 'admin' | 'bulk' = 'admin',
): Promise<IssuedInvitation> {
  if (user.status !== 'pending' || !user.canSignIn || user.erasedAt !== null) {
    throw new TenantryError('CONFLICT', 'Only pending users who can sign in are invited', {
      status: user.status,
      canSignIn: user.canSignIn,
    });
  }
  const { token, expiresAt } = await issueToken(unit, user, 'invitation', origin, unit.context.policy.invitationTtlMs);
  const link = invitationLink(unit, token);
  return { link, expiresAt, mail: { kind: 'invitation', user, organization, link, expiresAt } };
}

const invitationLink = (unit: Unit, token: string) => `${unit.context.baseUrl}/accept-invitation?token=${token}`;

/**
 * Invitations for users just created in this transaction (so with no earlier
 * links to end), their tokens written in one batch: an import's invitations.
 */
export async function inviteNewUsers(
  unit: Unit,
  users: readonly { user: User; organization: Organization }[],
): Promise<PendingMail[]> {
  const expiresAt = new Date(unit.now.getTime() + unit.context.policy.invitationTtlMs);
  const issued = users.map(({ user, organization }) => ({ user, organization, token: newSecretToken() }));
  await unit.tx.tokens.insertMany(
    issued.map(({ user, token }) => ({
      digest: tokenDigest(token),
      userId: user.id,
      organizationId: user.organizationId,
      purpose: 'invitation' as const,
      origin: 'bulk' as const,
      createdAt: unit.now,
      expiresAt,
      consumedAt: null,
    })),
  );
  return issued.map(({ user, organization, token }) => ({
    kind: 'invitation',
    user,
    organization,
    link: invitationLink(unit, token),
    expiresAt,
  }));
}

/**
 * `invitations.send` and `invitations.createLink`: by an administrator of the
 * user's organization. A mailed resend past the policy's mail limits issues
 * and sends nothing (`mail` is null).
 */
export async function inviteUser(
  unit: Unit,
  id: unknown,
  how: 'mail' | 'link',
): Promise<{ link: string | null; expiresAt: Date; mail: PendingMail | null }> {
  const { user, organization } = await changeableUser(unit, id, 'access');
  if (how === 'mail' && user.status === 'pending' && !(await mayMailLink(unit, user, 'admin'))) {
    return { link: null, expiresAt: unit.now, mail: null };
  }
  const invitation = await issueInvitation(unit, user, organization);
  unit.record(how === 'mail' ? 'invitation.sent' : 'invitation.link.created', {
    organizationId: organization.id,
    targetId: user.id,
    metadata: { expiresAt: invitation.expiresAt.toISOString() },
  });
  return invitation;
}
