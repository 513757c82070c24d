import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeOf, type MakeStorage } from '../support/tenantry.js';
import { codeAt } from './second-factors.js';
import { footprint, oidcConnection, type SsoWorld, ssoCompany, startSsoWorld, stopSsoWorld } from './sso-fixture.js';

const password = 'a long passphrase nobody guesses';

export function describeOidcSignIn(name: string, makeStorage: MakeStorage): void {
  describe(`${name}: single sign-on with OpenID Connect`, () => {
    let world: SsoWorld;
    beforeAll(async () => {
      world = await startSsoWorld();
    }, 60_000);
    afterAll(() => stopSsoWorld(world));

    /** Begins at tenantry, signs the account in at the provider, and finishes at tenantry. */
    const signInThrough = async (company: Awaited<ReturnType<typeof ssoCompany>>, email: string, account: string) => {
      const { url, state } = await company.um.auth.beginSso({ email }, { returnTo: '/users' });
      const callbackUrl = await world.oidc.signIn(url, account);
      return { state, callbackUrl, result: () => company.um.auth.completeSso({ state, callbackUrl }) };
    };

    it('sends an address of the verified domain to SSO, and creates a newcomer just in time with mapped access', async () => {
      const company = await ssoCompany(makeStorage, world);
      expect(await company.um.auth.discover({ email: 'cleo@contoso.test' })).toEqual({ method: 'password' });
      const connection = await oidcConnection(company, world);
      expect(connection).toMatchObject({ type: 'oidc', redirectUri: 'https://portal.example.test/sso/callback' });
      expect(JSON.stringify(connection)).not.toContain('client secret');
      for (const email of ['cleo@contoso.test', 'nobody-yet@contoso.test']) {
        expect(await company.um.auth.discover({ email })).toEqual({ method: 'sso', connectionId: connection.id });
      }
      expect(await company.um.auth.discover({ email: 'fay@fabrikam.test' })).toEqual({ method: 'password' });

      const attempt = await signInThrough(company, 'cleo@contoso.test', 'cleo');
      const signedIn = await attempt.result();
      expect(signedIn).toMatchObject({
        kind: 'session',
        created: true,
        returnTo: '/users',
        user: { email: 'cleo@contoso.test', firstName: 'Cleo', lastName: 'New', status: 'active', roles: ['advanced'] },
        session: { authenticationMethods: ['sso'] },
      });
      const token = (signedIn as { token: string }).token;
      expect((await company.um.auth.validateSession(token)).user.organizationId).toBe(company.contoso.organization.id);
      // The state was used once.
      expect(await codeOf(attempt.result())).toBe('SSO_FAILED');

      const again = await (await signInThrough(company, 'cleo@contoso.test', 'cleo')).result();
      expect(again).toMatchObject({ kind: 'session', created: false, user: { id: signedIn.user.id } });
      const plain = await (await signInThrough(company, 'dan@contoso.test', 'dan')).result();
      expect(plain).toMatchObject({ created: true, user: { roles: ['basic'] } });
      const { items } = await company.operator.audit.list({ organizationId: company.contoso.organization.id });
      expect(items.map((event) => event.action)).toEqual(expect.arrayContaining(['user.created', 'signin.succeeded']));
    });

    it('links an invited user of the company, and reaches nobody of another company or domain', async () => {
      const company = await ssoCompany(makeStorage, world);
      await oidcConnection(company, world);
      const linked = await (await signInThrough(company, 'bob@contoso.test', 'bob')).result();
      expect(linked).toMatchObject({
        created: false,
        user: { id: company.bob.id, status: 'active', firstName: 'Robert', roles: ['advanced'] },
      });

      for (const [email, account, reason] of [
        ['eve@contoso.test', 'eve', 'user-in-other-organization'],
        ['mallory@fabrikam.test', 'mallory', 'domain-not-verified'],
        ['una@contoso.test', 'unverified', 'email-unverified'],
      ] as const) {
        const before = await footprint(company);
        // Mallory's address is not Contoso's: she starts at the connection itself, as an attacker would.
        const connectionId = (await company.ann.sso.list(company.contoso.organization.id))[0]?.id as string;
        const { url, state } =
          email === 'mallory@fabrikam.test'
            ? await company.um.auth.beginSso({ connectionId })
            : await company.um.auth.beginSso({ email });
        const callbackUrl = await world.oidc.signIn(url, account);
        const error = await company.um.auth.completeSso({ state, callbackUrl }).catch((caught: unknown) => caught);
        expect(error).toMatchObject({ code: 'SSO_FAILED', details: { reason } });
        expect(await footprint(company)).toEqual(before);
      }
      expect((await company.operator.users.get(company.eve.id)).organizationId).toBe(company.fabrikam.organization.id);
      const { items } = await company.operator.audit.list({
        organizationId: company.contoso.organization.id,
        action: 'sso.failed',
      });
      expect(items.map((event) => event.metadata?.reason).sort()).toEqual([
        'domain-not-verified',
        'email-unverified',
        'user-in-other-organization',
      ]);
    });

    it('refuses a callback of another sign-in, a made-up state, and a mapping an IdP may not grant', async () => {
      const company = await ssoCompany(makeStorage, world);
      const connection = await oidcConnection(company, world);
      const first = await signInThrough(company, 'cleo@contoso.test', 'cleo');
      const second = await company.um.auth.beginSso({ connectionId: connection.id });
      // The browser that began the second sign-in brings the first one's callback: its state is not the second's.
      const crossed = company.um.auth.completeSso({ state: second.state, callbackUrl: first.callbackUrl });
      expect(await crossed.catch((error: { details: unknown }) => error.details)).toMatchObject({
        reason: 'state-mismatch',
      });
      expect(await codeOf(company.um.auth.completeSso({ state: 'made-up', callbackUrl: first.callbackUrl }))).toBe(
        'SSO_FAILED',
      );
      const reasonOf = (promise: Promise<unknown>) =>
        promise.then(
          () => 'signed in',
          (error: { details: { reason?: string } }) => error.details.reason,
        );
      expect(await reasonOf(company.um.auth.beginSso({ email: 'someone@nowhere.test' }))).toBe('no-connection');
      const third = await company.um.auth.beginSso({ connectionId: connection.id });
      expect(await reasonOf(company.um.auth.completeSso({ state: third.state, samlResponse: 'PHNhbWw+' }))).toBe(
        'wrong-protocol',
      );
      await company.ann.sso.update(connection.id, { enabled: false });
      expect(await reasonOf(company.um.auth.completeSso({ state: third.state, callbackUrl: first.callbackUrl }))).toBe(
        'connection-unavailable',
      );
      expect(await reasonOf(company.um.auth.beginSso({ connectionId: connection.id }))).toBe('no-connection');
      await company.ann.sso.update(connection.id, { enabled: true });
      const operatorOnly = company.ann.sso.update(connection.id, {
        roleMapping: { claim: 'groups', map: { admins: { roles: ['taskfire'], permissions: [] } } },
      });
      expect(await codeOf(operatorOnly)).toBe('VALIDATION_FAILED');
      const direct = company.operator.sso.update(connection.id, {
        defaultAccess: { roles: [], permissions: ['tickets.taskfire'] },
      });
      expect(await codeOf(direct)).toBe('VALIDATION_FAILED');
      expect(await codeOf(company.as(company.bob.id).sso.list(company.contoso.organization.id))).toBe('FORBIDDEN');
      // Another company's admin learns nothing of it.
      expect(await codeOf(company.as(company.fabrikam.firstUser.id).sso.remove(connection.id))).toBe('NOT_FOUND');
    });

    it('keeps the last admin an admin whatever the mapping says, and records why', async () => {
      const company = await ssoCompany(makeStorage, world);
      const { link } = await company.operator.invitations.createLink(company.contoso.firstUser.id);
      await company.um.auth.acceptInvitation({ token: new URL(link).searchParams.get('token') ?? '', password });
      await oidcConnection(company, world);
      // Ann's groups map to nothing: the default access would take her admin rights, and she is the only admin.
      const signedIn = await (await signInThrough(company, 'ann@contoso.test', 'ann')).result();
      expect(signedIn.user.permissions).toContain('org.admin');
      const { items } = await company.operator.audit.list({
        organizationId: company.contoso.organization.id,
        action: 'sso.access-kept',
      });
      expect(items[0]).toMatchObject({ targetId: company.contoso.firstUser.id, metadata: { reason: 'LAST_ADMIN' } });
    });

    it('with SSO required, refuses members their password and reset links, and keeps the admins a way in', async () => {
      const company = await ssoCompany(makeStorage, world);
      const contosoId = company.contoso.organization.id;
      expect(await codeOf(company.ann.organizations.setSecurityPolicy(contosoId, { ssoRequired: true }))).toBe(
        'CONFLICT',
      );
      const connection = await oidcConnection(company, world);
      for (const userId of [company.contoso.firstUser.id, company.bob.id]) {
        const { link } = await company.operator.invitations.createLink(userId);
        await company.um.auth.acceptInvitation({ token: new URL(link).searchParams.get('token') ?? '', password });
      }
      const policy = await company.ann.organizations.setSecurityPolicy(contosoId, { ssoRequired: true });
      expect(policy.securityPolicy.ssoRequired).toBe(true);
      expect(await codeOf(company.um.auth.signIn({ email: 'bob@contoso.test', password }))).toBe('SSO_REQUIRED');
      expect(await codeOf(company.um.auth.signIn({ email: 'bob@contoso.test', password: 'wrong one' }))).toBe(
        'INVALID_CREDENTIALS',
      );
      expect((await company.um.auth.signIn({ email: 'ann@contoso.test', password })).kind).toBe('session');
      const mailsBefore = company.mailer.outbox.length;
      await company.um.auth.requestPasswordReset({ email: 'bob@contoso.test' });
      await company.um.outbox.idle();
      expect(company.mailer.outbox.length).toBe(mailsBefore);
      await company.um.auth.requestPasswordReset({ email: 'ann@contoso.test' });
      await company.um.outbox.idle();
      expect(company.mailer.outbox.at(-1)).toMatchObject({ to: 'ann@contoso.test', kind: 'password-reset' });
      // Its last connection stays while SSO is required.
      expect(await codeOf(company.ann.sso.update(connection.id, { enabled: false }))).toBe('CONFLICT');
      expect(await codeOf(company.ann.sso.remove(connection.id))).toBe('CONFLICT');
      const viaSso = await (await signInThrough(company, 'bob@contoso.test', 'bob')).result();
      expect(viaSso.kind).toBe('session');
      await company.ann.organizations.setSecurityPolicy(contosoId, { ssoRequired: false });
      await company.ann.sso.remove(connection.id);
      expect(await company.um.auth.discover({ email: 'bob@contoso.test' })).toEqual({ method: 'password' });
    });

    it('counts the provider’s second factor where trusted, and asks tenantry’s own otherwise', async () => {
      const company = await ssoCompany(makeStorage, world);
      const connection = await oidcConnection(company, world);
      await company.ann.organizations.setSecurityPolicy(company.contoso.organization.id, { mfa: 'required' });
      // Ann's provider says it asked a second factor (amr: mfa): that is enough.
      const ann = await (await signInThrough(company, 'ann@contoso.test', 'ann')).result();
      expect(ann).toMatchObject({ kind: 'session', session: { authenticationMethods: ['sso'] } });
      // Dan's says nothing of the kind: he sets tenantry's own up before any session.
      const dan = await (await signInThrough(company, 'dan@contoso.test', 'dan')).result();
      expect(dan).toMatchObject({ kind: 'second-factor-enrollment-required', created: true });
      const challengeToken = (dan as { challengeToken: string }).challengeToken;
      const enrollment = await company.um.auth.enrollTotp({ challengeToken });
      const confirmed = await company.um.auth.confirmTotp({
        challengeToken,
        enrollmentId: enrollment.enrollmentId,
        code: codeAt(enrollment.secret, company.clock.now()),
      });
      expect(confirmed.session?.authenticationMethods).toEqual(['sso', 'totp']);
      // Next time he proves it after the provider.
      company.clock.advance(30_000);
      const again = await (await signInThrough(company, 'dan@contoso.test', 'dan')).result();
      expect(again).toMatchObject({ kind: 'second-factor-required', methods: ['totp', 'recovery-code'] });
      const verified = await company.um.auth.verifySecondFactor({
        challengeToken: (again as { challengeToken: string }).challengeToken,
        method: 'totp',
        code: codeAt(enrollment.secret, company.clock.now()),
      });
      expect(verified).toMatchObject({ kind: 'session', session: { authenticationMethods: ['sso', 'totp'] } });
      // A connection that does not trust its provider's factor asks Ann for tenantry's own too.
      await company.ann.sso.update(connection.id, { trustProviderMfa: false });
      const distrusted = await (await signInThrough(company, 'ann@contoso.test', 'ann')).result();
      expect(distrusted.kind).toBe('second-factor-enrollment-required');
    });

    it('bounds the sign-ins one client starts, and the failures it causes', async () => {
      const company = await ssoCompany(makeStorage, world);
      const connection = await oidcConnection(company, world);
      const { ssoStartsPerClient, ssoFailuresPerClient } = company.um.policy.rateLimits;
      for (let started = 0; started < ssoStartsPerClient.limit; started++) {
        await company.um.auth.beginSso({ connectionId: connection.id }, { ip: '198.51.100.7' });
      }
      expect(await codeOf(company.um.auth.beginSso({ connectionId: connection.id }, { ip: '198.51.100.7' }))).toBe(
        'RATE_LIMITED',
      );
      expect((await company.um.auth.beginSso({ connectionId: connection.id }, { ip: '198.51.100.8' })).url).toContain(
        world.oidc.issuer,
      );
      const callbackUrl = `https://portal.example.test/sso/callback?code=x&state=y`;
      for (let failed = 0; failed < ssoFailuresPerClient.limit; failed++) {
        const attempt = company.um.auth.completeSso({ state: `made-up-${failed}`, callbackUrl, ip: '198.51.100.9' });
        expect(await codeOf(attempt)).toBe('SSO_FAILED');
      }
      const refused = company.um.auth.completeSso({ state: 'one more', callbackUrl, ip: '198.51.100.9' });
      expect(await codeOf(refused)).toBe('RATE_LIMITED');
    });
  });
}
