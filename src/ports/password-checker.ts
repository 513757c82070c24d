import type { User } from '../types.js';

/**
 * Checks a new password beyond its length: the reason to refuse it (shown to
 * the user with `WEAK_PASSWORD`), or null to accept. It gets the password as
 * typed after NFKC normalization, and the user it is for, so that it can
 * refuse passwords made of their name or address.
 *
 * @example
 * ```ts
 * const breachedOnly: PasswordChecker = async (password) =>
 *   (await isBreached(password)) ? 'This password appears in known data breaches' : null;
 * ```
 */
export type PasswordChecker = (password: string, user: User) => Promise<string | null>;
