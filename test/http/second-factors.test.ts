import { describe, expect, it } from 'vitest';
import { codeAt } from '../scenarios/second-factors.js';
import { SoftwareAuthenticator } from '../support/software-authenticator.js';
import { httpFixture } from './support.js';

const encryptionKeys = [{ id: 'k1', key: new Uint8Array(32).fill(3) }];
const cookieOf = (response: Response) => (response.headers.get('set-cookie') ?? '').split(';')[0] as string;

describe('fetch handler: second factors', () => {
  it('enrolls an authenticator app, then signs in with a code, the session in the cookie', async () => {
    const { call, signIn, clock, admin } = await httpFixture({}, { encryptionKeys });
    const { cookie } = await signIn();
    const enrollment = await call('POST', '/api/auth/factors/totp', { cookie, body: { label: 'Phone' } });
    expect(enrollment.json.uri).toMatch(/^otpauth:\/\/totp\//u);
    const code = codeAt(enrollment.json.secret, clock.now());
    const confirmed = await call('POST', '/api/auth/factors/totp/confirmation', {
      cookie,
      body: { enrollmentId: enrollment.json.enrollmentId, code },
    });
    expect([confirmed.status, confirmed.json.recoveryCodes.length, confirmed.json.factor.label]).toEqual([
      200,
      10,
      'Phone',
    ]);
    // A field the server fills in is refused, as everywhere.
    const smuggled = await call('POST', '/api/auth/factors/totp', { cookie, body: { sessionToken: 'x' } });
    expect(smuggled.status).toBe(400);
    const started = await signIn();
    expect([started.json.kind, started.setCookie]).toEqual(['second-factor-required', '']);
    clock.advance(30_000);
    const wrong = await call('POST', '/api/auth/second-factor', {
      body: { challengeToken: started.json.challengeToken, method: 'totp', code: '000000' },
    });
    expect([wrong.status, wrong.json.error.code]).toEqual([401, 'INVALID_CREDENTIALS']);
    const finished = await call('POST', '/api/auth/second-factor', {
      body: {
        challengeToken: started.json.challengeToken,
        method: 'totp',
        code: codeAt(enrollment.json.secret, clock.now()),
      },
    });
    expect(finished.json).not.toHaveProperty('token');
    const session = await call('GET', '/api/auth/session', { cookie: cookieOf(finished.response) });
    expect([session.json.user.email, session.json.session.authenticationMethods]).toEqual([
      admin.email,
      ['password', 'totp'],
    ]);
    const factors = await call('GET', '/api/auth/factors', { cookie: cookieOf(finished.response) });
    expect(factors.json.map((factor: { label: string }) => factor.label)).toEqual(['Phone']);
  });

  it('makes an admin enroll at sign-in when the company requires it, finishing with the session', async () => {
    const { call, signIn, clock, organization } = await httpFixture({}, { encryptionKeys });
    const { cookie } = await signIn();
    const policy = await call('PUT', `/api/organizations/${organization.id}/security-policy`, {
      cookie,
      body: { mfa: 'required-for-admins' },
    });
    expect(policy.json.securityPolicy.mfa).toBe('required-for-admins');
    const started = await signIn();
    expect(started.json.kind).toBe('second-factor-enrollment-required');
    const { challengeToken } = started.json;
    const enrollment = await call('POST', '/api/auth/second-factor/enrollment/totp', { body: { challengeToken } });
    const confirmed = await call('POST', '/api/auth/second-factor/enrollment/totp/confirmation', {
      body: {
        challengeToken,
        enrollmentId: enrollment.json.enrollmentId,
        code: codeAt(enrollment.json.secret, clock.now()),
      },
    });
    expect(confirmed.json).not.toHaveProperty('token');
    expect(confirmed.json.session.authenticationMethods).toEqual(['password', 'totp']);
    const session = await call('GET', '/api/auth/session', { cookie: cookieOf(confirmed.response) });
    expect(session.status).toBe(200);
  });

  it('accepts an invitation where a factor is required now with the enrollment challenge, not a session', async () => {
    const { call, signIn, clock, organization, operator } = await httpFixture({}, { encryptionKeys });
    const { cookie } = await signIn();
    await call('PUT', `/api/organizations/${organization.id}/security-policy`, { cookie, body: { mfa: 'required' } });
    const { user } = await operator.users.add({
      organizationId: organization.id,
      email: 'cleo@acme.example',
      firstName: 'Cleo',
      lastName: 'New',
      invite: false,
    });
    const token = new URL((await operator.invitations.createLink(user.id)).link).searchParams.get('token');
    const accepted = await call('POST', '/api/auth/invitation/accept', {
      body: { token, password: 'a long passphrase nobody guesses' },
    });
    expect([accepted.status, accepted.json.kind, accepted.response.headers.get('set-cookie')]).toEqual([
      200,
      'second-factor-enrollment-required',
      null,
    ]);
    const { challengeToken } = accepted.json;
    const enrollment = await call('POST', '/api/auth/second-factor/enrollment/totp', { body: { challengeToken } });
    const confirmed = await call('POST', '/api/auth/second-factor/enrollment/totp/confirmation', {
      body: {
        challengeToken,
        enrollmentId: enrollment.json.enrollmentId,
        code: codeAt(enrollment.json.secret, clock.now()),
      },
    });
    const session = await call('GET', '/api/auth/session', { cookie: cookieOf(confirmed.response) });
    expect([session.json.user.email, session.json.session.authenticationMethods]).toEqual([
      'cleo@acme.example',
      ['password', 'totp'],
    ]);
  });

  it('registers a passkey and signs in with it alone, the session in the cookie', async () => {
    const policy = { mfa: { webauthn: { rpId: 'portal.example.test', origins: ['https://portal.example.test'] } } };
    const { call, signIn, admin } = await httpFixture({}, { encryptionKeys, policy });
    const { cookie } = await signIn();
    const authenticator = new SoftwareAuthenticator('https://portal.example.test');
    const creation = await call('POST', '/api/auth/factors/passkey/options', { cookie });
    const response = authenticator.create(creation.json.options);
    const registered = await call('POST', '/api/auth/factors/passkey', { cookie, body: { response, label: 'Laptop' } });
    expect([registered.status, registered.json.factor.type]).toEqual([200, 'passkey']);
    const request = await call('POST', '/api/auth/passkey/options', { body: {} });
    const answer = authenticator.get(request.json.options);
    const signedIn = await call('POST', '/api/auth/passkey', { body: { response: answer } });
    expect(signedIn.json).not.toHaveProperty('token');
    const session = await call('GET', '/api/auth/session', { cookie: cookieOf(signedIn.response) });
    expect([session.json.user.email, session.json.session.authenticationMethods]).toEqual([admin.email, ['passkey']]);
  });
});
