/**
 * Every code a {@link TenantryError} can carry. `switch (error.code)` narrows on it.
 */
export const errorCodes = [
  'VALIDATION_FAILED',
  'NOT_FOUND',
  'FORBIDDEN',
  'EMAIL_TAKEN',
  'LAST_ADMIN',
  'SELF_MODIFICATION',
  'PERMISSION_DEPENDENCY',
  'PERMISSION_UNAVAILABLE',
  'ROLE_UNAVAILABLE',
  'INVALID_CREDENTIALS',
  'ACCOUNT_PENDING',
  'ACCOUNT_DISABLED',
  'ACCOUNT_EXPIRED',
  'TOKEN_INVALID',
  'TERMS_REQUIRED',
  'WEAK_PASSWORD',
  'SESSION_INVALID',
  'CONFLICT',
  'RESOURCE_UNAVAILABLE',
  'MFA_REQUIRED',
  'DOMAIN_UNVERIFIED',
  'SSO_FAILED',
  'SSO_REQUIRED',
  'RATE_LIMITED',
] as const;

/** The code of a {@link TenantryError}. */
export type ErrorCode = (typeof errorCodes)[number];
