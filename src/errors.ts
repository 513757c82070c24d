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

/**
 * The error for a mail domain the organization has claimed already. Storage
 * adapters throw it from `domains.insert` when the claim's key (organization
 * and domain) is taken.
 */
export function domainClaimedError(domain: string): TenantryError {
  return new TenantryError('CONFLICT', `This organization has claimed the domain "${domain}" already`, { domain });
}

/**
 * The error for a mail domain another organization has verified. Storage
 * adapters throw it from `domains.markVerified` when their unique index on
 * verified domains refuses the claim (another organization verified it
 * first, or at the same moment).
 */
export function domainTakenError(domain: string): TenantryError {
  return new TenantryError('CONFLICT', `The domain "${domain}" is verified by another organization`, { domain });
}

/**
 * The error for an identity at a provider that is linked to a user already.
 * Storage adapters throw it from `ssoIdentities.insert` when the key of the
 * link (connection and subject) is taken, as when two first sign-ins of one
 * person race.
 */
export function ssoIdentityLinkedError(): TenantryError {
  return new TenantryError('CONFLICT', 'This identity is linked to a user already');
}
