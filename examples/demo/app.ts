import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { getCookie } from 'hono/cookie';
import { type CookieOptions, type FetchHandlerOptions, httpStatusOfCode } from '../../src/http/index.js';
import { isTenantryError, type UserManagement } from '../../src/index.js';
import { honoApp } from '../hono/app.js';
import { estateOf } from './estate.js';
import type { DemoIdentity } from './identity.js';
import { type FileOutbox, outboxPage } from './outbox.js';
import { otpauthQrSvg } from './qr.js';
import { mountSso } from './sso-routes.js';
import { pageHeaders, publicFiles } from './static.js';

/** What the demo app needs besides the installation. */
export interface DemoAppOptions {
  outbox: FileOutbox;
  /** The local operator key: a request with `x-demo-operator: <key>` acts as the operator. */
  operatorKey: string;
  /** Contoso's provider and the demo's DNS server. */
  identity: DemoIdentity;
}

/** The session cookie's options, the same for the API and the SSO endpoints (tenantry's defaults). */
const sessionCookieOptions: CookieOptions = {};
/** Its name under those options. */
const sessionCookie = '__Host-tenantry_session';

function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * The demo portal: tenantry's API at `/api` (from the Hono example), its SSO
 * endpoints at `/sso/*`, the demo app's own `/demo/…`, the admin pages and
 * the development outbox at `/dev/outbox`.
 */
export function demoApp(um: UserManagement, options: DemoAppOptions): Hono {
  /**
   * Demo only: the operator (platform staff) is not a tenantry user, so a
   * request carrying the local operator key printed at start acts as the
   * operator; every other request acts as the user of its session.
   */
  const authenticate: NonNullable<FetchHandlerOptions['authenticate']> = async (request, { sessionActor }) => {
    const key = request.headers.get('x-demo-operator');
    if (key !== null) return sameSecret(key, options.operatorKey) ? { type: 'operator' } : null;
    return sessionActor();
  };

  const app = new Hono();

  app.route('/', honoApp(um, { authenticate, sessionCookie: sessionCookieOptions }));
  mountSso(app, um, {
    sessionCookie: sessionCookieOptions,
    sessionCookieName: sessionCookie,
    identity: options.identity,
  });

  // The app's own endpoint: the names of its resources, and what the signed-in user may change in an organization.
  app.get('/demo/estate', async (context) => {
    const headers = { 'cache-control': 'no-store' };
    const token = getCookie(context, sessionCookie);
    const organizationId = context.req.query('organizationId');
    if (!token) return context.json({ error: { code: 'SESSION_INVALID', message: 'Not signed in' } }, 401, headers);
    if (!organizationId) {
      return context.json({ error: { code: 'VALIDATION_FAILED', message: 'organizationId is missing' } }, 400, headers);
    }
    try {
      return context.json(await estateOf(um, token, organizationId), 200, headers);
    } catch (error) {
      if (!isTenantryError(error)) throw error;
      const status = httpStatusOfCode[error.code] as 400;
      return context.json({ error: { code: error.code, message: error.message } }, status, headers);
    }
  });

  // The QR code of an authenticator app's `otpauth://` URI, which comes in the body (it carries the secret):
  // for the signed-in user's account page and for a sign-in that must enroll (no session yet), so no session is
  // asked; it only draws what the page already has. JSON only, and same-origin when the browser says where from.
  app.post(
    '/demo/qr-code',
    bodyLimit({ maxSize: 4096, onError: (context) => context.text('Too large', 413) }),
    async (context) => {
      const headers = { 'cache-control': 'no-store' };
      const refuse = (status: 400 | 403, code: string, message: string) =>
        context.json({ error: { code, message } }, status, headers);
      const site = context.req.header('sec-fetch-site');
      if (
        (site && site !== 'same-origin') ||
        !(context.req.header('content-type') ?? '').includes('application/json')
      ) {
        return refuse(403, 'CROSS_ORIGIN', 'Only the page itself asks for QR codes');
      }
      const body: unknown = await context.req.json().catch(() => null);
      const svg = await otpauthQrSvg((body as { uri?: unknown } | null)?.uri);
      if (svg === null) return refuse(400, 'VALIDATION_FAILED', 'uri must be an otpauth:// URI');
      return context.body(svg, 200, {
        ...headers,
        'content-type': 'image/svg+xml',
        'x-content-type-options': 'nosniff',
      });
    },
  );

  app.get('/dev/outbox', (context) => context.html(outboxPage(options.outbox.mails), 200, pageHeaders));
  app.get('/dev/outbox.json', (context) =>
    context.json([...options.outbox.mails].reverse(), 200, { 'cache-control': 'no-store' }),
  );

  const files = publicFiles();
  const pages: Record<string, string> = {
    '/': '/index.html',
    '/accept-invitation': '/accept-invitation.html',
    '/reset-password': '/reset-password.html',
  };
  app.get('*', (context) => {
    const file = files.get(pages[context.req.path] ?? context.req.path);
    if (!file) return context.text('Not found', 404);
    return context.body(new Uint8Array(file.body), 200, { ...pageHeaders, 'content-type': file.type });
  });
  return app;
}
