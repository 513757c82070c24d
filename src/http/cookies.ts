/** How the session cookie is set. */
export interface CookieOptions {
  /** Default `tenantry_session`. */
  name?: string;
  /** `Secure` (HTTPS only; browsers also allow it on http://localhost). Default true. */
  secure?: boolean;
  /** Default `Lax`: sent on top-level navigation to the site, never on cross-site requests from scripts or forms. */
  sameSite?: 'Strict' | 'Lax';
  /** Default: the API's base path, so the cookie goes only to the API. */
  path?: string;
  /** Default: none, so the cookie stays on the exact host. */
  domain?: string;
}

function attributes(options: CookieOptions & { name: string }, basePath: string): string[] {
  return [
    `Path=${options.path ?? (basePath || '/')}`,
    'HttpOnly',
    `SameSite=${options.sameSite ?? 'Lax'}`,
    ...(options.secure === false ? [] : ['Secure']),
    ...(options.domain ? [`Domain=${options.domain}`] : []),
  ];
}

/** The `Set-Cookie` value that keeps a session token until the session's absolute end. */
export function sessionCookie(
  options: CookieOptions & { name: string },
  token: string,
  expiresAt: Date,
  basePath: string,
): string {
  return [
    `${options.name}=${encodeURIComponent(token)}`,
    ...attributes(options, basePath),
    `Expires=${expiresAt.toUTCString()}`,
  ].join('; ');
}

/** The `Set-Cookie` value that removes the session cookie. */
export function clearedSessionCookie(options: CookieOptions & { name: string }, basePath: string): string {
  return [`${options.name}=`, ...attributes(options, basePath), 'Max-Age=0'].join('; ');
}
