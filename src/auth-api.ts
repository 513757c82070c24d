import type { JWK } from 'jose';
import type { AccessTokenClaims } from './access-tokens.js';
import type {
  Factor,
  FactorConfirmation,
  InvitationAccepted,
  InvitationPreview,
  SignInMethod,
  SignInResult,
  SsoSignIn,
  TotpEnrollment,
  ValidatedSession,
} from './auth-types.js';
import { listFactors, regenerateRecoveryCodes, removeFactor } from './operations/auth/factors.js';
import {
  acceptInvitation,
  completeRequiredPasswordChange,
  inspectInvitationLink,
  resetPassword,
} from './operations/auth/links.js';
import { passkeyRegistrationOptions, registerPasskey } from './operations/auth/passkey-registration.js';
import { passkeyOptions, verifyPasskey } from './operations/auth/passkey-sign-in.js';
import { changePassword, requestPasswordReset } from './operations/auth/passwords.js';
import { verifySecondFactor } from './operations/auth/second-factor.js';
import { getJwks, issueAccessToken, signOut, validateSession, verifyAccessToken } from './operations/auth/sessions.js';
import { signIn } from './operations/auth/sign-in.js';
import { beginSso, completeSso, discover, ssoMetadata } from './operations/auth/sso.js';
import { confirmTotp, enrollTotp } from './operations/auth/totp.js';
import type { Operation, OperationResult } from './operations/operation.js';

export type {
  Factor,
  FactorConfirmation,
  InvitationAccepted,
  InvitationPreview,
  SessionView,
  SignedIn,
  SignInMethod,
  SignInResult,
  SsoSignIn,
  TotpEnrollment,
  ValidatedSession,
} from './auth-types.js';

/** Who enrolls a factor: the signed-in user, or a sign-in waiting for its first factor. */
export type FactorEnroller = { sessionToken: string } | { challengeToken: string; ip?: string; userAgent?: string };

/** `um.auth`: the public flows, no actor needed. */
export interface AuthApi {
  /**
   * Signs in with email and password. Unknown addresses and wrong passwords get the same
   * `INVALID_CREDENTIALS` after the same work; only the right password learns `ACCOUNT_PENDING`,
   * `ACCOUNT_DISABLED` or `ACCOUNT_EXPIRED`.
   */
  signIn(input: { email: string; password: string; ip?: string; userAgent?: string }): Promise<SignInResult>;
  /**
   * Sets a new password after a sign-in that required it; the sign-in then
   * goes on: a session (`kind: 'session'`, with `token`, `session`, `user`),
   * or the second factor the user has or must enroll.
   */
  completePasswordChange(input: { challengeToken: string; newPassword: string; ip?: string }): Promise<SignInResult>;
  /**
   * Mails a reset link to an existing, resettable account; answers the same
   * for every address, and as fast (the mail is sent after the answer). `ip`
   * draws on the client's allowance of requests (`RATE_LIMITED` past it).
   */
  requestPasswordReset(input: { email: string; ip?: string }): Promise<void>;
  /** Sets a new password from a reset link; every session ends and a lockout clears. */
  resetPassword(input: { token: string; newPassword: string; ip?: string }): Promise<void>;
  /** Changes the signed-in user's password; needs the current one; other sessions end. */
  changePassword(input: { sessionToken: string; currentPassword: string; newPassword: string }): Promise<void>;
  /** The live session behind a bearer token, or `SESSION_INVALID`. */
  validateSession(token: string): Promise<ValidatedSession>;
  /** Ends the session; an unknown or ended one is already signed out. */
  signOut(token: string): Promise<void>;
  /** A short-lived JWT for the user behind a live session (needs `accessTokens` configured). */
  issueAccessToken(sessionToken: string): Promise<string>;
  /** Verifies an access token; `strict` also requires its session to still live. */
  verifyAccessToken(jwt: string, options?: { strict?: boolean }): Promise<AccessTokenClaims>;
  /** The verification key as a JWKS. */
  getJwks(): Promise<{ keys: JWK[] }>;
  /**
   * What the invitation page shows. `client.ip` draws on the client's
   * allowance of invalid links (`RATE_LIMITED` past it).
   */
  inspectInvitation(token: string, client?: { ip?: string }): Promise<InvitationPreview>;
  /**
   * Sets the password, activates the account and signs in: `kind: 'session'`,
   * or, where the organization requires a second factor and its grace period
   * is over, `second-factor-enrollment-required` with a challenge to enroll
   * one first. `ip` draws on the client's allowance of invalid links.
   */
  acceptInvitation(input: {
    token: string;
    password: string;
    acceptTerms?: boolean | undefined;
    ip?: string;
    userAgent?: string;
  }): Promise<InvitationAccepted>;
  /**
   * Finishes a sign-in that answered `second-factor-required` with a TOTP
   * code or a recovery code. A wrong code keeps the challenge but counts as
   * a failed sign-in (`INVALID_CREDENTIALS`; the lockout applies).
   */
  verifySecondFactor(input: {
    challengeToken: string;
    method: 'totp' | 'recovery-code';
    code: string;
    ip?: string;
    userAgent?: string;
  }): Promise<SignInResult>;
  /** Starts a TOTP enrollment: the secret and the `otpauth://` URI to show as a QR code. */
  enrollTotp(input: FactorEnroller & { label?: string }): Promise<TotpEnrollment>;
  /** Confirms a TOTP enrollment with its first code; the first factor brings ten recovery codes. */
  confirmTotp(input: FactorEnroller & { enrollmentId: string; code: string }): Promise<FactorConfirmation>;
  /** Options for `navigator.credentials.create`, to register a passkey (WebAuthn; JSON, as the browser takes them). */
  passkeyRegistrationOptions(input: FactorEnroller): Promise<{ options: unknown }>;
  /** Keeps the passkey the browser registered; the first factor brings ten recovery codes. */
  registerPasskey(input: FactorEnroller & { response: unknown; label?: string }): Promise<FactorConfirmation>;
  /**
   * Options for `navigator.credentials.get`: for a sign-in waiting for a
   * second factor (`challengeToken`), or, without it, a sign-in with a
   * discoverable passkey alone.
   */
  passkeyOptions(input?: { challengeToken?: string }): Promise<{ options: unknown }>;
  /** Verifies the browser's passkey answer and signs in (`INVALID_CREDENTIALS` when it does not verify). */
  verifyPasskey(input: {
    challengeToken?: string;
    response: unknown;
    ip?: string;
    userAgent?: string;
  }): Promise<SignInResult>;
  /** The signed-in user's second factors, without secrets. */
  listFactors(sessionToken: string): Promise<Factor[]>;
  /** Removes one of the signed-in user's factors (`MFA_REQUIRED` for the last one their policy needs). */
  removeFactor(input: { sessionToken: string; factorId: string }): Promise<void>;
  /** Ten new single-use recovery codes, shown once; earlier ones stop working. */
  regenerateRecoveryCodes(sessionToken: string): Promise<{ recoveryCodes: string[] }>;
  /**
   * Where the sign-in page sends an address: SSO when its domain is verified
   * by an organization with an enabled connection, the password otherwise;
   * the same for known and unknown addresses.
   */
  discover(input: { email: string }): Promise<SignInMethod>;
  /**
   * Starts an SSO sign-in by connection or by address: the provider's URL
   * to send the browser to, and the `state` to keep with the browser (a
   * short-lived cookie) and hand back to `completeSso`. `returnTo`, a path of
   * the portal, comes back from `completeSso`; `ip`, the client's address,
   * draws on its allowance of starts (`policy.rateLimits.ssoStartsPerClient`).
   */
  beginSso(
    target: { connectionId: string } | { email: string },
    options?: { returnTo?: string; ip?: string },
  ): Promise<{
    url: string;
    state: string;
  }>;
  /**
   * Finishes an SSO sign-in: OIDC with the URL the provider redirected to
   * (`${baseUrl}/sso/callback?…`), SAML with the posted `SAMLResponse`. Signs
   * the user in, links them, or creates them just in time; `SSO_FAILED`
   * (`details.reason`) changes nothing but the audit trail.
   */
  completeSso(
    input: ({ state: string; callbackUrl: string } | { state: string; samlResponse: string }) & {
      ip?: string;
      userAgent?: string;
    },
  ): Promise<SsoSignIn>;
  /** This portal's SAML service-provider metadata XML, for the company's IT to import at their provider. */
  ssoMetadata(): Promise<string>;
}

/** Runs an operation as the system, for the public flows. */
export type PerformPublic = <Op extends Operation>(operation: Op, ...args: unknown[]) => Promise<OperationResult<Op>>;

/** `um.auth` over the orchestrator: one line per operation. */
export function authApi(perform: PerformPublic): AuthApi {
  return {
    signIn: (input) => perform(signIn, input),
    completePasswordChange: (input) => perform(completeRequiredPasswordChange, input),
    requestPasswordReset: (input) => perform(requestPasswordReset, input),
    resetPassword: (input) => perform(resetPassword, input),
    changePassword: (input) => perform(changePassword, input),
    validateSession: (token) => perform(validateSession, token),
    signOut: (token) => perform(signOut, token),
    issueAccessToken: (sessionToken) => perform(issueAccessToken, sessionToken),
    verifyAccessToken: (jwt, options) => perform(verifyAccessToken, jwt, options),
    getJwks: () => perform(getJwks),
    inspectInvitation: (token, client) => perform(inspectInvitationLink, token, client),
    acceptInvitation: (input) => perform(acceptInvitation, input),
    verifySecondFactor: (input) => perform(verifySecondFactor, input),
    enrollTotp: (input) => perform(enrollTotp, input),
    confirmTotp: (input) => perform(confirmTotp, input),
    passkeyRegistrationOptions: (input) => perform(passkeyRegistrationOptions, input),
    registerPasskey: (input) => perform(registerPasskey, input),
    passkeyOptions: (input) => perform(passkeyOptions, input),
    verifyPasskey: (input) => perform(verifyPasskey, input),
    listFactors: (sessionToken) => perform(listFactors, sessionToken),
    removeFactor: (input) => perform(removeFactor, input),
    regenerateRecoveryCodes: (sessionToken) => perform(regenerateRecoveryCodes, sessionToken),
    discover: (input) => perform(discover, input),
    beginSso: (target, options) => perform(beginSso, target, options),
    completeSso: (input) => perform(completeSso, input),
    ssoMetadata: () => perform(ssoMetadata),
  };
}
