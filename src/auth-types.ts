import type { Factor, SecondFactorMethod } from './flows/second-factors.js';
import type { SessionView } from './flows/sessions.js';
import type { ResourceAccess, UserView } from './types.js';

export type { Factor, SecondFactorMethod, SessionView };

/** What signing in or activating returns: the bearer token for the client, the session and the user. */
export interface SignedIn {
  token: string;
  session: SessionView;
  user: UserView;
}

/** What the invitation page shows before the user chooses a password. */
export interface InvitationPreview {
  email: string;
  firstName: string;
  lastName: string;
  organizationName: string;
  expiresAt: Date;
  /** Whether accepting needs `acceptTerms: true` (the policy's `requireTermsAcceptance`). */
  termsRequired: boolean;
}

/** What `auth.validateSession` answers: the session, the user as they are now, the actor to act as, and the effective permissions. */
export interface ValidatedSession {
  session: SessionView;
  user: UserView;
  actor: { type: 'user'; userId: string };
  permissions: string[];
  /** The user's effective resource access, for `canAccess(session, type, id)`. */
  resourceAccess: ResourceAccess;
}

/**
 * What `auth.signIn` answers: a session; or a challenge to change the
 * password first; to prove a second factor (`methods`: what the user has);
 * or to enroll one, when their organization requires it and its grace period
 * is over. The challenge is single-use and lives `policy.mfa.challengeTtlMs`.
 */
export type SignInResult =
  | ({ kind: 'session' } & SignedIn)
  | { kind: 'password-change-required'; challengeToken: string; user: UserView }
  | { kind: 'second-factor-required'; challengeToken: string; methods: SecondFactorMethod[]; user: UserView }
  | { kind: 'second-factor-enrollment-required'; challengeToken: string; user: UserView };

/**
 * What accepting an invitation returns: a session, or, where the
 * organization requires a second factor and its grace period is over (none
 * by default), a challenge to enroll one first (`enrollTotp` or
 * `passkeyRegistrationOptions` with the challenge token, then `confirmTotp` or
 * `registerPasskey` give the session). The password is set and the account
 * active either way.
 */
export type InvitationAccepted =
  | ({ kind: 'session' } & SignedIn)
  | { kind: 'second-factor-enrollment-required'; challengeToken: string; user: UserView }
  | { kind: 'second-factor-required'; challengeToken: string; methods: SecondFactorMethod[]; user: UserView };

/**
 * What finishing an SSO sign-in returns: a sign-in's answer (a session, or
 * the user's own second factor first where the provider's does not count),
 * whether the user was created just now, and the portal path `beginSso` was
 * asked to return to.
 */
export type SsoSignIn = SignInResult & { created: boolean; returnTo: string | null };

/** Where an address signs in: with a password, or through its company's identity provider. */
export type SignInMethod = { method: 'password' } | { method: 'sso'; connectionId: string };

/** What a new TOTP enrollment gives the user: the secret to type in, the URI for a QR code. */
export interface TotpEnrollment {
  enrollmentId: string;
  /** Base32, for typing into an authenticator app. */
  secret: string;
  /** `otpauth://totp/…`, for a QR code. */
  uri: string;
}

/**
 * A confirmed factor, the recovery codes given with the first one (empty
 * for later ones; shown once), and, when it finished a sign-in that waited
 * for an enrollment, what that sign-in answers (`token` and `session`, or
 * the challenge of a password change still due).
 */
export interface FactorConfirmation {
  factor: Factor;
  recoveryCodes: string[];
  token?: string;
  session?: SessionView;
  /** The sign-in's answer when it is not a session (a password change still due). */
  signIn?: SignInResult;
}
