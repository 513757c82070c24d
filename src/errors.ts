import type { ErrorCode } from './error-codes.js';

/** Extra, safe-to-show facts about a failure (the zod issues, the missing permission, ...). */
export type ErrorDetails = Readonly<Record<string, unknown>>;

/**
 * The one error class tenantry throws for expected conditions. A thrown
 * `TenantryError` means nothing was changed.
 *
 * @example
 * ```ts
 * try {
 *   await um.as(actor).users.setAccess(userId, { permissions: [] });
 * } catch (error) {
 *   if (error instanceof TenantryError && error.code === 'LAST_ADMIN') showMessage(error.message);
 *   else throw error;
 * }
 * ```
 */
export class TenantryError extends Error {
  override readonly name = 'TenantryError';
  /** What went wrong, as a stable code. */
  readonly code: ErrorCode;
  /** Safe details for the caller (never secrets). */
  readonly details: ErrorDetails;

  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = details;
  }
}

/** True when `error` is a {@link TenantryError}, optionally with the given code. */
export function isTenantryError(error: unknown, code?: ErrorCode): error is TenantryError {
  return error instanceof TenantryError && (code === undefined || error.code === code);
}

/**
 * The error for an address another user already has (compared
 * case-insensitively). Storage adapters throw it from `users.insert` and
 * `users.update` when their unique index refuses the address.
 */
export function emailTakenError(email: string): TenantryError {
  return new TenantryError('EMAIL_TAKEN', 'This email address is already taken', { email });
}

/** The words of every refusal of a role key already in use, whether the rules or storage find it taken. */
export function roleTakenMessage(key: string): string {
  return `A role "${key}" already exists`;
}

/**
 * The error for a custom role whose key the organization already uses. The
 * rules refuse a key they know is taken with the same code, words and
 * details; storage adapters throw it from `roles.insert` when their unique
 * key refuses the role (another call took the key meanwhile).
 */
export function roleTakenError(key: string): TenantryError {
  return new TenantryError('CONFLICT', roleTakenMessage(key), { role: key });
}

/**
 * The error for a passkey whose credential id is already registered, to this
 * user or another. Storage adapters throw it from `factors.insert` when their
 * unique index on the credential id refuses the factor (a concurrent
 * registration of the same authenticator won).
 */
export function passkeyTakenError(): TenantryError {
  return new TenantryError('CONFLICT', 'This passkey is already registered');
}
