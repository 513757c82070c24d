import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memoryStorage } from '../../adapters/memory/index.js';
import type { InvitationAccepted, SignInResult } from '../../src/index.js';
import { codeAt, password, withMembers } from '../scenarios/second-factors.js';
import { person } from '../support/tenantry.js';

const temporary = 'a temporary passphrase from the admin';
const changed = 'the passphrase the user chose later';

/** One step a client, an attacker or an admin may take, in any order. */
type Step =
  | { call: 'signIn'; secret: 0 | 1 | 2 | 3; newcomer: boolean }
  | { call: 'accept'; weak: boolean }
  | { call: 'verify'; challenge: number; with: 'code' | 'wrong' | 'recovery' }
  | { call: 'enroll'; challenge: number; bySession: boolean }
  | { call: 'confirm'; challenge: number; enrollment: number; bySession: boolean; right: boolean }
  | { call: 'changePassword'; challenge: number }
  | { call: 'removeFactor'; session: number }
  | { call: 'wait'; ms: number }
  | { call: 'admin'; action: 'resetFactors' | 'unlock' | 'temporaryPassword' };

const index = fc.nat({ max: 5 });
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ call: fc.constant('signIn'), secret: fc.constantFrom(0, 1, 2, 3), newcomer: fc.boolean() }),
  fc.record({ call: fc.constant('accept'), weak: fc.boolean() }),
  fc.record({ call: fc.constant('verify'), challenge: index, with: fc.constantFrom('code', 'wrong', 'recovery') }),
  fc.record({ call: fc.constant('enroll'), challenge: index, bySession: fc.boolean() }),
  fc.record({
    call: fc.constant('confirm'),
    challenge: index,
    enrollment: index,
    bySession: fc.boolean(),
    right: fc.boolean(),
  }),
  fc.record({ call: fc.constant('changePassword'), challenge: index }),
  fc.record({ call: fc.constant('removeFactor'), session: index }),
  fc.record({ call: fc.constant('wait'), ms: fc.constantFrom(30_000, 6 * 60_000) }),
  fc.record({ call: fc.constant('admin'), action: fc.constantFrom('resetFactors', 'unlock', 'temporaryPassword') }),
) as fc.Arbitrary<Step>;

const pick = <T>(list: readonly T[], at: number): T | undefined =>
  list.length === 0 ? undefined : list[at % list.length];

describe('sign-in with a required second factor, whatever the order of calls', () => {
  it('never ends in a session without a second factor', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 24 }), async (steps) => {
        const t = await withMembers(memoryStorage);
        await t.operator.organizations.setSecurityPolicy(t.organization.id, { mfa: 'required' });
        await t.operator.users.invalidateSessions(t.bob.id);
        // A newcomer invited once the policy is on: accepting the invitation is a sign-in too.
        const { user: cleo } = await t.ann.users.add({ organizationId: t.organization.id, ...person('Cleo', 'New') });
        const invitation = new URL((await t.ann.invitations.createLink(cleo.id)).link).searchParams.get('token') ?? '';
        const secrets = [password, temporary, changed, 'a wrong passphrase entirely'];
        const challenges: string[] = [];
        const sessions: string[] = [];
        const enrollments: { id: string; secret: string }[] = [];
        const recoveryCodes: string[] = [];
        const absorb = (result: SignInResult | InvitationAccepted | { token?: string; recoveryCodes?: string[] }) => {
          if ('challengeToken' in result) challenges.push(result.challengeToken);
          if ('token' in result && typeof result.token === 'string') sessions.push(result.token);
          if ('recoveryCodes' in result && Array.isArray(result.recoveryCodes))
            recoveryCodes.push(...result.recoveryCodes);
        };
        const who = (challenge: number, bySession: boolean) => {
          const token = bySession ? pick(sessions, challenge) : pick(challenges, challenge);
          return bySession ? { sessionToken: token ?? 'none' } : { challengeToken: token ?? 'none' };
        };
        for (const next of steps) {
          const attempt = (async () => {
            switch (next.call) {
              case 'signIn': {
                const email = next.newcomer ? cleo.email : t.bob.email;
                return absorb(await t.um.auth.signIn({ email, password: secrets[next.secret] as string }));
              }
              case 'accept': {
                const chosen = next.weak ? 'password' : password;
                return absorb(await t.um.auth.acceptInvitation({ token: invitation, password: chosen }));
              }
              case 'verify': {
                const challengeToken = pick(challenges, next.challenge) ?? 'none';
                const secret = enrollments.at(-1)?.secret;
                const code =
                  next.with === 'recovery'
                    ? (recoveryCodes.at(-1) ?? 'none')
                    : next.with === 'code' && secret
                      ? codeAt(secret, t.clock.now())
                      : '000000';
                const method = next.with === 'recovery' ? 'recovery-code' : 'totp';
                return absorb(await t.um.auth.verifySecondFactor({ challengeToken, method, code }));
              }
              case 'enroll': {
                const enrollment = await t.um.auth.enrollTotp(who(next.challenge, next.bySession));
                enrollments.push({ id: enrollment.enrollmentId, secret: enrollment.secret });
                return;
              }
              case 'confirm': {
                const enrollment = pick(enrollments, next.enrollment);
                const code = enrollment && next.right ? codeAt(enrollment.secret, t.clock.now()) : '000000';
                const input = { ...who(next.challenge, next.bySession), enrollmentId: enrollment?.id ?? 'none', code };
                return absorb(await t.um.auth.confirmTotp(input));
              }
              case 'changePassword': {
                const challengeToken = pick(challenges, next.challenge) ?? 'none';
                return absorb(await t.um.auth.completePasswordChange({ challengeToken, newPassword: changed }));
              }
              case 'removeFactor': {
                const sessionToken = pick(sessions, next.session) ?? 'none';
                const factors = await t.um.auth.listFactors(sessionToken);
                if (factors[0]) await t.um.auth.removeFactor({ sessionToken, factorId: factors[0].id });
                return;
              }
              case 'wait':
                return t.clock.advance(next.ms);
              case 'admin':
                if (next.action === 'resetFactors') return void (await t.operator.users.resetFactors(t.bob.id));
                if (next.action === 'unlock') return void (await t.operator.users.unlock(t.bob.id));
                return t.operator.users.resetPassword(t.bob.id, { mode: 'temporary', password: temporary });
            }
          })();
          await attempt.catch((error: unknown) => {
            if (!(error instanceof Error) || error.name !== 'TenantryError') throw error;
          });
          const live = await t.storage.transaction(async (tx) => [
            ...(await tx.sessions.listLive(t.bob.id, t.clock.now())),
            ...(await tx.sessions.listLive(cleo.id, t.clock.now())),
          ]);
          for (const session of live) {
            const factors = session.authenticationMethods.filter((method) => method !== 'password');
            expect(factors.length, `after ${JSON.stringify(next)}`).toBeGreaterThan(0);
          }
        }
      }),
      { numRuns: 40 },
    );
  }, 120_000);
});
