import type { User } from '../types.js';

/** A user's password, as a self-describing hash. Never part of what the API returns. */
export interface Credential {
  userId: string;
  passwordHash: string;
  updatedAt: Date;
}

/**
 * What a one-time token is for; a token of one purpose is never accepted for
 * another. `second-factor` is the challenge of a sign-in that waits for a
 * second factor, `factor-enrollment` of one that waits for the user to
 * enroll their first (their organization requires one); the `sso-` ones, the
 * same after the company's identity provider instead of a password.
 */
export type TokenPurpose =
  | 'invitation'
  | 'password-reset'
  | 'password-change'
  | 'second-factor'
  | 'factor-enrollment'
  | 'sso-second-factor'
  | 'sso-factor-enrollment';

/**
 * Who caused a link to be issued, for the mail budgets, which are kept apart
 * so that nobody can spend another's: `self-service` (the person asked,
 * unauthenticated), `admin` (an administrator's one-by-one send) and `bulk`
 * (imports and invitations by address list, bounded by their own limits).
 */
export type TokenOrigin = 'self-service' | 'admin' | 'bulk';

/** A one-time token as stored: only the SHA-256 of the secret the user holds. */
export interface OneTimeToken {
  digest: string;
  userId: string;
  organizationId: string;
  purpose: TokenPurpose;
  origin: TokenOrigin;
  createdAt: Date;
  expiresAt: Date;
  consumedAt: Date | null;
}

/** A session as stored: only the SHA-256 of the bearer token. */
export interface Session {
  digest: string;
  userId: string;
  createdAt: Date;
  lastSeenAt: Date;
  /** Idle expiry; slides forward on use. */
  expiresAt: Date;
  /** The absolute end, whatever the activity. */
  absoluteExpiresAt: Date;
  ip: string | null;
  userAgent: string | null;
  revokedAt: Date | null;
  /** How the session was won, in order: `password`, then `totp`, `passkey` or `recovery-code`; or `sso`. */
  authenticationMethods: AuthenticationMethod[];
  /** When its user must have enrolled a second factor (their organization's grace period); null when not due. */
  enrollmentDueAt: Date | null;
}

/** A way a user proved who they are. */
export type AuthenticationMethod = 'password' | 'totp' | 'passkey' | 'recovery-code' | 'sso';

/** Password credentials, one per user. */
export interface CredentialRepository {
  get(userId: string): Promise<Credential | null>;
  /**
   * The user holding an address (compared case-insensitively), with their
   * credential, in one read; optional: without it, tenantry reads the user
   * and then the credential. Storage over a network implements it to save
   * sign-in a round trip.
   */
  getByEmail?(email: string): Promise<{ user: User; credential: Credential | null } | null>;
  /** Inserts or replaces the user's credential. */
  set(credential: Credential): Promise<void>;
}

/** One-time tokens (invitation, password reset, password-change challenge). */
export interface TokenRepository {
  insert(token: OneTimeToken): Promise<void>;
  /** Many tokens in as few round trips as the storage can (an import's invitations). */
  insertMany(tokens: readonly OneTimeToken[]): Promise<void>;
  get(digest: string): Promise<OneTimeToken | null>;
  /** Marks the token consumed if it is still open; false when another redemption got there first. */
  consume(digest: string, at: Date): Promise<boolean>;
  /**
   * Moves a token that is still open (neither consumed nor expired at `at`)
   * to a new digest, keeping everything else; false when it is no longer
   * open. A mail handed on again after a crash carries a fresh secret this
   * way, since only digests are stored.
   */
  rotate(digest: string, newDigest: string, at: Date): Promise<boolean>;
  /**
   * How many tokens of these purposes and origins were issued since `since`,
   * for one user or one organization (the mail budgets).
   */
  countIssued(filter: {
    userId?: string;
    organizationId?: string;
    purposes: readonly TokenPurpose[];
    origins: readonly TokenOrigin[];
    since: Date;
  }): Promise<number>;
  /** Consumes every open token of the user (of one purpose, or all); returns how many. */
  revokeForUser(userId: string, at: Date, purpose?: TokenPurpose): Promise<number>;
}

/** Sessions. */
export interface SessionRepository {
  insert(session: Session): Promise<void>;
  get(digest: string): Promise<Session | null>;
  /** Records use: a new last-seen time and idle expiry. */
  touch(digest: string, lastSeenAt: Date, expiresAt: Date): Promise<void>;
  revoke(digest: string, at: Date): Promise<void>;
  /** The user's live sessions at `at` (not revoked, within both lifetimes), most recently used first. */
  listLive(userId: string, at: Date): Promise<Session[]>;
  /** Revokes every live session of the user except `keepDigest`; returns how many. */
  revokeForUser(userId: string, at: Date, keepDigest?: string): Promise<number>;
}
