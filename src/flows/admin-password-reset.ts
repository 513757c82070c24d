import { z } from 'zod';
import { TenantryError } from '../errors.js';
import { deliver } from '../mail/delivery.js';
import { parseInput } from '../schemas/parse.js';
import type { Actor } from '../types.js';
import { acceptablePassword } from './accept-invitation.js';
import type { FlowContext } from './context.js';
import { issueResetLink, mayMailLink } from './one-time-links.js';
import { setTemporaryPassword } from './passwords.js';
import { act } from './unit.js';
import { changeableUser } from './user-target.js';

/** Input of `users.resetPassword`: mail a link, or set a temporary password. */
export const resetModeSchema = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('email') }),
  z.strictObject({ mode: z.literal('temporary'), password: z.string().max(4096) }),
]);

/**
 * `users.resetPassword` by an administrator: mail a reset link, or set a
 * temporary password (never mailed) that must be changed at the next sign-in.
 * Either way the user's sessions end when the new password is set.
 */
export async function resetPasswordAsAdmin(
  context: FlowContext,
  actor: Actor,
  userId: unknown,
  input: unknown,
): Promise<void> {
  const mode = parseInput(resetModeSchema, input);
  if (mode.mode === 'email') {
    const { result: mail } = await act(context, actor, async (unit) => {
      const { user, organization } = await changeableUser(unit, userId, 'password-reset');
      if (user.status !== 'active' || !user.canSignIn) {
        throw new TenantryError(
          'CONFLICT',
          'Only active users who can sign in reset their password; invite pending users',
        );
      }
      if (!(await mayMailLink(unit, user, 'admin'))) return null;
      unit.record('password.reset.by-admin', {
        organizationId: organization.id,
        targetId: user.id,
        metadata: { mode: 'email' },
      });
      return issueResetLink(unit, user, organization, 'admin');
    });
    if (mail) await deliver(context, mail);
    return;
  }
  // Rights first (cheap), then the slow hash outside any transaction, then the write.
  const { result: target } = await act(context, actor, (unit) => changeableUser(unit, userId, 'password-reset'));
  const password = await acceptablePassword(context, mode.password, target.user);
  const passwordHash = await context.passwordHasher.hash(password);
  await act(context, actor, async (unit) => {
    const { user } = await changeableUser(unit, userId, 'password-reset');
    if (!user.canSignIn) throw new TenantryError('CONFLICT', 'This user cannot sign in');
    await setTemporaryPassword(unit, user, passwordHash);
  });
}
