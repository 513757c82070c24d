import { z } from 'zod';
import type { InvitationAccepted, InvitationPreview, SignInResult } from '../../auth-types.js';
import {
  acceptablePassword,
  completeInvitation,
  inspectInvitation,
  redeemableToken,
} from '../../flows/accept-invitation.js';
import { redeemingLink } from '../../flows/link-allowance.js';
import { completePasswordChange, completePasswordReset } from '../../flows/passwords.js';
import { sessionView } from '../../flows/sessions.js';
import type { TokenPurpose } from '../../ports/identity-storage.js';
import { acceptInvitationSchema, clientSchema, passwordChangeSchema, resetSchema } from '../../schemas/auth.js';
import { storableText } from '../../schemas/text.js';
import type { User } from '../../types.js';
import { defineOperation, type Steps } from '../operation.js';

/** The user of an open link of this purpose, read first (cheap), so that a bad link costs no password hashing. */
function linkOwner(steps: Steps, ip: string | undefined, token: string, purpose: TokenPurpose): Promise<User> {
  return redeemingLink(steps.context, ip, () =>
    steps.transact(async (unit) => (await redeemableToken(unit, token, purpose)).user),
  );
}

/** The new password checked against the policy and the checker, and hashed, outside any transaction. */
async function hashedPassword(steps: Steps, password: string, user: User): Promise<string> {
  return steps.context.passwordHasher.hash(await acceptablePassword(steps.context, password, user));
}

/** `auth.inspectInvitation`: what the invitation page shows before the user chooses a password. */
export const inspectInvitationLink = defineOperation({
  name: 'auth.inspectInvitation',
  input: z.tuple([storableText(200), clientSchema]),
  execute: (steps, [token, client]): Promise<InvitationPreview> =>
    redeemingLink(steps.context, client?.ip, () => steps.transact((unit) => inspectInvitation(unit, token))),
});

/**
 * `auth.acceptInvitation`: sets the password, records terms acceptance where
 * required, activates, and signs in (or asks for the second factor a policy
 * requires first).
 */
export const acceptInvitation = defineOperation({
  name: 'auth.acceptInvitation',
  input: z.tuple([acceptInvitationSchema]),
  async execute(steps, [data]): Promise<InvitationAccepted> {
    const user = await linkOwner(steps, data.ip, data.token, 'invitation');
    const passwordHash = await hashedPassword(steps, data.password, user);
    const client = { ip: data.ip, userAgent: data.userAgent };
    const done = await steps.transact((unit) => completeInvitation(unit, data, passwordHash, client));
    if (done.kind !== 'session') return done;
    return { kind: 'session', token: done.token, session: sessionView(done.session), user: done.user };
  },
});

/** `auth.resetPassword`: a new password from a reset link; every session ends and a lockout clears. */
export const resetPassword = defineOperation({
  name: 'auth.resetPassword',
  input: z.tuple([resetSchema]),
  async execute(steps, [data]): Promise<void> {
    const user = await linkOwner(steps, data.ip, data.token, 'password-reset');
    const passwordHash = await hashedPassword(steps, data.newPassword, user);
    await steps.transact((unit) => completePasswordReset(unit, data.token, passwordHash));
  },
});

/**
 * `auth.completePasswordChange`: the new password after a sign-in that
 * required it; then the sign-in goes on as after a password: a session, or
 * the second factor the user has (or must enroll).
 */
export const completeRequiredPasswordChange = defineOperation({
  name: 'auth.completePasswordChange',
  input: z.tuple([passwordChangeSchema]),
  async execute(steps, [data]): Promise<SignInResult> {
    const user = await linkOwner(steps, data.ip, data.challengeToken, 'password-change');
    const passwordHash = await hashedPassword(steps, data.newPassword, user);
    return steps.transact((unit) => completePasswordChange(unit, data.challengeToken, passwordHash, { ip: data.ip }));
  },
});
