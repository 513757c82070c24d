import {
  AuthorizationResponseError,
  ClientError,
  ResponseBodyError,
  WWWAuthenticateChallengeError,
} from 'openid-client';
import { TenantryError } from '../errors.js';

/** Why an OpenID Connect step signs nobody in (`SSO_FAILED`, `details.reason`). */
export type OidcFailure =
  /** The issuer could not be discovered: unreachable, too slow, plain HTTP, not an OpenID provider, or another issuer's metadata. */
  | 'discovery-failed'
  /** The provider sent the browser back with `error=` (`details.providerError`): the user declined, or it refused the request. */
  | 'provider-error'
  /** The callback's state is missing or another sign-in's: a forged or crossed callback. */
  | 'state-mismatch'
  /** The callback is no authorization response of this issuer: not a URL, no code, or another issuer's `iss`. */
  | 'invalid-callback'
  /** The token endpoint refused the code (used, expired, another client's) or the client's credentials, or did not answer in time. */
  | 'token-exchange-failed'
  /** The ID token is missing or fails validation: signature, signing key, issuer, audience, expiry. */
  | 'id-token-invalid'
  /** The ID token's nonce is not this sign-in's: a token replayed from another sign-in. */
  | 'nonce-mismatch';

/** What a callback URL says, read only to tell which of openid-client's refusals concerns the callback itself. */
export interface CallbackFacts {
  issuer: string;
  expectedState: string;
  state: string | null;
  code: boolean;
  iss: string | null;
  /** Whether the provider promised to send `iss` with every response. */
  issRequired: boolean;
}

// openid-client's error codes (from oauth4webapi); it does not export them as constants.
const codes = {
  invalidResponse: 'OAUTH_INVALID_RESPONSE',
  claimComparison: 'OAUTH_JWT_CLAIM_COMPARISON_FAILED',
  timestampCheck: 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED',
  keySelection: 'OAUTH_KEY_SELECTION_FAILED',
  parseError: 'OAUTH_PARSE_ERROR',
  unsupported: 'OAUTH_UNSUPPORTED_OPERATION',
  attributeComparison: 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED',
  httpForbidden: 'OAUTH_HTTP_REQUEST_FORBIDDEN',
  timeout: 'OAUTH_TIMEOUT',
} as const;

const idTokenCodes: ReadonlySet<string> = new Set([
  codes.claimComparison,
  codes.timestampCheck,
  codes.keySelection,
  codes.parseError,
  codes.unsupported,
]);

const messages: Record<OidcFailure, string> = {
  'discovery-failed': 'The identity provider could not be reached for its OpenID configuration',
  'provider-error': 'The identity provider did not sign you in',
  'state-mismatch': 'This sign-in response belongs to another sign-in',
  'invalid-callback': 'The sign-in response is not one of this identity provider',
  'token-exchange-failed': 'The identity provider did not accept the sign-in',
  'id-token-invalid': 'The identity provider sent an ID token that is not valid',
  'nonce-mismatch': 'The ID token belongs to another sign-in',
};

/**
 * A plain-HTTP request to a host other than a loopback address, refused
 * before it is sent even where loopback issuers may use plain HTTP.
 */
export class PlainHttpRefused extends Error {
  override readonly name = 'PlainHttpRefused';
  constructor(readonly host: string) {
    super(`Plain HTTP to ${host} is refused: only loopback addresses may be used without HTTPS`);
  }
}

/** `SSO_FAILED` for `reason`, with safe details only (no secret, code or token). */
export function oidcFailure(
  reason: OidcFailure,
  details: Readonly<Record<string, unknown>>,
  cause?: unknown,
  message = messages[reason],
): TenantryError {
  return new TenantryError(
    'SSO_FAILED',
    message,
    { reason, ...details },
    cause === undefined ? undefined : { cause: safeCause(cause) },
  );
}

/** Why discovery failed, in words and details for the connection's administrator. */
export function discoveryFailure(error: unknown, issuer: string): TenantryError {
  if (error instanceof TenantryError) return error;
  const code = errorCode(error);
  const refused = findCause(error, PlainHttpRefused);
  if (code === codes.httpForbidden || refused) {
    return oidcFailure('discovery-failed', { issuer, insecure: true }, error, 'The issuer must use HTTPS');
  }
  if (code === codes.timeout) {
    return oidcFailure('discovery-failed', { issuer, timedOut: true }, error, 'The issuer did not answer in time');
  }
  if (code === codes.attributeComparison) {
    return oidcFailure('discovery-failed', { issuer }, error, 'The OpenID configuration names another issuer');
  }
  return oidcFailure('discovery-failed', { issuer }, error);
}

/**
 * Which {@link OidcFailure} openid-client's refusal of a callback is: by its
 * error class and code, and for the callback's own checks by what the
 * callback says (openid-client uses one code for all of them). openid-client
 * stays the judge; this only names what it refused.
 */
export function callbackFailure(error: unknown, facts: CallbackFacts): TenantryError {
  if (error instanceof TenantryError) return error;
  const issuer = facts.issuer;
  if (error instanceof AuthorizationResponseError) {
    return oidcFailure('provider-error', { issuer, providerError: error.error }, error);
  }
  if (error instanceof ResponseBodyError) {
    return oidcFailure('token-exchange-failed', { issuer, providerError: error.error }, error);
  }
  if (error instanceof WWWAuthenticateChallengeError) {
    // A refused client authentication comes as a 401 with the error in its challenge.
    const providerError = error.cause.map((challenge) => challenge.parameters.error).find(Boolean);
    return oidcFailure(
      'token-exchange-failed',
      { issuer, status: error.status, ...(providerError && { providerError }) },
      error,
    );
  }
  const refused = findCause(error, PlainHttpRefused);
  if (refused) {
    return oidcFailure('token-exchange-failed', { issuer, insecure: true }, error, refused.message);
  }
  const code = errorCode(error);
  if (code === codes.invalidResponse) {
    if (facts.state !== facts.expectedState) return oidcFailure('state-mismatch', { issuer }, error);
    const issMismatch = facts.iss === null ? facts.issRequired : facts.iss !== issuer;
    if (!facts.code || issMismatch) return oidcFailure('invalid-callback', { issuer }, error);
    return oidcFailure('id-token-invalid', { issuer }, error);
  }
  if (code === codes.claimComparison && claimOf(error) === 'nonce') {
    return oidcFailure('nonce-mismatch', { issuer }, error);
  }
  if (code !== undefined && idTokenCodes.has(code)) {
    const claim = claimOf(error);
    return oidcFailure('id-token-invalid', { issuer, ...(claim && { claim }) }, error);
  }
  return oidcFailure('token-exchange-failed', { issuer, ...(code === codes.timeout && { timedOut: true }) }, error);
}

function errorCode(error: unknown): string | undefined {
  return error instanceof ClientError && typeof error.code === 'string' ? error.code : undefined;
}

/** The ID token claim a claim or timestamp check was about (`exp`, `aud`, `nonce`, ...), from the check's own cause. */
function claimOf(error: unknown): string | undefined {
  for (let link = error, depth = 0; link instanceof Error && depth < 5; link = link.cause, depth += 1) {
    const claim =
      typeof link.cause === 'object' && link.cause !== null ? (link.cause as { claim?: unknown }).claim : undefined;
    if (typeof claim === 'string') return claim;
  }
  return undefined;
}

function findCause<T extends Error>(error: unknown, type: abstract new (...args: never[]) => T): T | undefined {
  for (let link = error, depth = 0; link instanceof Error && depth < 5; link = link.cause, depth += 1) {
    if (link instanceof type) return link;
  }
  return undefined;
}

/**
 * openid-client's errors carry the callback's parameters (the code among
 * them), the token response or the ID token's claims as their causes; a
 * logged TenantryError must not. What is kept is each link's name, message
 * and code, which are the library's and the network's own words.
 */
function safeCause(error: unknown, depth = 0): Error {
  if (!(error instanceof Error)) return new Error('A value other than an error was thrown');
  const next = depth < 3 && error.cause instanceof Error ? safeCause(error.cause, depth + 1) : undefined;
  const summary = new Error(error.message, next ? { cause: next } : undefined);
  summary.name = error.name;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') Object.assign(summary, { code });
  return summary;
}
