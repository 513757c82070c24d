import { TenantryError } from '../errors.js';
import type { UserManagement } from '../user-management.js';
import { type CookieOptions, sessionCookie, sessionCookieOf } from './cookies.js';
import { cookieValue } from './request.js';

/** Options of {@link createSsoEndpoints}. */
export interface SsoEndpointsOptions {
  /** The session cookie, as the API handler sets it (pass the same options and `basePath`). */
  sessionCookie?: CookieOptions;
  /** Where the API handler is mounted (`/api`), for the session cookie's path. */
  basePath?: string;
  /**
   * Whether the SSO state cookie is `Secure` (default true; browsers also
   * keep Secure cookies on http://localhost). It is `SameSite=None`, as a SAML
   * provider posts the browser back from its own site.
   */
  secure?: boolean;
  /**
   * Where the browser goes when SSO fails (`?sso_error=<reason>` is added)
   * or when the user must prove their own second factor first (the
   * challenge in the fragment: `#sso=second-factor-required&challengeToken=…`,
   * which never reaches a server). Default `/`.
   */
  pagePath?: string;
  /** The client's address, for the session and the audit trail. */
  clientIp?: (request: Request) => string | undefined;
  /** The largest SAML form accepted, in bytes. Default 2 MiB. */
  maxFormBytes?: number;
}

const STATE_COOKIE = 'tenantry_sso_state';

/**
 * The pages identity providers send browsers to, at the portal's base URL:
 * `GET /sso/begin?email=…` (or `connectionId=…`, and `returnTo=/path`)
 * redirects to the provider and keeps the sign-in's state in a short-lived
 * HttpOnly cookie; `GET /sso/callback` (OIDC) and `POST /sso/acs` (SAML,
 * POST binding) finish the sign-in with that state, set the session cookie
 * and redirect to `returnTo`; `GET /sso/metadata` serves the SAML
 * service-provider metadata. Other paths answer null, for the host's other routes.
 */
export function createSsoEndpoints(
  um: UserManagement,
  options: SsoEndpointsOptions = {},
): (request: Request) => Promise<Response | null> {
  const basePath = `/${(options.basePath ?? '').replace(/^\/+|\/+$/g, '')}`.replace(/^\/$/, '');
  const session = sessionCookieOf(options.sessionCookie ?? {}, basePath);
  const secure = options.secure !== false;
  const stateName = secure ? `__Host-${STATE_COOKIE}` : STATE_COOKIE;
  const stateAttributes = [
    'Path=/',
    'HttpOnly',
    secure ? 'SameSite=None' : 'SameSite=Lax',
    ...(secure ? ['Secure'] : []),
  ];
  const pagePath = options.pagePath ?? '/';
  const maxFormBytes = options.maxFormBytes ?? 2 * 1024 * 1024;
  const ttlSeconds = Math.ceil(um.policy.sso.loginTtlMs / 1000);

  const redirect = (location: string, cookies: string[] = []) => {
    const headers = new Headers({ location, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
    for (const cookie of cookies) headers.append('set-cookie', cookie);
    return new Response(null, { status: 303, headers });
  };
  const clearState = [`${stateName}=`, ...stateAttributes, 'Max-Age=0'].join('; ');
  const failed = (error: unknown) => {
    if (!(error instanceof TenantryError)) throw error;
    const reason = String(error.details.reason ?? error.code);
    return redirect(`${pagePath}?sso_error=${encodeURIComponent(reason)}`, [clearState]);
  };
  const client = (request: Request) => {
    const ip = options.clientIp?.(request);
    const userAgent = request.headers.get('user-agent')?.slice(0, 500);
    return { ...(ip ? { ip } : {}), ...(userAgent ? { userAgent } : {}) };
  };

  const begin = async (request: Request, url: URL) => {
    const connectionId = url.searchParams.get('connectionId');
    const email = url.searchParams.get('email');
    const returnTo = url.searchParams.get('returnTo') ?? undefined;
    const target = connectionId ? { connectionId } : { email: email ?? '' };
    const { ip } = client(request);
    const started = await um.auth.beginSso(target, { ...(returnTo ? { returnTo } : {}), ...(ip ? { ip } : {}) });
    const state = [`${stateName}=${encodeURIComponent(started.state)}`, ...stateAttributes, `Max-Age=${ttlSeconds}`];
    return redirect(started.url, [state.join('; ')]);
  };

  const finish = async (request: Request, answer: { callbackUrl: string } | { samlResponse: string }) => {
    const state = cookieValue(request, stateName);
    if (!state) return redirect(`${pagePath}?sso_error=state-missing`, [clearState]);
    const done = await um.auth.completeSso({ state, ...answer, ...client(request) });
    if (done.kind === 'session') {
      const cookie = sessionCookie(session, done.token, new Date(done.session.absoluteExpiresAt));
      return redirect(done.returnTo ?? pagePath, [cookie, clearState]);
    }
    // The user's own second factor comes first: the page takes the challenge from the fragment.
    const fragment = new URLSearchParams({ sso: done.kind, challengeToken: done.challengeToken });
    return redirect(`${pagePath}#${fragment}`, [clearState]);
  };

  const samlForm = async (request: Request) => {
    const declared = Number(request.headers.get('content-length') ?? 0);
    if (declared > maxFormBytes) throw new TenantryError('VALIDATION_FAILED', 'The SAML response is too large');
    const text = await request.text();
    if (text.length > maxFormBytes) throw new TenantryError('VALIDATION_FAILED', 'The SAML response is too large');
    const form = new URLSearchParams(text);
    const samlResponse = form.get('SAMLResponse');
    const relayState = form.get('RelayState');
    if (!samlResponse) throw new TenantryError('SSO_FAILED', 'No SAML response was posted', { reason: 'malformed' });
    // The provider hands back the state it was given; another one means the response is not this browser's.
    if (relayState !== null && relayState !== cookieValue(request, stateName)) {
      throw new TenantryError('SSO_FAILED', 'This sign-in is not this browser’s', { reason: 'state-mismatch' });
    }
    return { samlResponse };
  };

  return async (request) => {
    const url = new URL(request.url);
    try {
      if (request.method === 'GET' && url.pathname === '/sso/begin') return await begin(request, url);
      if (request.method === 'GET' && url.pathname === '/sso/callback') {
        return await finish(request, { callbackUrl: url.href });
      }
      if (request.method === 'POST' && url.pathname === '/sso/acs') {
        return await finish(request, await samlForm(request));
      }
      if (request.method === 'GET' && url.pathname === '/sso/metadata') {
        return new Response(await um.auth.ssoMetadata(), {
          headers: { 'content-type': 'application/samlmetadata+xml; charset=utf-8' },
        });
      }
    } catch (error) {
      return failed(error);
    }
    return null;
  };
}
