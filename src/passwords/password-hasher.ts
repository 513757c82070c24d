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
  /** Optional: whether `hash` is of this hasher's format, so that {@link migratingHasher} knows whom to ask. */
  recognizes?(hash: string): boolean;
}

/**
 * A hasher that hashes with `primary` and still verifies the hashes of
 * `legacy` hashers, each by the one that recognizes it; those hashes need a
 * rehash, so they are replaced by `primary`'s at the next sign-in.
 *
 * @example
 * ```ts
 * // Moving from your own scrypt setting to argon2id:
 * const passwordHasher = migratingHasher(argon2Hasher(), [scryptHasher({ logN: 15, r: 8, p: 1 })]);
 * ```
 */
export function migratingHasher(primary: PasswordHasher, legacy: readonly PasswordHasher[]): PasswordHasher {
  const all = [primary, ...legacy];
  const owner = (hash: string) => all.find((hasher) => hasher.recognizes?.(hash)) ?? primary;
  return {
    hash: (password) => primary.hash(password),
    verify: (hash, password) => owner(hash).verify(hash, password),
    needsRehash: (hash) => primary.recognizes?.(hash) === false || primary.needsRehash(hash),
    recognizes: (hash) => all.some((hasher) => hasher.recognizes?.(hash)),
  };
}
