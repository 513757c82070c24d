import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { type FetchHandlerOptions, httpStatusOfCode } from '../../src/http/index.js';
import { type Actor, isTenantryError, type UserManagement } from '../../src/index.js';
import { isPermissionAvailable } from '../../src/rules/index.js';
import { honoApp } from '../hono/app.js';
import { permissions } from '../quickstart/catalog.js';
import { type FileOutbox, outboxPage } from './outbox.js';
import { pageHeaders, publicFiles } from './static.js';

/** What the demo app needs besides the installation. */
export interface DemoAppOptions {
  outbox: FileOutbox;
  /** The local operator key: a request with `x-demo-operator: <key>` acts as the operator. */
  operatorKey: string;
}

const sessionCookieName = 'tenantry_session';

function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * The demo portal: tenantry's API at `/api` (from the Hono example), the
 * admin pages, the development outbox at `/dev/outbox`, and one demo route
 * that tells the page which permissions exist in an organization.
 */
export function demoApp(um: UserManagement, options: DemoAppOptions): Hono {
  /**
   * Demo only: the operator (platform staff) is not a tenantry user, so a
   * request carrying the local operator key printed at start acts as the
   * operator; every other request acts as the user of its session.
   */
  const authenticate: NonNullable<FetchHandlerOptions['authenticate']> = async (request, { sessionToken }) => {
    const key = request.headers.get('x-demo-operator');
    if (key !== null) return sameSecret(key, options.operatorKey) ? { type: 'operator' } : null;
    return sessionToken ? (await um.auth.validateSession(sessionToken)).actor : null;
  };

  const app = new Hono();

  // Registered before the API so that it answers first: the session cookie is scoped to /api.
  app.get('/api/demo/permissions', async (context) => {
    try {
      const bearer = /^Bearer\s+(\S+)$/i.exec(context.req.header('authorization') ?? '')?.[1];
      const sessionToken = bearer ?? getCookie(context, sessionCookieName) ?? null;
      const actor: Actor | null = await authenticate(context.req.raw, { um, sessionToken });
      if (!actor) return context.json({ error: { code: 'SESSION_INVALID', message: 'Sign in first' } }, 401);
      const organizationId = context.req.query('organizationId') ?? '';
      const organization = await um.as(actor).organizations.get(organizationId);
      const operator = actor.type !== 'user';
      const items = [...permissions.permissions.values()].map((permission) => {
        const available = isPermissionAvailable(permission, organization);
        return {
          key: permission.key,
          label: permission.label,
          requires: permission.requires ?? [],
          operatorOnly: permission.operatorOnly === true,
          available,
          grantable: available && (operator || permission.operatorOnly !== true),
        };
      });
      return context.json(items, 200, { 'cache-control': 'no-store' });
    } catch (error) {
      if (!isTenantryError(error)) throw error;
      return new Response(JSON.stringify({ error: { code: error.code, message: error.message } }), {
        status: httpStatusOfCode[error.code],
        headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
      });
    }
  });

  app.route('/', honoApp(um, { authenticate }));

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
