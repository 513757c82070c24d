import { inspect } from 'node:util';
import { afterAll, beforeAll, expect } from 'vitest';
import { TenantryError } from '../../src/errors.js';
import { newOidcRequest, type OidcFailure, OidcRelyingParty, type OidcSettings } from '../../src/sso/oidc.js';
import { type OidcTestProvider, startOidcProvider } from '../support/oidc-provider.js';

export const redirectUri = 'http://127.0.0.1:3999/sso/callback';
export const portal = { clientId: 'portal', clientSecret: 'portal-secret-7f3a9c1e5b', redirectUris: [redirectUri] };
export const otherPortal = {
  clientId: 'other-portal',
  clientSecret: 'other-secret-2d8e4b6a0c',
  redirectUris: [redirectUri],
};
export const ada = {
  id: 'ada',
  email: 'ada@acme.test',
  emailVerified: true,
  givenName: 'Ada',
  familyName: 'Lovelace',
  groups: ['engineering', 'portal-admins'],
  amr: ['pwd', 'otp'],
};
export const bob = { id: 'bob', email: 'bob@acme.test', givenName: 'Bob', familyName: 'Builder' };

/** The provider of the file that called useOidcProvider. */
export let provider: OidcTestProvider;

/** Starts oidc-provider, knowing Ada and Bob and both portals, around the tests of the calling file. */
export function useOidcProvider(): void {
  beforeAll(async () => {
    provider = await startOidcProvider({ accounts: [ada, bob], clients: [portal, otherPortal] });
  });
  afterAll(() => provider.close());
}

export const settings = (overrides: Partial<OidcSettings> = {}): OidcSettings => ({
  issuer: provider.issuer,
  clientId: portal.clientId,
  clientSecret: portal.clientSecret,
  scopes: ['email', 'profile', 'groups'],
  ...overrides,
});
export const relyingParty = (options: ConstructorParameters<typeof OidcRelyingParty>[0] = {}) =>
  new OidcRelyingParty({ allowInsecureLoopback: true, ...options });

/** A sign-in up to the provider's redirect back: what the route handling the callback would be given. */
export async function signIn(party: OidcRelyingParty, accountId = 'ada', connection = settings()) {
  const request = newOidcRequest();
  const authorizationUrl = await party.authorizationUrl(connection, { redirectUri, ...request });
  const callbackUrl = await provider.signIn(authorizationUrl, accountId);
  const code = new URL(callbackUrl).searchParams.get('code') ?? '';
  return { request, authorizationUrl, callbackUrl, code, callback: { callbackUrl, redirectUri, ...request } };
}

/** The SSO_FAILED the promise rejects with, after checking that nothing secret is in it, its causes included. */
export async function ssoFailure(promise: Promise<unknown>, ...secrets: string[]): Promise<TenantryError> {
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

export const reasonOf = (failure: TenantryError) => failure.details.reason as OidcFailure;

/** The failure of completing a sign-in at `issuer` with a code it never issued. */
export async function completeWithMadeUpCode(party: OidcRelyingParty, issuer: string): Promise<TenantryError> {
  const request = newOidcRequest();
  const callbackUrl = withParameters(redirectUri, { code: 'made-up-code-4e1d', state: request.state });
  return ssoFailure(
    party.complete(settings({ issuer }), { callbackUrl, redirectUri, ...request }),
    'made-up-code-4e1d',
  );
}

/** The URL with parameters set, or removed where null. */
export function withParameters(url: string, changes: Record<string, string | null>): string {
  const changed = new URL(url);
  for (const [name, value] of Object.entries(changes)) {
    if (value === null) changed.searchParams.delete(name);
    else changed.searchParams.set(name, value);
  }
  return changed.href;
}
