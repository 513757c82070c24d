import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import type { FetchHandlerOptions } from '../../src/http/index.js';
import type { UserManagement } from '../../src/index.js';
import { honoApp } from '../hono/app.js';
import { type FileOutbox, outboxPage } from './outbox.js';
import { pageHeaders, publicFiles } from './static.js';

/** What the demo app needs besides the installation. */
export interface DemoAppOptions {
  outbox: FileOutbox;
  /** The local operator key: a request with `x-demo-operator: <key>` acts as the operator. */
  operatorKey: string;
}

function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * The demo portal: tenantry's API at `/api` (from the Hono example), the
 * admin pages and the development outbox at `/dev/outbox`.
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
