import { TenantryError } from '../errors.js';
import type { Actor } from '../types.js';
import type { UserManagement } from '../user-management.js';
import { auditExportRoute } from './audit-export-route.js';
import { authRoutes } from './auth-routes.js';
import { type CookieOptions, clearedSessionCookie, sessionCookie, sessionCookieOf } from './cookies.js';
import { domainRoutes } from './domain-routes.js';
import { factorRoutes } from './factor-routes.js';
import { importRoutes } from './import-routes.js';
import { openApiDocument } from './openapi.js';
import { organizationRoutes } from './organization-routes.js';
import { bearerToken, cookieValue, HttpRefusal, readJson, readQuery, refuseBody } from './request.js';
import { resourceRoutes } from './resource-routes.js';
import { describeError, empty, internalErrorBody, json } from './responses.js';
import { type Route, Router } from './routing.js';
import { ssoRoutes } from './sso-routes.js';
import { userRoutes } from './user-routes.js';

/** What `authenticate` gets besides the request. */
export interface AuthenticateContext {
  um: UserManagement;
  /** The session token of the request (bearer header first, then the cookie), if any. */
  sessionToken: string | null;
  /** The default: the user of that session (`SESSION_INVALID` if it is not live), or null without a token. */
  sessionActor(): Promise<Actor | null>;
}

/** Options of {@link createFetchHandler}. */
export interface FetchHandlerOptions {
  /** Where the API is mounted, such as `/api`; requests elsewhere answer 404. Default: the root. */
  basePath?: string;
  /**
   * Who the request acts as, for the admin routes. Default: the user of the
   * session whose token is in the `Authorization: Bearer` header or the
   * session cookie. Return `{ type: 'operator' }` for your own staff, or null
   * when the request is not signed in (401); `context.sessionActor()` is the
   * default answer, to fall back on.
   */
  authenticate?: (request: Request, context: AuthenticateContext) => Promise<Actor | null>;
  /** The session cookie (`__Host-tenantry_session`: HttpOnly, SameSite=Lax, Secure), or false for bearer tokens only. */
  sessionCookie?: CookieOptions | false;
  /**
   * Whether answers that start a session carry the token in the body. Default:
   * only when there is no session cookie, so a page's scripts never see it.
   */
  exposeSessionToken?: boolean;
  /**
   * Origins besides the request's own that may send cookie-authenticated
   * changes (`https://admin.example.com`): behind a proxy that rewrites the
   * host, or for a separate admin front end.
   */
  trustedOrigins?: readonly string[];
  /** The largest JSON body accepted, in bytes. Default 1 MiB. CSV uploads are bounded by the import policy. */
  maxBodyBytes?: number;
  /**
   * The client's address, such as your server's socket address or your
   * proxy's `X-Forwarded-For`: it keys the allowances of sign-in, password
   * resets and links per client (`policy.rateLimits`) and goes into the
   * sign-in audit trail. Without it, only the per-account allowances and the
   * bound on hashing apply. Default: the `connection` the server passes the
   * handler (`handle(request, { clientIp: socket.remoteAddress })`); set this
   * behind a proxy.
   */
  clientIp?: (request: Request) => string | undefined;
  /** Called with every unexpected error (answered as a bare 500). Default: `console.error`. */
  onError?: (error: unknown, request: Request) => void;
}

/** What the server knows of the connection a request came on, which a `Request` does not carry. */
export interface Connection {
  /** The peer's address (`socket.remoteAddress`), used when `clientIp` is not given. */
  clientIp?: string | undefined;
}

/** The handler: a `Request` (and, if the server tells, its connection) in, a `Response` out. */
export type FetchHandler = (request: Request, connection?: Connection) => Promise<Response>;

const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The whole API as a Web-standard handler, `(Request) => Promise<Response>`:
 * every `um.auth` flow and every `um.as(actor)` operation as JSON over HTTP,
 * with the OpenAPI 3.1 document at `${basePath}/openapi.json`. Mount it in
 * Hono, Express (through a fetch bridge), Bun, Deno or any server that
 * speaks `Request` and `Response`.
 *
 * Library errors answer `{ error: { code, message, details } }` with a status
 * by code (see {@link httpStatusOfCode}). Changes authenticated by the cookie
 * must come from the page's own origin (or a trusted one), judged by
 * `Sec-Fetch-Site` and `Origin`; bearer-token calls need no such check.
 *
 * @example
 * ```ts
 * const handle = createFetchHandler(um, { basePath: '/api' });
 * // Hono: app.all('/api/*', (c) => handle(c.req.raw));
 * ```
 */
export function createFetchHandler(um: UserManagement, options: FetchHandlerOptions = {}): FetchHandler {
  const basePath = `/${(options.basePath ?? '').replace(/^\/+|\/+$/g, '')}`.replace(/^\/$/, '');
  const cookie = options.sessionCookie === false ? null : sessionCookieOf(options.sessionCookie ?? {}, basePath);
  const exposeToken = options.exposeSessionToken ?? cookie === null;
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const trustedOrigins = new Set(options.trustedOrigins ?? []);
  const onError = options.onError ?? ((error: unknown) => console.error('tenantry: unexpected error', error));
  const errorBody = (error: unknown) => describeError(error)?.body ?? internalErrorBody;
  const routes: Route[] = [
    ...authRoutes(),
    ...organizationRoutes,
    auditExportRoute(onError),
    ...domainRoutes,
    ...ssoRoutes,
    ...userRoutes,
    ...resourceRoutes,
    ...factorRoutes,
    ...importRoutes(errorBody),
  ];
  const router = new Router(routes);
  let document: unknown;

  const sameOrigin = (request: Request): boolean => {
    const site = request.headers.get('sec-fetch-site');
    const origin = request.headers.get('origin');
    if (origin && trustedOrigins.has(origin)) return true;
    if (site) return site === 'same-origin' || site === 'none';
    return origin === null || origin === new URL(request.url).origin;
  };

  const actorOf = async (request: Request, sessionToken: string | null): Promise<Actor> => {
    const sessionActor = async () => (sessionToken ? (await um.auth.validateSession(sessionToken)).actor : null);
    const actor = options.authenticate
      ? await options.authenticate(request, { um, sessionToken, sessionActor })
      : await sessionActor();
    if (!actor) throw new TenantryError('SESSION_INVALID', 'Sign in first');
    return actor;
  };

  const dispatch = async (request: Request, path: string, connection: Connection): Promise<Response> => {
    if (request.method === 'GET' && path === '/openapi.json') {
      document ??= openApiDocument(routes, { basePath, cookieName: cookie?.name ?? null });
      return json(document);
    }
    const match = router.match(request.method, path);
    if (match.kind === 'none') throw new HttpRefusal(404, `No route for ${request.method} ${path}`);
    if (match.kind === 'method-not-allowed') {
      return json({ error: { code: 'METHOD_NOT_ALLOWED', message: `Use ${match.allowed.join(' or ')}` } }, 405, {
        allow: match.allowed.join(', '),
      });
    }
    const bearer = bearerToken(request);
    const sessionToken = bearer ?? (cookie ? cookieValue(request, cookie.name) : null);
    if (unsafeMethods.has(request.method) && bearer === null && !sameOrigin(request)) {
      throw new HttpRefusal(403, 'Changes must come from the application’s own origin');
    }
    const { route, params } = match;
    if (unsafeMethods.has(request.method) && !route.body && !route.rawBody) await refuseBody(request);
    if (route.access === 'session' && !sessionToken) throw new TenantryError('SESSION_INVALID', 'Sign in first');
    const actor: Actor = route.access === 'actor' ? await actorOf(request, sessionToken) : { type: 'system' };
    let bodyRead = false;
    const result = await route.run({
      um,
      request,
      params,
      query: readQuery(new URL(request.url).searchParams, route.query),
      sessionToken,
      clientIp: options.clientIp?.(request) ?? connection.clientIp,
      perform: (operation, args) => um.perform(actor, operation, args),
      body: () => {
        if (bodyRead) throw new Error('the body was read twice');
        bodyRead = true;
        return readJson(request, maxBodyBytes);
      },
    });
    if (result instanceof Response) return result;
    const headers: Record<string, string> = {};
    let body = result;
    if (route.session === 'start' && isSessionAnswer(result)) {
      if (cookie) headers['set-cookie'] = sessionCookie(cookie, result.token, result.session.absoluteExpiresAt);
      if (!exposeToken) body = withoutToken(result);
    }
    if (route.session === 'end' && cookie) headers['set-cookie'] = clearedSessionCookie(cookie);
    const status = route.status ?? 200;
    return status === 204 ? empty(204, headers) : json(body, status, headers);
  };

  const handle = async (request: Request, connection: Connection): Promise<Response> => {
    const path = new URL(request.url).pathname;
    if (path !== basePath && !path.startsWith(`${basePath}/`)) {
      return json({ error: { code: 'NOT_FOUND', message: `Nothing at ${path}` } }, 404);
    }
    try {
      return await dispatch(request, path.slice(basePath.length) || '/', connection);
    } catch (error) {
      const described = describeError(error);
      if (described) {
        return json(described.body, described.status, errorHeaders(error, described.status));
      }
      onError(error, request);
      return json(internalErrorBody, 500);
    }
  };
  return async (request, connection = {}) => {
    if (request.method !== 'HEAD') return handle(request, connection);
    // HEAD answers as GET would, without the body.
    const answer = await handle(new Request(request, { method: 'GET' }), connection);
    await answer.body?.cancel();
    return new Response(null, { status: answer.status, headers: answer.headers });
  };
}

/** `WWW-Authenticate` on 401; `Retry-After` (whole seconds, rounded up) on 429. */
function errorHeaders(error: unknown, status: number): Record<string, string> {
  if (status === 401) return { 'www-authenticate': 'Bearer' };
  const retryAfterMs = error instanceof TenantryError ? error.details.retryAfterMs : undefined;
  if (status === 429 && typeof retryAfterMs === 'number') {
    return { 'retry-after': String(Math.max(1, Math.ceil(retryAfterMs / 1000))) };
  }
  return {};
}

interface SessionAnswer {
  token: string;
  session: { absoluteExpiresAt: Date };
}

function isSessionAnswer(value: unknown): value is SessionAnswer {
  return typeof value === 'object' && value !== null && typeof (value as { token?: unknown }).token === 'string';
}

function withoutToken(answer: SessionAnswer): Omit<SessionAnswer, 'token'> {
  const { token: _token, ...rest } = answer;
  return rest;
}
