/**
 * argon2id password hashing through `@node-rs/argon2`. argon2id is now the
 * default hasher's algorithm; this entry stays for code that imports it here.
 *
 * @example
 * ```ts
 * import { argon2Hasher } from 'tenantry/argon2';
 * new UserManagement({ storage, mailer, passwordHasher: argon2Hasher({ memoryCost: 47_104, timeCost: 1 }) });
 * ```
 *
 * @module
 */
export { type Argon2Options, argon2Hasher } from '../../src/index.js';
