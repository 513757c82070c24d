import { calculatePKCECodeChallenge } from 'openid-client';
import { describe, expect, it } from 'vitest';
import { newOidcRequest } from '../../src/sso/oidc.js';
import {
  otherPortal,
  portal,
  provider,
  reasonOf,
  redirectUri,
  relyingParty,
  settings,
  signIn,
  ssoFailure,
  useOidcProvider,
  withParameters,
} from './oidc-support.js';

useOidcProvider();

describe('the authorization code flow against oidc-provider', () => {
  it('sends the browser with PKCE (S256), state and nonce, and answers the account it comes back with', async () => {
    const party = relyingParty();
    const { request, authorizationUrl, callback } = await signIn(party);
    const sent = new URL(authorizationUrl).searchParams;
    expect(sent.get('response_type')).toBe('code');
    expect(sent.get('client_id')).toBe(portal.clientId);
    expect(sent.get('redirect_uri')).toBe(redirectUri);
    expect(sent.get('state')).toBe(request.state);
    expect(sent.get('nonce')).toBe(request.nonce);
    expect(sent.get('code_challenge_method')).toBe('S256');
    expect(sent.get('code_challenge')).toBe(await calculatePKCECodeChallenge(request.codeVerifier));
    expect(sent.get('scope')?.split(' ')).toEqual(['openid', 'email', 'profile', 'groups']);

    const identity = await party.complete(settings(), callback);
    expect(identity).toMatchObject({
      subject: 'ada',
      email: 'ada@acme.test',
      emailVerified: true,
      givenName: 'Ada',
      familyName: 'Lovelace',
      amr: ['pwd', 'otp'],
    });
    expect(identity.claims).toMatchObject({
      iss: provider.issuer,
      aud: portal.clientId,
      groups: ['engineering', 'portal-admins'],
      email_verified: true,
    });
    expect(Object.isFrozen(identity.claims)).toBe(true);
  });

  it('says an address is unverified, and no amr, where the provider says nothing', async () => {
    const party = relyingParty();
    const { callback } = await signIn(party, 'bob');
    const identity = await party.complete(settings(), callback);
    expect(identity).toMatchObject({ subject: 'bob', emailVerified: false, amr: [] });
    expect(identity.claims.groups).toEqual([]);
  });

  it('makes a new state, nonce and code verifier each time', () => {
    const [first, second] = [newOidcRequest(), newOidcRequest()];
    expect(first.state).not.toBe(second.state);
    expect(first.nonce).not.toBe(second.nonce);
    expect(first.codeVerifier).not.toBe(second.codeVerifier);
    expect(first.codeVerifier.length).toBeGreaterThanOrEqual(43);
  });
});

describe('refused callbacks', () => {
  it('refuses a callback of another state, or without one', async () => {
    const party = relyingParty();
    const { callback, code } = await signIn(party);
    const crossed = await ssoFailure(party.complete(settings(), { ...callback, state: newOidcRequest().state }), code);
    expect(reasonOf(crossed)).toBe('state-mismatch');
    const stateless = { ...callback, callbackUrl: withParameters(callback.callbackUrl, { state: null }) };
    expect(reasonOf(await ssoFailure(party.complete(settings(), stateless), code))).toBe('state-mismatch');
  });

  it('answers the provider’s error=access_denied as provider-error', async () => {
    const party = relyingParty();
    const request = newOidcRequest();
    await party.authorizationUrl(settings(), { redirectUri, ...request });
    const callbackUrl = withParameters(redirectUri, {
      error: 'access_denied',
      state: request.state,
      iss: provider.issuer,
    });
    const failure = await ssoFailure(party.complete(settings(), { callbackUrl, redirectUri, ...request }));
    expect(failure.details).toMatchObject({ reason: 'provider-error', providerError: 'access_denied' });
  });

  it('refuses a callback of another issuer, or without a code', async () => {
    const party = relyingParty();
    const { callback, code } = await signIn(party);
    const mixedUp = {
      ...callback,
      callbackUrl: withParameters(callback.callbackUrl, { iss: 'https://idp.example.com' }),
    };
    expect(reasonOf(await ssoFailure(party.complete(settings(), mixedUp), code))).toBe('invalid-callback');
    const codeless = { ...callback, callbackUrl: withParameters(callback.callbackUrl, { code: null }) };
    expect(reasonOf(await ssoFailure(party.complete(settings(), codeless), code))).toBe('invalid-callback');
  });

  it('refuses an ID token of another nonce', async () => {
    const party = relyingParty();
    const { callback, code } = await signIn(party);
    const failure = await ssoFailure(party.complete(settings(), { ...callback, nonce: newOidcRequest().nonce }), code);
    expect(reasonOf(failure)).toBe('nonce-mismatch');
  });

  it('refuses a code used twice', async () => {
    const party = relyingParty();
    const { callback, code } = await signIn(party);
    await party.complete(settings(), callback);
    const failure = await ssoFailure(party.complete(settings(), callback), code);
    expect(failure.details).toMatchObject({ reason: 'token-exchange-failed', providerError: 'invalid_grant' });
  });

  it('refuses a code verifier other than the one of the challenge', async () => {
    const party = relyingParty();
    const { callback, code } = await signIn(party);
    const failure = await ssoFailure(
      party.complete(settings(), { ...callback, codeVerifier: newOidcRequest().codeVerifier }),
      code,
    );
    expect(failure.details).toMatchObject({ reason: 'token-exchange-failed', providerError: 'invalid_grant' });
  });

  it('refuses a code issued to another client', async () => {
    const party = relyingParty();
    const { callback, code } = await signIn(party);
    const elsewhere = settings({ clientId: otherPortal.clientId, clientSecret: otherPortal.clientSecret });
    const failure = await ssoFailure(party.complete(elsewhere, callback), code);
    expect(reasonOf(failure)).toBe('token-exchange-failed');
  });

  it('refuses a wrong client secret, and never shows it', async () => {
    const party = relyingParty();
    const { callback, code } = await signIn(party);
    const wrongSecret = 'wrong-secret-9b1f0d3e7a';
    const failure = await ssoFailure(
      party.complete(settings({ clientSecret: wrongSecret }), callback),
      code,
      wrongSecret,
    );
    expect(failure.details).toMatchObject({ reason: 'token-exchange-failed', providerError: 'invalid_client' });
  });

  it('refuses an expired ID token', async () => {
    const party = relyingParty({ now: () => new Date(Date.now() + 2 * 3_600_000) });
    const { callback, code } = await signIn(party);
    const failure = await ssoFailure(party.complete(settings(), callback), code);
    expect(failure.details).toMatchObject({ reason: 'id-token-invalid', claim: 'exp' });
  });

  it('accepts an ID token within the clock tolerance', async () => {
    const party = relyingParty({ now: () => new Date(Date.now() + 3_600_000 + 30_000) });
    const { callback } = await signIn(party);
    await expect(party.complete(settings(), callback)).resolves.toMatchObject({ subject: 'ada' });
  });
});
