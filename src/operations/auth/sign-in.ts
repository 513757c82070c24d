import { z } from 'zod';
import type { SignInResult } from '../../auth-types.js';
import { TenantryError } from '../../errors.js';
import { administersOwnOrganization } from '../../flows/admin-guard.js';
import { allowancesFor, requireAllowances, spendAllowances } from '../../flows/allowances.js';
import { verifyDummy } from '../../flows/dummy-hash.js';
import { acceptPassword, accountKey, findCandidate, invalidCredentials, recordFailure } from '../../flows/sign-in.js';
import { afterPassword } from '../../flows/sign-in-steps.js';
import { normalizePassword } from '../../rules/password-policy.js';
import { signInSchema } from '../../schemas/auth.js';
import { defineOperation } from '../operation.js';

/**
 * `auth.signIn`: email and password. Unknown addresses and wrong passwords
 * get the same `INVALID_CREDENTIALS` after the same work; only the right
 * password learns why an account may not sign in. Spent allowances (per
 * client address and account) refuse before any hash is computed. A user
 * with a second factor, or whom a policy requires to enroll one, gets a
 * challenge instead of a session. Where the organization requires SSO, the
 * right password answers `SSO_REQUIRED`, but for its admins (a way in when
 * the provider fails).
 */
export const signIn = defineOperation({
  name: 'auth.signIn',
  input: z.tuple([signInSchema]),
  async execute(steps, [data]): Promise<SignInResult> {
    const { context } = steps;
    const password = normalizePassword(data.password);
    const started = context.clock.now();
    const allowances = allowancesFor(context, 'sign-in', {
      client: { ip: data.ip, rate: 'signInFailuresPerClient' },
      account: { key: accountKey(data.email), rate: 'signInFailuresPerAccount' },
    });
    // Spent allowances refuse before any hashing: a flood costs no CPU.
    await requireAllowances(context, allowances, started);
    const candidate = await steps.transact((unit) => findCandidate(unit, data.email));
    const { user, passwordHash } = candidate;
    const verified =
      candidate.refused || passwordHash === null
        ? await verifyDummy(context, password).then(() => false)
        : await context.passwordHasher.verify(passwordHash, password);
    if (!verified || !user || passwordHash === null) {
      await spendAllowances(context, allowances, started);
      await steps.transact((unit) => recordFailure(unit, user?.id ?? null));
      throw invalidCredentials();
    }
    const newHash = context.passwordHasher.needsRehash(passwordHash)
      ? await context.passwordHasher.hash(password)
      : null;
    return steps.transact(async (unit): Promise<SignInResult> => {
      const current = await acceptPassword(unit, user.id, newHash);
      const organization = await unit.organizationFor(current.organizationId, 'member');
      if (organization.securityPolicy.ssoRequired && !(await administersOwnOrganization(unit, current, organization))) {
        throw new TenantryError('SSO_REQUIRED', 'Your organization signs you in through its identity provider');
      }
      return afterPassword(unit, current, organization, { ip: data.ip, userAgent: data.userAgent });
    });
  },
});
