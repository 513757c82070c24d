/** Same-origin JSON calls to tenantry's API, and its refusals as readable messages. */

/** A refusal from the API: `{ error: { code, message, details } }` with its HTTP status. */
export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details ?? {};
  }
}

let sessionLost = () => {};
/** What to do when a call finds the session gone (signed out elsewhere, expired, user disabled). */
export function onSessionLost(handler) {
  sessionLost = handler;
}

/** Reads an answer: JSON or nothing; a refusal becomes an {@link ApiError}. */
export async function readAnswer(response) {
  if (response.status === 204) return null;
  const type = response.headers.get('content-type') ?? '';
  const data = type.includes('application/json') ? await response.json() : null;
  if (response.ok) return data;
  const error = data?.error ?? {};
  const failure = new ApiError(
    response.status,
    error.code ?? `HTTP_${response.status}`,
    error.message ?? response.statusText,
    error.details,
  );
  if (failure.code === 'SESSION_INVALID') sessionLost(failure);
  throw failure;
}

/** One call: `body` goes as JSON (which is what the API's cross-origin protection expects of a page). */
export async function api(method, path, body) {
  const init = { method, headers: { accept: 'application/json' }, credentials: 'same-origin' };
  if (body !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  return readAnswer(await fetch(path, init));
}

/** A query string from an object; arrays repeat the parameter, empty values are left out. */
export function query(parameters) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(parameters)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item !== undefined && item !== null && item !== '') search.append(name, String(item));
    }
  }
  return search.toString();
}

const titles = {
  PERMISSION_DEPENDENCY: 'A permission depends on another',
  PERMISSION_UNAVAILABLE: 'Permission not available here',
  ROLE_UNAVAILABLE: 'Role not available here',
  LAST_ADMIN: 'The organization needs an admin',
  SELF_MODIFICATION: 'Not on your own account',
  FORBIDDEN: 'Not allowed',
  NOT_FOUND: 'Not found',
  EMAIL_TAKEN: 'Address already in use',
  CONFLICT: 'Not possible now',
  VALIDATION_FAILED: 'Please check the input',
  INVALID_CREDENTIALS: 'Sign-in failed',
  ACCOUNT_PENDING: 'Account not activated yet',
  ACCOUNT_DISABLED: 'Account disabled',
  ACCOUNT_EXPIRED: 'Account expired',
  TOKEN_INVALID: 'Link not valid',
  TERMS_REQUIRED: 'Terms not accepted',
  WEAK_PASSWORD: 'Password too weak',
  SESSION_INVALID: 'Signed out',
  CROSS_ORIGIN: 'Refused',
  MFA_REQUIRED: 'Your company requires a second factor',
  RATE_LIMITED: 'Too many attempts',
};

/** A refusal as one readable sentence: a title for its code, then the API's own message. */
export function explain(error) {
  if (!(error instanceof ApiError)) return `Something went wrong: ${error?.message ?? error}`;
  const issues = (error.details.issues ?? [])
    .map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message))
    .filter((text) => text && text !== error.message);
  const extra = issues.length > 0 ? ` (${issues.join('; ')})` : '';
  return `${titles[error.code] ?? 'Refused'}: ${error.message}${extra}`;
}

/** Where a page that started a sign-in (accepting an invitation) leaves its next step for the portal to go on with. */
export const handedOverSignIn = 'tenantry-demo.sign-in';
