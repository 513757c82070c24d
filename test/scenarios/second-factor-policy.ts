import { generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { codeOf, type MakeStorage, makeTenantry, person, sessionOf } from '../support/tenantry.js';
import { challengeOf, codeAt, password, withMembers } from './second-factors.js';

const DAY = 86_400_000;

export function describeSecondFactorPolicy(name: string, makeStorage: MakeStorage): void {
  describe(`${name}: a company's second-factor policy`, () => {
    it('makes admins enroll at their next sign-in when required for admins, and lets members in', async () => {
      const t = await withMembers(makeStorage);
      const policy = await t.ann.organizations.setSecurityPolicy(t.organization.id, { mfa: 'required-for-admins' });
      expect(policy.securityPolicy).toEqual({
        mfa: 'required-for-admins',
        enrollmentGraceDays: 0,
        mfaRequiredSince: t.clock.now(),
        ssoRequired: false,
      });
      expect(await codeOf(t.as(t.bob.id).organizations.setSecurityPolicy(t.organization.id, { mfa: 'optional' }))).toBe(
        'FORBIDDEN',
      );
      expect(await t.signIn(t.bob.email)).toMatchObject({ kind: 'session', session: { enrollmentDueAt: null } });
      const started = await t.signIn(t.admin.email);
      expect(started.kind).toBe('second-factor-enrollment-required');
      const challengeToken = challengeOf(started);
      // The challenge enrolls; it does not sign in, nor stand for a second factor.
      expect(await codeOf(t.um.auth.verifySecondFactor({ challengeToken, method: 'totp', code: '123456' }))).toBe(
        'TOKEN_INVALID',
      );
      expect(await codeOf(t.um.auth.listFactors(challengeToken))).toBe('SESSION_INVALID');
      const enrollment = await t.um.auth.enrollTotp({ challengeToken });
      const confirmed = await t.um.auth.confirmTotp({
        challengeToken,
        enrollmentId: enrollment.enrollmentId,
        code: codeAt(enrollment.secret, t.clock.now()),
      });
      expect(confirmed.recoveryCodes).toHaveLength(10);
      expect(confirmed.session?.authenticationMethods).toEqual(['password', 'totp']);
      const validated = await t.um.auth.validateSession(confirmed.token as string);
      expect(validated.user.id).toBe(t.admin.id);
      // Used once, the challenge is gone.
      expect(await codeOf(t.um.auth.enrollTotp({ challengeToken }))).toBe('TOKEN_INVALID');
    });

    it('gives a grace period the session carries, and holds sub-organizations to the strictest policy', async () => {
      const t = await withMembers(makeStorage);
      const { organization: branch, firstUser } = await t.ann.organizations.create({
        name: 'Acme Branch',
        parentId: t.organization.id,
        firstUser: person('Bea', 'Branch'),
      });
      await t.ann.organizations.setSecurityPolicy(t.organization.id, { mfa: 'required', enrollmentGraceDays: 7 });
      const { link } = await t.operator.invitations.createLink(firstUser.id);
      await t.um.auth.acceptInvitation({ token: new URL(link).searchParams.get('token') ?? '', password });
      const inGrace = await t.signIn(firstUser.email);
      expect(inGrace).toMatchObject({
        kind: 'session',
        session: { enrollmentDueAt: new Date(t.clock.now().getTime() + 7 * DAY) },
      });
      expect(branch.securityPolicy.mfa).toBe('optional');
      t.clock.advance(7 * DAY);
      expect((await t.signIn(firstUser.email)).kind).toBe('second-factor-enrollment-required');
      expect((await t.signIn(t.bob.email)).kind).toBe('second-factor-enrollment-required');
    });

    it('has a newcomer enroll before their first session when no grace is left, and counts it from their creation', async () => {
      const t = await withMembers(makeStorage);
      await t.ann.organizations.setSecurityPolicy(t.organization.id, { mfa: 'required' });
      const { user: cleo } = await t.ann.users.add({ organizationId: t.organization.id, ...person('Cleo', 'New') });
      const { link } = await t.ann.invitations.createLink(cleo.id);
      const token = new URL(link).searchParams.get('token') ?? '';
      const accepted = await t.um.auth.acceptInvitation({ token, password });
      expect(accepted).toMatchObject({
        kind: 'second-factor-enrollment-required',
        user: { id: cleo.id, status: 'active' },
      });
      expect(accepted).not.toHaveProperty('token');
      expect(await t.ann.users.sessions(cleo.id)).toEqual([]);
      expect(await codeOf(t.um.auth.acceptInvitation({ token, password }))).toBe('TOKEN_INVALID');
      const challengeToken = challengeOf(accepted);
      const enrollment = await t.um.auth.enrollTotp({ challengeToken });
      const confirmed = await t.um.auth.confirmTotp({
        challengeToken,
        enrollmentId: enrollment.enrollmentId,
        code: codeAt(enrollment.secret, t.clock.now()),
      });
      expect(confirmed.session).toMatchObject({ userId: cleo.id, authenticationMethods: ['password', 'totp'] });
      expect((await t.um.auth.validateSession(confirmed.token as string)).user.id).toBe(cleo.id);

      // With a grace period, a newcomer's starts when they were created, however long the policy has been on.
      await t.ann.organizations.setSecurityPolicy(t.organization.id, { mfa: 'required', enrollmentGraceDays: 3 });
      t.clock.advance(10 * DAY);
      const { user: dan } = await t.ann.users.add({ organizationId: t.organization.id, ...person('Dan', 'Later') });
      t.clock.advance(DAY);
      const invitation = await t.ann.invitations.createLink(dan.id);
      const inGrace = sessionOf(
        await t.um.auth.acceptInvitation({ token: new URL(invitation.link).searchParams.get('token') ?? '', password }),
      );
      expect(inGrace.session).toMatchObject({
        authenticationMethods: ['password'],
        enrollmentDueAt: new Date(dan.createdAt.getTime() + 3 * DAY),
      });
    });

    it('refuses removing the last factor the policy needs, and an admin resets a lost one', async () => {
      const t = await withMembers(makeStorage);
      const { factor } = await t.enroll(t.bobSession.token);
      await t.ann.organizations.setSecurityPolicy(t.organization.id, { mfa: 'required' });
      const removal = { sessionToken: t.bobSession.token, factorId: factor.id };
      expect(await codeOf(t.um.auth.removeFactor(removal))).toBe('MFA_REQUIRED');
      expect(await t.ann.users.factors(t.bob.id)).toEqual([
        {
          id: factor.id,
          type: 'totp',
          label: 'Authenticator app',
          createdAt: expect.any(Date),
          lastUsedAt: expect.any(Date),
        },
      ]);
      expect(await codeOf(t.as(t.bob.id).users.resetFactors(t.bob.id))).toBe('SELF_MODIFICATION');
      expect(await codeOf(t.ann.users.resetFactors(t.admin.id))).toBe('SELF_MODIFICATION');
      expect(await t.ann.users.resetFactors(t.bob.id)).toEqual({ removed: 1 });
      expect(await codeOf(t.um.auth.validateSession(t.bobSession.token))).toBe('SESSION_INVALID');
      await t.um.outbox.idle();
      expect(t.mailer.outbox.filter((mail) => mail.to === t.bob.email).map((mail) => mail.kind)).toEqual(
        expect.arrayContaining(['factor-added', 'factors-reset']),
      );
      // Back to enrolling at the next sign-in, as the policy wants.
      expect((await t.signIn(t.bob.email)).kind).toBe('second-factor-enrollment-required');
      await t.ann.organizations.setSecurityPolicy(t.organization.id, { mfa: 'optional' });
      const fresh = await t.signIn(t.bob.email);
      const again = await t.enroll((fresh as { token: string }).token);
      await t.um.auth.removeFactor({ sessionToken: (fresh as { token: string }).token, factorId: again.factor.id });
      expect(await t.um.auth.listFactors((fresh as { token: string }).token)).toEqual([]);
    });

    it('records factors in the trail without their secrets, and carries the methods into access tokens', async () => {
      const { privateKey, publicKey } = await generateKeyPair('ES256');
      const accessTokens = { privateKey, publicKey, alg: 'ES256' as const, issuer: 'https://portal.example.test' };
      const t = await withMembers(makeStorage, { accessTokens });
      const { secret, recoveryCodes } = await t.enroll(t.bobSession.token);
      t.clock.advance(30_000);
      const challengeToken = challengeOf(await t.signIn(t.bob.email));
      const signedIn = await t.um.auth.verifySecondFactor({
        challengeToken,
        method: 'totp',
        code: codeAt(secret, t.clock.now()),
      });
      const claims = await t.um.auth.verifyAccessToken(
        await t.um.auth.issueAccessToken((signedIn as { token: string }).token),
      );
      expect(claims.amr).toEqual(['password', 'totp']);
      const trail = JSON.stringify(await t.operator.audit.list({ organizationId: t.organization.id, limit: 200 }));
      expect(trail).toContain('factor.added');
      expect(trail).not.toContain(secret);
      for (const code of recoveryCodes) expect(trail).not.toContain(code);
    });

    it('asks the second factor after a password change an admin required, before any session', async () => {
      const t = await withMembers(makeStorage);
      const { secret } = await t.enroll(t.bobSession.token);
      const temporary = 'a temporary passphrase from the admin';
      await t.ann.users.resetPassword(t.bob.id, { mode: 'temporary', password: temporary });
      const challenged = await t.um.auth.signIn({ email: t.bob.email, password: temporary });
      expect(challenged.kind).toBe('password-change-required');
      const newPassword = 'my very own passphrase now';
      const changed = await t.um.auth.completePasswordChange({ challengeToken: challengeOf(challenged), newPassword });
      expect(changed.kind).toBe('second-factor-required');
      t.clock.advance(30_000);
      const code = codeAt(secret, t.clock.now());
      const signedIn = await t.um.auth.verifySecondFactor({
        challengeToken: challengeOf(changed),
        method: 'totp',
        code,
      });
      expect(signedIn).toMatchObject({ kind: 'session', session: { authenticationMethods: ['password', 'totp'] } });
    });

    it('changes how one signs in only from a recent sign-in, not from a session left open', async () => {
      const t = await withMembers(makeStorage);
      const { factor } = await t.enroll(t.bobSession.token);
      t.clock.advance(16 * 60_000);
      const stale = t.bobSession.token;
      expect(await codeOf(t.um.auth.enrollTotp({ sessionToken: stale }))).toBe('FORBIDDEN');
      expect(await codeOf(t.um.auth.removeFactor({ sessionToken: stale, factorId: factor.id }))).toBe('FORBIDDEN');
      expect(await codeOf(t.um.auth.regenerateRecoveryCodes(stale))).toBe('FORBIDDEN');
      expect(await t.um.auth.listFactors(stale)).toHaveLength(1);
    });

    it('takes a user’s factors and recovery codes away with their erasure', async () => {
      const t = await withMembers(makeStorage);
      await t.enroll(t.bobSession.token);
      await t.ann.users.erase(t.bob.id);
      const left = await t.storage.transaction(async (tx) => ({
        factors: await tx.factors.forUser(t.bob.id),
        codes: await tx.recoveryCodes.countUnused(t.bob.id),
      }));
      expect(left).toEqual({ factors: [], codes: 0 });
    });

    it('needs the installation’s encryption keys for TOTP', async () => {
      const t = await makeTenantry(makeStorage);
      const { firstUser } = await t.operator.organizations.create({ name: 'Acme', firstUser: person('Ann', 'Admin') });
      const { link } = await t.operator.invitations.createLink(firstUser.id);
      const { token } = sessionOf(
        await t.um.auth.acceptInvitation({ token: new URL(link).searchParams.get('token') ?? '', password }),
      );
      expect(await codeOf(t.um.auth.enrollTotp({ sessionToken: token }))).toBe('VALIDATION_FAILED');
    });
  });
}
