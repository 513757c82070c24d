import { argon2Hasher } from './argon2-hasher.js';
import { migratingHasher, type PasswordHasher } from './password-hasher.js';
import { scryptHasher } from './scrypt-hasher.js';

/**
 * The default password hasher: argon2id at the OWASP setting
 * ({@link argon2Hasher}), still verifying scrypt hashes (tenantry's earlier
 * default, any parameters) and replacing them with argon2id at the next
 * successful sign-in.
 */
export function defaultPasswordHasher(): PasswordHasher {
  return migratingHasher(argon2Hasher(), [scryptHasher()]);
}
