import * as client from 'openid-client';
import { TenantryError } from '../errors.js';
import { type CallbackFacts, callbackFailure, discoveryFailure, oidcFailure, PlainHttpRefused } from './oidc-errors.js';
import { identityOf, type OidcIdentity } from './oidc-identity.js';

export type { OidcFailure } from './oidc-errors.js';
export type { OidcIdentity } from './oidc-identity.js';

/** A connection's OpenID Connect settings, the client secret in the clear (the caller unseals it). */
export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The scopes to ask for; `openid` is asked for whether listed or not. */
  scopes: readonly string[];
}

/** How an {@link OidcRelyingParty} talks to providers. */
export interface OidcRelyingPartyOptions {
  /** Development only: lets issuers on loopback addresses use plain HTTP. Never applies to other hosts. */
  allowInsecureLoopback?: boolean;
  /** Bound on each request to the provider (discovery, token, JWKS); default 10 s. */
  timeoutMs?: number;
  /** How long a discovered configuration is kept before it is fetched again; default 1 hour. */
  cacheMs?: number;
  /** Clock tolerance for the ID token's times, in seconds; default 60. */
  clockToleranceSeconds?: number;
  /** The time to validate tokens against (tests pass a test clock's now); default the system clock. */
  now?: () => Date;
}

/** What a sign-in keeps between sending the browser away and its return: never shown to anyone but the provider. */
export interface OidcRequest {
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** A new random PKCE code verifier, a state and a nonce, from openid-client's generators. */
export function newOidcRequest(): OidcRequest {
  return { state: client.randomState(), nonce: client.randomNonce(), codeVerifier: client.randomPKCECodeVerifier() };
}

const loopbackHosts: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '[::1]']);

// Where plain HTTP is allowed for a loopback issuer, its metadata could still
// send the token or key requests elsewhere; those stay HTTPS-only.
const loopbackOnlyFetch: client.CustomFetch = (url, options) => {
  const target = new URL(url);
  if (target.protocol !== 'https:' && !loopbackHosts.has(target.hostname)) {
    return Promise.reject(new PlainHttpRefused(target.host));
  }
  // The bodies openid-client sends are ones fetch takes; the DOM typings differ only on Uint8Array's buffer.
  return fetch(url, options as RequestInit);
};

interface CachedConfiguration {
  configuration: Promise<client.Configuration>;
  expiresAt: number;
}

const requiredEndpoints = ['authorization_endpoint', 'token_endpoint', 'jwks_uri'] as const;

/**
 * The relying party of OpenID Connect connections: the authorization code
 * flow with PKCE, state and nonce, the ID token validated, its signature
 * included, against the provider's published keys. Protocol work is
 * openid-client's; this class picks its settings, keeps discovered
 * configurations, and turns its refusals into `SSO_FAILED`.
 */
export class OidcRelyingParty {
  readonly #allowInsecureLoopback: boolean;
  readonly #timeoutSeconds: number;
  readonly #cacheMs: number;
  readonly #clockToleranceSeconds: number;
  readonly #now: () => Date;
  readonly #configurations = new Map<string, CachedConfiguration>();

  /** A relying party; one per process is enough, it keeps discovered configurations per connection. */
  constructor(options: OidcRelyingPartyOptions = {}) {
    const timeoutMs = options.timeoutMs ?? 10_000;
    const clockTolerance = options.clockToleranceSeconds ?? 60;
    // openid-client takes a timeout of 0 for no timeout at all, so it is refused here.
    if (!(timeoutMs > 0) || !(clockTolerance >= 0) || !((options.cacheMs ?? 0) >= 0)) {
      throw new TenantryError(
        'VALIDATION_FAILED',
        'The timeout must be positive, the cache time and tolerance not negative',
      );
    }
    this.#allowInsecureLoopback = options.allowInsecureLoopback ?? false;
    this.#timeoutSeconds = timeoutMs / 1000;
    this.#cacheMs = options.cacheMs ?? 3_600_000;
    this.#clockToleranceSeconds = clockTolerance;
    this.#now = options.now ?? (() => new Date());
  }

  /** The URL to send the browser to: authorization code flow with PKCE (S256), state and nonce. */
  async authorizationUrl(
    settings: OidcSettings,
    request: { redirectUri: string; state: string; nonce: string; codeVerifier: string },
  ): Promise<string> {
    const configuration = await this.#configuration(settings);
    const codeChallenge = await client.calculatePKCECodeChallenge(request.codeVerifier);
    try {
      const url = client.buildAuthorizationUrl(configuration, {
        response_type: 'code',
        redirect_uri: request.redirectUri,
        scope: [...new Set(['openid', ...settings.scopes])].join(' '),
        state: request.state,
        nonce: request.nonce,
        code_challenge: codeChallenge,
        code_challenge_method: 'S256',
      });
      return url.href;
    } catch (error) {
      // Only an authorization endpoint openid-client will not use (plain HTTP) gets here.
      throw discoveryFailure(error, settings.issuer);
    }
  }

  /** Exchanges the code of the callback URL and validates the ID token (issuer, audience, expiry, signature, nonce); SSO_FAILED otherwise. */
  async complete(
    settings: OidcSettings,
    callback: { callbackUrl: string; redirectUri: string; state: string; nonce: string; codeVerifier: string },
  ): Promise<OidcIdentity> {
    const discovered = await this.#configuration(settings);
    const configuration = this.#atValidationTime(discovered, settings);
    const metadata = configuration.serverMetadata();
    let returned: URL;
    try {
      // openid-client takes the redirect_uri for the token request from this URL, so it is
      // the registered redirect URI with the parameters the browser brought back.
      returned = new URL(callback.redirectUri);
      returned.search = new URL(callback.callbackUrl).search;
    } catch (error) {
      throw oidcFailure('invalid-callback', { issuer: settings.issuer }, error);
    }
    const facts: CallbackFacts = {
      issuer: metadata.issuer,
      expectedState: callback.state,
      state: returned.searchParams.get('state'),
      code: returned.searchParams.has('code'),
      iss: returned.searchParams.get('iss'),
      issRequired: metadata.authorization_response_iss_parameter_supported === true,
    };
    try {
      const tokens = await client.authorizationCodeGrant(configuration, returned, {
        pkceCodeVerifier: callback.codeVerifier,
        expectedState: callback.state,
        expectedNonce: callback.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      if (!claims) throw oidcFailure('id-token-invalid', { issuer: settings.issuer });
      return identityOf(claims);
    } catch (error) {
      const failure = callbackFailure(error, facts);
      // A refused exchange or token may mean the provider changed (its endpoints, its keys):
      // the next sign-in discovers it again. A forged or declined callback says nothing of that.
      const reason = failure.details.reason;
      if (reason === 'token-exchange-failed' || reason === 'id-token-invalid') this.#evict(settings);
      throw failure;
    }
  }

  /** Checks that the issuer answers discovery (for creating a connection); SSO_FAILED with reason 'discovery-failed' otherwise. */
  async check(settings: OidcSettings): Promise<void> {
    // A configuration from the cache would not prove that the issuer answers now.
    this.#evict(settings);
    await this.#configuration(settings);
  }

  #configuration(settings: OidcSettings): Promise<client.Configuration> {
    const key = cacheKey(settings);
    const now = Date.now();
    const cached = this.#configurations.get(key);
    if (cached && cached.expiresAt > now) return cached.configuration;
    for (const [staleKey, entry] of this.#configurations) {
      if (entry.expiresAt <= now) this.#configurations.delete(staleKey);
    }
    const configuration = this.#discover(settings);
    this.#configurations.set(key, { configuration, expiresAt: now + this.#cacheMs });
    configuration.catch(() => {
      if (this.#configurations.get(key)?.configuration === configuration) this.#configurations.delete(key);
    });
    return configuration;
  }

  #evict(settings: OidcSettings): void {
    this.#configurations.delete(cacheKey(settings));
  }

  async #discover(settings: OidcSettings): Promise<client.Configuration> {
    let issuer: URL;
    try {
      issuer = new URL(settings.issuer);
    } catch (error) {
      throw oidcFailure('discovery-failed', { issuer: settings.issuer }, error, 'The issuer is not a URL');
    }
    const insecure = this.#insecureAllowed(issuer);
    let configuration: client.Configuration;
    try {
      configuration = await client.discovery(
        issuer,
        settings.clientId,
        this.#clientMetadata(settings, 0),
        client.ClientSecretBasic(settings.clientSecret),
        {
          timeout: this.#timeoutSeconds,
          execute: this.#extensions(insecure),
          ...(insecure && { [client.customFetch]: loopbackOnlyFetch }),
        },
      );
    } catch (error) {
      throw discoveryFailure(error, settings.issuer);
    }
    const metadata = configuration.serverMetadata();
    const missing = requiredEndpoints.filter((endpoint) => typeof metadata[endpoint] !== 'string');
    if (missing.length > 0) {
      throw oidcFailure(
        'discovery-failed',
        { issuer: settings.issuer, missing },
        undefined,
        'The OpenID configuration lacks endpoints',
      );
    }
    return configuration;
  }

  #insecureAllowed(issuer: URL): boolean {
    return this.#allowInsecureLoopback && issuer.protocol === 'http:' && loopbackHosts.has(issuer.hostname);
  }

  /** What every configuration gets: the ID token's signature checked, and plain HTTP where allowed. */
  #extensions(insecure: boolean): Array<(configuration: client.Configuration) => void> {
    return insecure
      ? [client.enableNonRepudiationChecks, client.allowInsecureRequests]
      : [client.enableNonRepudiationChecks];
  }

  #clientMetadata(settings: OidcSettings, clockSkewSeconds: number): Partial<client.ClientMetadata> {
    return {
      client_secret: settings.clientSecret,
      [client.clockTolerance]: this.#clockToleranceSeconds,
      [client.clockSkew]: clockSkewSeconds,
    };
  }

  /**
   * The discovered configuration where the validation clock is the system's,
   * otherwise a copy of it whose clock is shifted to match: openid-client
   * fixes a configuration's clock when it is made. The copy starts from the
   * keys already fetched; keys it fetches itself are not kept.
   */
  #atValidationTime(discovered: client.Configuration, settings: OidcSettings): client.Configuration {
    const skewSeconds = Math.round((this.#now().getTime() - Date.now()) / 1000);
    if (skewSeconds === 0) return discovered;
    const configuration = new client.Configuration(
      discovered.serverMetadata(),
      settings.clientId,
      this.#clientMetadata(settings, skewSeconds),
      client.ClientSecretBasic(settings.clientSecret),
    );
    configuration.timeout = this.#timeoutSeconds;
    const insecure = this.#insecureAllowed(new URL(settings.issuer));
    for (const extension of this.#extensions(insecure)) extension(configuration);
    if (insecure) configuration[client.customFetch] = loopbackOnlyFetch;
    const keys = client.getJwksCache(discovered);
    if (keys) client.setJwksCache(configuration, keys);
    return configuration;
  }
}

function cacheKey(settings: OidcSettings): string {
  return JSON.stringify([settings.issuer, settings.clientId, settings.clientSecret]);
}
