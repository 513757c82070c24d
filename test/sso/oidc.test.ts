import { inspect } from 'node:util';
import { calculatePKCECodeChallenge } from 'openid-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TenantryError } from '../../src/errors.js';
import { newOidcRequest, type OidcFailure, OidcRelyingParty, type OidcSettings } from '../../src/sso/oidc.js';
import {
  type OidcTestProvider,
  startMetadataOnlyIssuer,
  startOidcProvider,
  startSilentServer,
} from '../support/oidc-provider.js';

const redirectUri = 'http://127.0.0.1:3999/sso/callback';
const portal = { clientId: 'portal', clientSecret: 'portal-secret-7f3a9c1e5b', redirectUris: [redirectUri] };
const otherPortal = { clientId: 'other-portal', clientSecret: 'other-secret-2d8e4b6a0c', redirectUris: [redirectUri] };
const ada = {
  id: 'ada',
  email: 'ada@acme.test',
  emailVerified: true,
  givenName: 'Ada',
  familyName: 'Lovelace',
  groups: ['engineering', 'portal-admins'],
  amr: ['pwd', 'otp'],
};
const bob = { id: 'bob', email: 'bob@acme.test', givenName: 'Bob', familyName: 'Builder' };

let provider: OidcTestProvider;
beforeAll(async () => {
  provider = await startOidcProvider({ accounts: [ada, bob], clients: [portal, otherPortal] });
});
afterAll(() => provider.close());

const settings = (overrides: Partial<OidcSettings> = {}): OidcSettings => ({
  issuer: provider.issuer,
  clientId: portal.clientId,
  clientSecret: portal.clientSecret,
  scopes: ['email', 'profile', 'groups'],
  ...overrides,
});
const relyingParty = (options: ConstructorParameters<typeof OidcRelyingParty>[0] = {}) =>
  new OidcRelyingParty({ allowInsecureLoopback: true, ...options });

/** A sign-in up to the provider's redirect back: what the route handling the callback would be given. */
async function signIn(party: OidcRelyingParty, accountId = 'ada', connection = settings()) {
  const request = newOidcRequest();
  const authorizationUrl = await party.authorizationUrl(connection, { redirectUri, ...request });
  const callbackUrl = await provider.signIn(authorizationUrl, accountId);
  const code = new URL(callbackUrl).searchParams.get('code') ?? '';
  return { request, authorizationUrl, callbackUrl, code, callback: { callbackUrl, redirectUri, ...request } };
}

/** The SSO_FAILED the promise rejects with, after checking that nothing secret is in it, its causes included. */
async function ssoFailure(promise: Promise<unknown>, ...secrets: string[]): Promise<TenantryError> {
  const error = await promise.then(
    () => {
      throw new Error('expected SSO_FAILED, but it succeeded');
    },
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(TenantryError);
  const failure = error as TenantryError;
  expect(failure.code).toBe('SSO_FAILED');
  const everything = `${failure.message} ${JSON.stringify(failure.details)} ${inspect(failure, { depth: null })}`;
  for (const secret of [portal.clientSecret, otherPortal.clientSecret, ...secrets]) {
    if (secret) expect(everything).not.toContain(secret);
  }
  return failure;
}

const reasonOf = (failure: TenantryError) => failure.details.reason as OidcFailure;

/** The failure of completing a sign-in at `issuer` with a code it never issued. */
async function completeWithMadeUpCode(party: OidcRelyingParty, issuer: string): Promise<TenantryError> {
  const request = newOidcRequest();
  const callbackUrl = withParameters(redirectUri, { code: 'made-up-code-4e1d', state: request.state });
  return ssoFailure(
    party.complete(settings({ issuer }), { callbackUrl, redirectUri, ...request }),
    'made-up-code-4e1d',
  );
}

/** The URL with parameters set, or removed where null. */
function withParameters(url: string, changes: Record<string, string | null>): string {
  const changed = new URL(url);
  for (const [name, value] of Object.entries(changes)) {
    if (value === null) changed.searchParams.delete(name);
    else changed.searchParams.set(name, value);
  }
  return changed.href;
}

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

describe('discovered configurations', () => {
  const discoveries = () => provider.requests('/.well-known/openid-configuration');

  it('are kept per connection, fetched again by check, and dropped after a refused exchange', async () => {
    const party = relyingParty();
    const before = discoveries();
    const { callback } = await signIn(party);
    await party.complete(settings(), callback);
    await party.authorizationUrl(settings(), { redirectUri, ...newOidcRequest() });
    expect(discoveries() - before).toBe(1);

    await party.check(settings());
    expect(discoveries() - before).toBe(2);

    await ssoFailure(party.complete(settings(), callback));
    await party.authorizationUrl(settings(), { redirectUri, ...newOidcRequest() });
    expect(discoveries() - before).toBe(3);
  });

  it('are fetched again once cacheMs has passed', async () => {
    const party = relyingParty({ cacheMs: 0 });
    const before = discoveries();
    await party.authorizationUrl(settings(), { redirectUri, ...newOidcRequest() });
    await party.authorizationUrl(settings(), { redirectUri, ...newOidcRequest() });
    expect(discoveries() - before).toBe(2);
  });
});

describe('key rotation at the provider', () => {
  it('keeps signing in: the key set is fetched again for the new key', async () => {
    // Only Date is faked: openid-client fetches the keys again for an unknown key only a
    // minute after it last fetched them, and the provider dates its tokens by the same clock.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    try {
      const party = relyingParty();
      await party.complete(settings(), (await signIn(party)).callback);
      const keyFetches = provider.requests('/jwks');
      const discoveriesBefore = provider.requests('/.well-known/openid-configuration');

      await provider.rotateKeys();
      vi.setSystemTime(Date.now() + 61_000);
      const identity = await party.complete(settings(), (await signIn(party)).callback);
      expect(identity.subject).toBe('ada');
      expect(provider.requests('/jwks')).toBe(keyFetches + 1);
      expect(provider.requests('/.well-known/openid-configuration')).toBe(discoveriesBefore);
    } finally {
      vi.useRealTimers();
    }
  });

  it('refuses a key rotated in within that minute once, then discovers the provider again', async () => {
    const party = relyingParty();
    await party.complete(settings(), (await signIn(party)).callback);
    await provider.rotateKeys();
    const { callback, code } = await signIn(party);
    const failure = await ssoFailure(party.complete(settings(), callback), code);
    expect(reasonOf(failure)).toBe('id-token-invalid');
    await expect(party.complete(settings(), (await signIn(party)).callback)).resolves.toMatchObject({
      subject: 'ada',
    });
  });
});

describe('plain HTTP', () => {
  it('is refused for a loopback issuer unless allowed', async () => {
    const failure = await ssoFailure(new OidcRelyingParty().check(settings()));
    expect(failure.details).toMatchObject({ reason: 'discovery-failed', insecure: true });
    await ssoFailure(new OidcRelyingParty().authorizationUrl(settings(), { redirectUri, ...newOidcRequest() }));
    await expect(relyingParty().check(settings())).resolves.toBeUndefined();
  });

  it.each(['http://idp.example.com', 'http://127.0.0.2:8080', 'http://localhost.example.com'])(
    'is refused for %s even where loopback may use it',
    async (issuer) => {
      const failure = await ssoFailure(relyingParty().check(settings({ issuer })));
      expect(failure.details).toMatchObject({ reason: 'discovery-failed', insecure: true });
    },
  );

  it('is refused for the endpoints of a loopback issuer that lie elsewhere', async () => {
    const metadata = await startMetadataOnlyIssuer({ token_endpoint: 'http://idp.example.com/token' });
    const failure = await completeWithMadeUpCode(relyingParty(), metadata.issuer).finally(metadata.close);
    expect(failure.details).toMatchObject({ reason: 'token-exchange-failed', insecure: true });
  });

  it('is never allowed for an issuer that is not a URL', async () => {
    const failure = await ssoFailure(relyingParty().check(settings({ issuer: 'not a url' })));
    expect(reasonOf(failure)).toBe('discovery-failed');
  });
});

describe('a provider that accepts connections and never answers', () => {
  let silent: { url: string; close: () => Promise<void> };
  beforeAll(async () => {
    silent = await startSilentServer();
  });
  afterAll(() => silent.close());

  it('fails discovery within the timeout', async () => {
    const party = relyingParty({ timeoutMs: 300 });
    const started = performance.now();
    const failure = await ssoFailure(party.check(settings({ issuer: silent.url })));
    const elapsed = performance.now() - started;
    expect(failure.details).toMatchObject({ reason: 'discovery-failed', timedOut: true });
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(2_000);
  });

  it('fails the token exchange within the timeout', async () => {
    const metadata = await startMetadataOnlyIssuer({ token_endpoint: `${silent.url}/token` });
    const started = performance.now();
    const failure = await completeWithMadeUpCode(relyingParty({ timeoutMs: 300 }), metadata.issuer).finally(
      metadata.close,
    );
    expect(failure.details).toMatchObject({ reason: 'token-exchange-failed', timedOut: true });
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
