import { describe, expect, it } from 'vitest';
import { SoftwareAuthenticator } from '../support/software-authenticator.js';
import { codeOf, type MakeStorage } from '../support/tenantry.js';
import { challengeOf, withMembers } from './second-factors.js';

const origin = 'https://portal.example.test';
const policy = { mfa: { webauthn: { rpId: 'portal.example.test', rpName: 'Portal', origins: [origin] } } };

type Options = Parameters<SoftwareAuthenticator['get']>[0] & Parameters<SoftwareAuthenticator['create']>[0];

async function withPasskey(makeStorage: MakeStorage) {
  const t = await withMembers(makeStorage, { policy });
  const authenticator = new SoftwareAuthenticator(origin);
  const sessionToken = t.bobSession.token;
  const { options } = await t.um.auth.passkeyRegistrationOptions({ sessionToken });
  const registered = await t.um.auth.registerPasskey({
    sessionToken,
    response: authenticator.create(options as Options),
    label: 'Laptop',
  });
  return { ...t, authenticator, registered };
}

export function describePasskeys(name: string, makeStorage: MakeStorage): void {
  describe(`${name}: passkeys`, () => {
    it('registers a passkey and uses it after the password, then alone', async () => {
      const t = await withPasskey(makeStorage);
      expect(t.registered).toMatchObject({
        factor: { type: 'passkey', label: 'Laptop' },
        recoveryCodes: expect.any(Array),
      });
      expect(t.registered.recoveryCodes).toHaveLength(10);
      const started = await t.signIn(t.bob.email);
      expect(started).toMatchObject({ kind: 'second-factor-required', methods: ['passkey', 'recovery-code'] });
      const challengeToken = challengeOf(started);
      const { options } = await t.um.auth.passkeyOptions({ challengeToken });
      const second = await t.um.auth.verifyPasskey({
        challengeToken,
        response: t.authenticator.get(options as Options),
      });
      expect(second).toMatchObject({ kind: 'session', session: { authenticationMethods: ['password', 'passkey'] } });
      // Without a password: a discoverable passkey, any user's, answers a challenge issued to nobody.
      const passwordless = await t.um.auth.passkeyOptions();
      const response = t.authenticator.get(passwordless.options as Options);
      const alone = await t.um.auth.verifyPasskey({ response });
      expect(alone).toMatchObject({
        kind: 'session',
        user: { id: t.bob.id },
        session: { authenticationMethods: ['passkey'] },
      });
      // The challenge was used: the same answer again is refused.
      expect(await codeOf(t.um.auth.verifyPasskey({ response }))).toBe('INVALID_CREDENTIALS');
      expect((await t.um.auth.listFactors(t.bobSession.token)).map((factor) => factor.lastUsedAt)).toEqual([
        expect.any(Date),
      ]);
    });

    it('refuses another site’s answer, a registration challenge, and a counter that went back', async () => {
      const t = await withPasskey(makeStorage);
      // The same passkey, asked by a look-alike site: the client data names that site's origin.
      t.authenticator.origin = 'https://portal-example.test';
      const { options } = await t.um.auth.passkeyOptions();
      expect(await codeOf(t.um.auth.verifyPasskey({ response: t.authenticator.get(options as Options) }))).toBe(
        'INVALID_CREDENTIALS',
      );
      t.authenticator.origin = origin;
      const registration = await t.um.auth.passkeyRegistrationOptions({ sessionToken: t.bobSession.token });
      expect(
        await codeOf(t.um.auth.verifyPasskey({ response: t.authenticator.get(registration.options as Options) })),
      ).toBe('INVALID_CREDENTIALS');
      await t.um.auth.verifyPasskey({
        response: t.authenticator.get((await t.um.auth.passkeyOptions()).options as Options),
      });
      t.authenticator.rewindCounter = true;
      const cloned = t.authenticator.get((await t.um.auth.passkeyOptions()).options as Options);
      expect(await codeOf(t.um.auth.verifyPasskey({ response: cloned }))).toBe('INVALID_CREDENTIALS');
      const trail = await t.operator.audit.list({
        organizationId: t.organization.id,
        action: 'passkey.counter-regressed',
      });
      expect(trail.items).toHaveLength(1);
    });

    it('lets a sign-in that must enroll register a passkey and finish with it', async () => {
      const t = await withMembers(makeStorage, { policy });
      await t.ann.organizations.setSecurityPolicy(t.organization.id, { mfa: 'required' });
      const challengeToken = challengeOf(await t.signIn(t.bob.email));
      const authenticator = new SoftwareAuthenticator(origin);
      const { options } = await t.um.auth.passkeyRegistrationOptions({ challengeToken });
      const registered = await t.um.auth.registerPasskey({
        challengeToken,
        response: authenticator.create(options as Options),
      });
      expect(registered.session?.authenticationMethods).toEqual(['password', 'passkey']);
      expect(await codeOf(t.um.auth.passkeyRegistrationOptions({ challengeToken }))).toBe('TOKEN_INVALID');
    });
  });
}
