import type { SessionView } from './flows/sessions.js';
import type { ResourceAccess, UserView } from './types.js';

export type { SessionView };

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

/** What `auth.signIn` answers: a session, or a challenge to change the password first. */
export type SignInResult =
  | ({ kind: 'session' } & SignedIn)
  | { kind: 'password-change-required'; challengeToken: string; user: UserView };
