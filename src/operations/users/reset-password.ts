import { z } from 'zod';
import { TenantryError } from '../../errors.js';
import { acceptablePassword } from '../../flows/accept-invitation.js';
import { issueLink, mayMailLink } from '../../flows/one-time-links.js';
import { setTemporaryPassword } from '../../flows/passwords.js';
import { changeableUser } from '../../flows/user-target.js';
import { mayResetPassword, standing } from '../../rules/account-standing.js';
import { idSchema } from '../../schemas/common.js';
import { storableText } from '../../schemas/text.js';
import { defineOperation } from '../operation.js';

/** Input of `users.resetPassword`: mail a link, or set a temporary password. */
export const resetModeSchema = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('email') }),
  z.strictObject({ mode: z.literal('temporary'), password: storableText(4096) }),
]);

/**
 * `users.resetPassword` by an administrator: mail a reset link (within the
 * administrators' mail budget), or set a temporary password (never mailed)
 * that must be changed at the next sign-in. Either way the user's sessions
 * end when the new password is set.
 */
export const resetPasswordAsAdmin = defineOperation({
  name: 'users.resetPassword',
  input: z.tuple([idSchema, resetModeSchema]),
  async execute(steps, [userId, mode]): Promise<void> {
    if (mode.mode === 'email') {
      await steps.transact(async (unit) => {
        const { user, organization } = await changeableUser(unit, userId, 'password-reset');
        if (!mayResetPassword(standing(user, unit.now))) {
          throw new TenantryError(
            'CONFLICT',
            'Only active users who can sign in reset their password; invite pending users',
          );
        }
        if (!(await mayMailLink(unit, user, 'admin'))) return;
        unit.record('password.reset.by-admin', {
          organizationId: organization.id,
          targetId: user.id,
          metadata: { mode: 'email' },
        });
        const link = await issueLink(unit, user, 'password-reset', 'admin', unit.context.policy.resetTtlMs);
        unit.send({ kind: 'password-reset', user, organization, link });
      });
      return;
    }
    // Rights first (cheap), then the slow hash outside any transaction, then the write.
    const target = await steps.transact((unit) => changeableUser(unit, userId, 'password-reset'));
    const password = await acceptablePassword(steps.context, mode.password, target.user);
    const passwordHash = await steps.context.passwordHasher.hash(password);
    await steps.transact(async (unit) => {
      const { user } = await changeableUser(unit, userId, 'password-reset');
      if (!user.canSignIn) throw new TenantryError('CONFLICT', 'This user cannot sign in');
      await setTemporaryPassword(unit, user, passwordHash);
    });
  },
});
