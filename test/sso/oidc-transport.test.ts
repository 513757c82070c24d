import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newOidcRequest, OidcRelyingParty } from '../../src/sso/oidc.js';
import { startMetadataOnlyIssuer, startSilentServer } from '../support/stand-in-servers.js';
import {
  completeWithMadeUpCode,
  reasonOf,
  redirectUri,
  relyingParty,
  settings,
  ssoFailure,
  useOidcProvider,
} from './oidc-support.js';

useOidcProvider();

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
