/**
 * The password hashing port. Hashes are self-describing strings (algorithm
 * and parameters included), so stronger parameters can be introduced and old
 * hashes upgraded at the next successful sign-in.
 */
export interface PasswordHasher {
  /** Hashes an already normalized password with a fresh salt. */
  hash(password: string): Promise<string>;
  /** True when `password` matches `hash`, compared in constant time. */
  verify(hash: string, password: string): Promise<boolean>;
  /** True when `hash` was made with other (older) parameters and should be replaced. */
  needsRehash(hash: string): boolean;
}
