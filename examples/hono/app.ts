import { getConnInfo } from '@hono/node-server/conninfo';
import { Hono } from 'hono';
import { createFetchHandler, type FetchHandlerOptions } from '../../src/http/index.js';
import type { UserManagement } from '../../src/index.js';

/**
 * A Hono app with tenantry's API mounted at `/api`: the handler is a plain
 * `(Request) => Promise<Response>`, so Hono passes it the raw request.
 */
export function honoApp(um: UserManagement, options: FetchHandlerOptions = {}): Hono {
  const app = new Hono();
  const api = createFetchHandler(um, { basePath: '/api', ...options });
  // The peer's address keys the per-client allowances of sign-in and resets (behind a proxy, set `clientIp`).
  app.all('/api/*', (context) => api(context.req.raw, { clientIp: getConnInfo(context).remote.address }));
  app.get('/health', (context) => context.json({ ok: true }));
  return app;
}
