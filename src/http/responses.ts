import type { ErrorCode } from '../error-codes.js';
import { TenantryError } from '../errors.js';
import { HttpRefusal } from './request.js';

/**
 * The HTTP status of each error code: 400 for input the API cannot take,
 * 401 for missing or wrong credentials, 403 for a refusal of someone known,
 * 404 for what does not exist or is not theirs to see, 409 for a conflict
 * with the data as it is, 422 for a well-formed request the rules refuse.
 */
export const httpStatusOfCode: Readonly<Record<ErrorCode, number>> = {
  VALIDATION_FAILED: 400,
  TOKEN_INVALID: 400,
  INVALID_CREDENTIALS: 401,
  SESSION_INVALID: 401,
  FORBIDDEN: 403,
  SELF_MODIFICATION: 403,
  ACCOUNT_PENDING: 403,
  ACCOUNT_DISABLED: 403,
  ACCOUNT_EXPIRED: 403,
  NOT_FOUND: 404,
  EMAIL_TAKEN: 409,
  LAST_ADMIN: 409,
  CONFLICT: 409,
  PERMISSION_DEPENDENCY: 422,
  PERMISSION_UNAVAILABLE: 422,
  ROLE_UNAVAILABLE: 422,
  TERMS_REQUIRED: 422,
  WEAK_PASSWORD: 422,
  RESOURCE_UNAVAILABLE: 422,
  MFA_REQUIRED: 422,
  DOMAIN_UNVERIFIED: 422,
  SSO_FAILED: 401,
  SSO_REQUIRED: 403,
  RATE_LIMITED: 429,
};

/** The codes of HTTP-level refusals, which are not library errors. */
const refusalCodes: Readonly<Record<number, string>> = {
  403: 'CROSS_ORIGIN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
};

/** The headers of every API answer: never cached, never sniffed. */
const baseHeaders = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };

/** A JSON answer. */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...baseHeaders, ...headers },
  });
}

/** An answer without a body. */
export function empty(status = 204, headers: Record<string, string> = {}): Response {
  return new Response(null, { status, headers: { ...baseHeaders, ...headers } });
}

/** The error body the API answers with: `{ error: { code, message, details } }`. */
export interface ErrorBody {
  error: { code: string; message: string; details?: Readonly<Record<string, unknown>> };
}

/** The status and body for a thrown error, or null for an unexpected one (a bug or an outage). */
export function describeError(error: unknown): { status: number; body: ErrorBody } | null {
  if (error instanceof TenantryError) {
    const details = Object.keys(error.details).length ? { details: error.details } : {};
    return {
      status: httpStatusOfCode[error.code],
      body: { error: { code: error.code, message: error.message, ...details } },
    };
  }
  if (error instanceof HttpRefusal) {
    return {
      status: error.status,
      body: { error: { code: refusalCodes[error.status] ?? 'REFUSED', message: error.message } },
    };
  }
  return null;
}

/** The body of an unexpected failure: no message from inside, which may hold secrets. */
export const internalErrorBody: ErrorBody = {
  error: { code: 'INTERNAL', message: 'Something went wrong on the server' },
};
