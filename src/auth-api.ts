import type { JWK } from 'jose';
import type { AccessTokenClaims } from './access-tokens.js';
import type { InvitationPreview, SignedIn, SignInResult, ValidatedSession } from './auth-types.js';
import {
  acceptInvitation,
  completeRequiredPasswordChange,
  inspectInvitationLink,
  resetPassword,
} from './operations/auth/links.js';
import { changePassword, requestPasswordReset } from './operations/auth/passwords.js';
import { getJwks, issueAccessToken, signOut, validateSession, verifyAccessToken } from './operations/auth/sessions.js';
import { signIn } from './operations/auth/sign-in.js';
import type { Operation, OperationResult } from './operations/operation.js';

export type { InvitationPreview, SessionView, SignedIn, SignInResult, ValidatedSession } from './auth-types.js';

/** `um.auth`: the public flows, no actor needed. */
export interface AuthApi {
  /**
   * Signs in with email and password. Unknown addresses and wrong passwords get the same
   * `INVALID_CREDENTIALS` after the same work; only the right password learns `ACCOUNT_PENDING`,
   * `ACCOUNT_DISABLED` or `ACCOUNT_EXPIRED`.
   */
  signIn(input: { email: string; password: string; ip?: string; userAgent?: string }): Promise<SignInResult>;
  /** Sets a new password after a sign-in that required it; returns a session. */
  completePasswordChange(input: { challengeToken: string; newPassword: string; ip?: string }): Promise<SignedIn>;
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
  /** Sets the password, activates the account and signs in; `ip` draws on the client's allowance of invalid links. */
  acceptInvitation(input: {
    token: string;
    password: string;
    acceptTerms?: boolean | undefined;
    ip?: string;
  }): Promise<SignedIn>;
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
  };
}
