/** How the session cookie is set. */
export interface CookieOptions {
  /**
   * Default `tenantry_session`. A `Secure` cookie gets the `__Host-` prefix
   * when it has no `domain` and the path `/` (the default then), else
   * `__Secure-`: browsers then refuse the same name from a sibling subdomain
   * or from plain HTTP, which could otherwise shadow it.
   */
  name?: string;
  /** `Secure` (HTTPS only; browsers also allow it on http://localhost). Default true. */
  secure?: boolean;
  /** Default `Lax`: sent on top-level navigation to the site, never on cross-site requests from scripts or forms. */
  sameSite?: 'Strict' | 'Lax';
  /**
   * Default: `/` for a `__Host-` cookie (which the prefix requires), else the
   * API's base path, so the cookie goes only to the API.
   */
  path?: string;
  /** Default: none, so the cookie stays on the exact host. */
  domain?: string;
}

/** The session cookie as it is set: its full name and every attribute decided. */
export interface SessionCookie {
  name: string;
  attributes: readonly string[];
}

/** Decides the cookie's name and attributes from the options and where the API is mounted. */
export function sessionCookieOf(options: CookieOptions, basePath: string): SessionCookie {
  const secure = options.secure !== false;
  const base = options.name ?? 'tenantry_session';
  const hostOnly = secure && !options.domain && (options.path === undefined || options.path === '/');
  const prefix = base.startsWith('__') || !secure ? '' : hostOnly ? '__Host-' : '__Secure-';
  const path = hostOnly ? '/' : (options.path ?? (basePath || '/'));
  return {
    name: `${prefix}${base}`,
    attributes: [
      `Path=${path}`,
      'HttpOnly',
      `SameSite=${options.sameSite ?? 'Lax'}`,
      ...(secure ? ['Secure'] : []),
      ...(options.domain ? [`Domain=${options.domain}`] : []),
    ],
  };
}

/** The `Set-Cookie` value that keeps a session token until the session's absolute end. */
export function sessionCookie(cookie: SessionCookie, token: string, expiresAt: Date): string {
  return [
    `${cookie.name}=${encodeURIComponent(token)}`,
    ...cookie.attributes,
    `Expires=${expiresAt.toUTCString()}`,
  ].join('; ');
}

/** The `Set-Cookie` value that removes the session cookie. */
export function clearedSessionCookie(cookie: SessionCookie): string {
  return [`${cookie.name}=`, ...cookie.attributes, 'Max-Age=0'].join('; ');
}
