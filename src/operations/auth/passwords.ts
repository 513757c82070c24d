import { z } from 'zod';
import { TenantryError } from '../../errors.js';
import { acceptablePassword } from '../../flows/accept-invitation.js';
import { allowancesFor, consumeAllowances } from '../../flows/allowances.js';
import { changeOwnPassword, requestPasswordReset as mailResetLink } from '../../flows/passwords.js';
import { liveSession, liveSessionByDigest } from '../../flows/session-validation.js';
import { invalidCredentials } from '../../flows/sign-in.js';
import { mayHoldSession, standing } from '../../rules/account-standing.js';
import { normalizePassword } from '../../rules/password-policy.js';
import { changePasswordSchema, resetRequestSchema } from '../../schemas/auth.js';
import { defineOperation } from '../operation.js';

/**
 * `auth.requestPasswordReset`: mails a reset link to an existing, resettable
 * account; answers the same for every address, and as fast (the mail goes
 * after the answer). `ip` draws on the client's allowance of requests.
 */
export const requestPasswordReset = defineOperation({
  name: 'auth.requestPasswordReset',
  input: z.tuple([resetRequestSchema]),
  async execute(steps, [{ email, ip }]): Promise<void> {
    const { context } = steps;
    const client = allowancesFor(context, 'password-reset', { client: { ip, rate: 'resetRequestsPerClient' } });
    await consumeAllowances(context, client, context.clock.now());
    // The mail's receipt is not awaited: an answer that waited would take longer for addresses that have an account.
    await steps.transact((unit) => mailResetLink(unit, email));
  },
});

const signInAgain = () => new TenantryError('SESSION_INVALID', 'Sign in again');

/** `auth.changePassword`: the signed-in user's new password, with the current one; their other sessions end. */
export const changePassword = defineOperation({
  name: 'auth.changePassword',
  input: z.tuple([changePasswordSchema]),
  async execute(steps, [data]): Promise<void> {
    const { context } = steps;
    const found = await steps.transact(async (unit) => {
      const live = await liveSession(unit, data.sessionToken);
      const owner = await unit.tx.users.get(live.userId);
      const credential = await unit.tx.credentials.get(live.userId);
      // A session made before the account expired (or was disabled) changes nothing any more.
      if (!owner || !credential || !mayHoldSession(standing(owner, unit.now))) throw signInAgain();
      return { session: live, user: owner, hash: credential.passwordHash };
    });
    if (!(await context.passwordHasher.verify(found.hash, normalizePassword(data.currentPassword)))) {
      throw invalidCredentials();
    }
    const password = await acceptablePassword(context, data.newPassword, found.user);
    const passwordHash = await context.passwordHasher.hash(password);
    await steps.transact(async (unit) => {
      const current = await unit.tx.users.get(found.user.id, { forUpdate: true });
      if (!current || !mayHoldSession(standing(current, unit.now))) throw signInAgain();
      await liveSessionByDigest(unit, found.session.digest);
      await changeOwnPassword(unit, current, found.session.digest, passwordHash);
    });
  },
});
