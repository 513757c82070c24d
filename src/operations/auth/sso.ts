import { z } from 'zod';
import type { SignInMethod, SsoSignIn } from '../../auth-types.js';
import { normalizeEmail } from '../../email.js';
import { TenantryError } from '../../errors.js';
import { allowancesFor, consumeAllowances, requireAllowances, spendAllowances } from '../../flows/allowances.js';
import { recordCapped } from '../../flows/capped-audit.js';
import { oidcSettingsOf, samlSettingsOf, ssoEndpoints } from '../../flows/sso-connections.js';
import { type ProvenIdentity, signInWithIdentity, ssoFailed } from '../../flows/sso-sign-in.js';
import type { Unit } from '../../flows/unit.js';
import type { SsoLogin, StoredSsoConnection } from '../../ports/sso-storage.js';
import { providerUsedSecondFactor, safeReturnTo, samlMethodsAttribute } from '../../rules/sso-accounts.js';
import { beginSsoSchema, completeSsoSchema, discoverSchema } from '../../schemas/sso.js';
import { newSecretToken, tokenDigest } from '../../secrets/one-time-token.js';
import { newOidcRequest } from '../../sso/oidc.js';
import { samlSignInRequest, serviceProviderMetadata, validateSamlResponse } from '../../sso/saml.js';
import { defineOperation, type Steps } from '../operation.js';

/** The connection that signs in addresses of this domain: an enabled one of the organization that verified it. */
async function connectionForEmail(unit: Unit, rawEmail: string): Promise<StoredSsoConnection | null> {
  const email = normalizeEmail(rawEmail);
  if (email === null) return null;
  const claim = await unit.tx.domains.verifiedClaim(email.slice(email.lastIndexOf('@') + 1).toLowerCase());
  if (!claim) return null;
  const [connection] = await unit.tx.ssoConnections.enabledFor([claim.organizationId]);
  return connection ?? null;
}

/**
 * `auth.discover`: where the sign-in page sends an address: to its company's
 * identity provider when its domain is verified and has an enabled
 * connection, to the password otherwise. It reads domains, never users, so
 * it answers alike for known and unknown addresses.
 */
export const discover = defineOperation({
  name: 'auth.discover',
  input: z.tuple([discoverSchema]),
  async run(unit, [{ email }]): Promise<SignInMethod> {
    const connection = await connectionForEmail(unit, email);
    return connection ? { method: 'sso', connectionId: connection.id } : { method: 'password' };
  },
});

/**
 * `auth.ssoMetadata`: this portal's SAML service-provider metadata (entity id
 * `${baseUrl}/sso/metadata`, assertion consumer service `${baseUrl}/sso/acs`),
 * for the company's IT to import at their identity provider.
 */
export const ssoMetadata = defineOperation({
  name: 'auth.ssoMetadata',
  input: z.tuple([]),
  async execute(steps): Promise<string> {
    return serviceProviderMetadata(ssoEndpoints(steps.context.baseUrl));
  },
});

const loginSealContext = (digest: string) => `sso-login:${digest}`;

/**
 * `auth.beginSso`: starts a sign-in at a connection's provider (by the
 * connection, or by an address of its verified domain): the URL to send the
 * browser to and the `state` to keep with the browser (a cookie) until it
 * comes back. OIDC: authorization code with PKCE, state and nonce; SAML: an
 * AuthnRequest whose id the response must answer. The state is kept
 * server-side, single-use, for `policy.sso.loginTtlMs`.
 */
export const beginSso = defineOperation({
  name: 'auth.beginSso',
  input: beginSsoSchema,
  async execute(steps, [target, options = {}]): Promise<{ url: string; state: string }> {
    // Each start keeps a state until it expires: a client starts a bounded number.
    const starts = allowancesFor(steps.context, 'sso-start', {
      client: { ip: options.ip, rate: 'ssoStartsPerClient' },
    });
    await consumeAllowances(steps.context, starts, steps.context.clock.now());
    const connection = await steps.transact(async (unit) => {
      const found =
        'connectionId' in target
          ? await unit.tx.ssoConnections.get(target.connectionId)
          : await connectionForEmail(unit, target.email);
      if (!found?.enabled) throw ssoFailed('no-connection', 'There is no single sign-on for this address');
      return found;
    });
    const { context } = steps;
    const state = newSecretToken();
    const digest = tokenDigest(state);
    const endpoints = ssoEndpoints(context.baseUrl);
    let url: string;
    let fields: Pick<SsoLogin, 'codeVerifier' | 'nonce' | 'requestId'>;
    if (connection.type === 'oidc') {
      const request = newOidcRequest();
      url = await context.sso.oidc.authorizationUrl(oidcSettingsOf(context, connection), {
        redirectUri: endpoints.redirectUri,
        state,
        nonce: request.nonce,
        codeVerifier: request.codeVerifier,
      });
      const sealed = context.secrets.seal(request.codeVerifier, loginSealContext(digest));
      fields = { codeVerifier: sealed, nonce: request.nonce, requestId: null };
    } else {
      const request = await samlSignInRequest(samlSettingsOf(connection), endpoints, { relayState: state });
      url = request.url;
      fields = { codeVerifier: null, nonce: null, requestId: request.requestId };
    }
    await steps.transact(async (unit) => {
      await unit.tx.ssoLogins.insert({
        digest,
        connectionId: connection.id,
        organizationId: connection.organizationId,
        ...fields,
        returnTo: safeReturnTo(options.returnTo),
        createdAt: unit.now,
        expiresAt: new Date(unit.now.getTime() + unit.context.policy.sso.loginTtlMs),
        consumedAt: null,
      });
    });
    return { url, state };
  },
});

/** The open login a state stands for, and its connection. */
async function openLogin(unit: Unit, state: string): Promise<{ login: SsoLogin; connection: StoredSsoConnection }> {
  const login = await unit.tx.ssoLogins.get(tokenDigest(state));
  if (!login || login.consumedAt !== null || login.expiresAt.getTime() <= unit.now.getTime()) {
    throw ssoFailed('state-invalid', 'This sign-in has expired; start again');
  }
  const connection = await unit.tx.ssoConnections.get(login.connectionId);
  if (!connection?.enabled) throw ssoFailed('connection-unavailable');
  return { login, connection };
}

type CompleteInput = z.output<typeof completeSsoSchema>;

/** The provider's proof, validated by its protocol's library. */
async function provenIdentity(
  steps: Steps,
  data: CompleteInput,
  login: SsoLogin,
  connection: StoredSsoConnection,
): Promise<{ identity: ProvenIdentity; assertion: { id: string; validUntil: Date } | null }> {
  const { context } = steps;
  const endpoints = ssoEndpoints(context.baseUrl);
  if (connection.type === 'oidc') {
    if (!('callbackUrl' in data)) throw ssoFailed('wrong-protocol');
    const codeVerifier = login.codeVerifier && context.secrets.open(login.codeVerifier, loginSealContext(login.digest));
    if (!codeVerifier || !login.nonce) throw ssoFailed('state-invalid');
    const proof = await context.sso.oidc.complete(oidcSettingsOf(context, connection), {
      callbackUrl: data.callbackUrl,
      redirectUri: endpoints.redirectUri,
      state: data.state,
      nonce: login.nonce,
      codeVerifier,
    });
    const verified = proof.claims.email_verified;
    const identity: ProvenIdentity = {
      subject: proof.subject,
      email: proof.email,
      emailVerified: typeof verified === 'boolean' ? verified : null,
      givenName: proof.givenName,
      familyName: proof.familyName,
      claims: proof.claims,
      usedSecondFactor: providerUsedSecondFactor({ amr: proof.amr, authnContext: null }),
    };
    return { identity, assertion: null };
  }
  if (!('samlResponse' in data) || !login.requestId) throw ssoFailed('wrong-protocol');
  const proof = await validateSamlResponse(samlSettingsOf(connection), endpoints, {
    samlResponse: data.samlResponse,
    expectedRequestId: login.requestId,
    clockSkewMs: context.policy.sso.clockSkewMs,
  });
  const identity: ProvenIdentity = {
    subject: proof.subject,
    email: proof.email,
    emailVerified: null,
    givenName: proof.givenName,
    familyName: proof.familyName,
    claims: proof.attributes,
    usedSecondFactor: providerUsedSecondFactor({
      amr: proof.attributes[samlMethodsAttribute] ?? [],
      authnContext: proof.authnContext,
    }),
  };
  return { identity, assertion: { id: proof.assertionId, validUntil: proof.validUntil } };
}

/**
 * `auth.completeSso`: finishes a sign-in when the provider sends the browser
 * back (OIDC: the callback URL; SAML: the posted response), with the state
 * kept since `beginSso`. The proof is validated by the protocol's library;
 * then, in one transaction, the state is consumed, a SAML assertion id is
 * remembered (a replay is refused, across processes), and the user is
 * signed in, linked or created by the rule of verified domains. A failed
 * attempt changes nothing but its audit event (`sso.failed`, with the reason).
 */
export const completeSso = defineOperation({
  name: 'auth.completeSso',
  input: z.tuple([completeSsoSchema]),
  async execute(steps, [data]): Promise<SsoSignIn> {
    const { context } = steps;
    const failures = allowancesFor(context, 'sso', { client: { ip: data.ip, rate: 'ssoFailuresPerClient' } });
    // A client whose attempts keep failing is refused before any work (a state, a provider round trip).
    await requireAllowances(context, failures, context.clock.now());
    let opened: { login: SsoLogin; connection: StoredSsoConnection } | null = null;
    try {
      opened = await steps.transact((unit) => openLogin(unit, data.state));
      const { login, connection } = opened;
      const { identity, assertion } = await provenIdentity(steps, data, login, connection);
      const client = { ip: data.ip, userAgent: data.userAgent };
      const result = await steps.transact(async (unit) => {
        // The assertion first: a response posted again is a replay whatever else it brings.
        if (assertion && !(await unit.tx.ssoAssertions.remember(connection.id, assertion.id, assertion.validUntil))) {
          throw ssoFailed('replay', 'This sign-in was used already; start again');
        }
        if (!(await unit.tx.ssoLogins.consume(login.digest, unit.now))) throw ssoFailed('state-invalid');
        return signInWithIdentity(unit, connection, identity, client);
      });
      return { ...result, returnTo: login.returnTo } as SsoSignIn;
    } catch (error) {
      if (error instanceof TenantryError) {
        await spendAllowances(context, failures, context.clock.now());
        await recordFailure(steps, opened, error);
      }
      throw error;
    }
  },
});

async function recordFailure(
  steps: Steps,
  opened: { connection: StoredSsoConnection } | null,
  error: TenantryError,
): Promise<void> {
  // A refusal of the account itself (disabled, expired) is recorded by its code.
  const reason = String(error.details.reason ?? error.code);
  await steps.transact(async (unit) => {
    const fields = {
      organizationId: opened?.connection.organizationId ?? null,
      targetId: opened?.connection.id ?? null,
      metadata: { reason, ...(opened ? { connectionId: opened.connection.id } : {}) },
    };
    // Anyone can send a made-up state: those failures are sampled, as unknown accounts' are.
    if (!opened) await recordCapped(unit, 'unknown-state', 'sso.failed', fields);
    else await recordCapped(unit, opened.connection.id, 'sso.failed', fields);
  });
}
