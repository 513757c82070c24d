/** The kinds of second factor a user enrolls. */
export type FactorType = 'totp' | 'passkey';

/**
 * A user's second factor as stored. A TOTP factor keeps its secret sealed
 * with the installation's encryption keys (never in the clear) and the last
 * time step it accepted; a passkey keeps its WebAuthn credential. A factor is
 * in use once confirmed: an enrollment not yet confirmed with a first code
 * has `confirmedAt` null and counts for nothing.
 */
export interface StoredFactor {
  id: string;
  userId: string;
  organizationId: string;
  type: FactorType;
  label: string;
  createdAt: Date;
  confirmedAt: Date | null;
  lastUsedAt: Date | null;
  /** TOTP: the sealed secret. */
  secret: string | null;
  /** TOTP: the last 30-second step whose code was accepted, so no code is accepted twice. */
  lastStep: number | null;
  /** Passkey: the credential id (base64url), unique in the installation. */
  credentialId: string | null;
  /** Passkey: the COSE public key (base64url). */
  publicKey: string | null;
  /** Passkey: the authenticator's signature counter (0 for authenticators that keep none). */
  counter: number;
  /** Passkey: the transports the authenticator named at registration. */
  transports: string[];
}

/** Users' second factors. */
export interface FactorRepository {
  /** Stores a factor; a passkey whose credential id is taken is refused with `CONFLICT` (`passkeyTakenError()`). */
  insert(factor: StoredFactor): Promise<void>;
  get(id: string): Promise<StoredFactor | null>;
  /** The user's factors, confirmed or not, oldest first. */
  forUser(userId: string): Promise<StoredFactor[]>;
  /** Whether each of these users has a confirmed factor (a page of users, a sign-in), by user id. */
  confirmedUsers(userIds: readonly string[]): Promise<Set<string>>;
  /** The passkey with this credential id, anyone's. */
  byCredentialId(credentialId: string): Promise<StoredFactor | null>;
  /** Confirms an enrollment; false when it is gone or was confirmed already. */
  confirm(id: string, at: Date): Promise<boolean>;
  /**
   * TOTP: records `step` as used if it is later than the last step used, in
   * one atomic step, with `lastUsedAt` set to `at`; false when it is not
   * (the code was used, or a later one, by this request or a concurrent one).
   */
  useStep(id: string, step: number, at: Date): Promise<boolean>;
  /**
   * Passkey: records a sign-in with this counter if it is greater than the
   * stored one (or both are 0, for authenticators without a counter), in one
   * atomic step, with `lastUsedAt` set to `at`; false otherwise (a cloned
   * authenticator, or a replay).
   */
  useCounter(id: string, counter: number, at: Date): Promise<boolean>;
  /** Removes one factor of the user; false when they have no such factor. */
  remove(userId: string, id: string): Promise<boolean>;
  /** Removes every factor of the user (an admin's reset, erasure); how many confirmed ones went. */
  removeForUser(userId: string): Promise<number>;
}

/** One recovery code as stored: the SHA-256 of the code the user keeps. */
export interface RecoveryCode {
  userId: string;
  digest: string;
  createdAt: Date;
  usedAt: Date | null;
}

/** Users' recovery codes: a set of single-use codes, replaced whole. */
export interface RecoveryCodeRepository {
  /**
   * Replaces every code of the user with these (the old ones stop working).
   * Callers hold the user's row lock, so two replacements never interleave.
   */
  replace(userId: string, digests: readonly string[], at: Date): Promise<void>;
  /** Marks the code used if it is the user's and unused, in one atomic step; false otherwise. */
  use(userId: string, digest: string, at: Date): Promise<boolean>;
  /** How many unused codes the user has. */
  countUnused(userId: string): Promise<number>;
  /** Removes every code of the user. */
  removeForUser(userId: string): Promise<void>;
}

/** What a WebAuthn challenge was issued for. */
export type WebAuthnCeremony = 'registration' | 'authentication';

/**
 * A WebAuthn challenge as stored: the SHA-256 of the random challenge the
 * authenticator signs, for one ceremony, for one user (or, for a sign-in
 * with a discoverable passkey, nobody yet). Single-use and short-lived.
 */
export interface WebAuthnChallenge {
  digest: string;
  ceremony: WebAuthnCeremony;
  userId: string | null;
  createdAt: Date;
  expiresAt: Date;
  consumedAt: Date | null;
}

/** WebAuthn challenges. */
export interface WebAuthnChallengeRepository {
  insert(challenge: WebAuthnChallenge): Promise<void>;
  get(digest: string): Promise<WebAuthnChallenge | null>;
  /** Marks the challenge consumed if it is still open at `at`; false when it was consumed or has expired. */
  consume(digest: string, at: Date): Promise<boolean>;
}
