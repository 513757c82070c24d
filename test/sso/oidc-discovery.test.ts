import { describe, expect, it, vi } from 'vitest';
import { newOidcRequest } from '../../src/sso/oidc.js';
import {
  provider,
  reasonOf,
  redirectUri,
  relyingParty,
  settings,
  signIn,
  ssoFailure,
  useOidcProvider,
} from './oidc-support.js';

useOidcProvider();

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
