import { getRequestListener } from '@hono/node-server';
import express, { type Express } from 'express';
import { createFetchHandler, type FetchHandlerOptions } from '../../src/http/index.js';
import type { UserManagement } from '../../src/index.js';

/**
 * An Express 5 app with tenantry's API mounted at `/api`. The bridge from
 * Node's request and response to a fetch `Request` and back is
 * `@hono/node-server`'s `getRequestListener`, which streams both bodies.
 * Mount it before any body parser: the handler reads the body itself.
 */
export function expressApp(um: UserManagement, options: FetchHandlerOptions = {}): Express {
  const app = express();
  const handle = createFetchHandler(um, { basePath: '/api', ...options });
  // The peer's address keys the per-client allowances of sign-in and resets (behind a proxy, set `clientIp`).
  const api = getRequestListener((request, env) => handle(request, { clientIp: env.incoming.socket.remoteAddress }));
  // app.all keeps req.url whole (app.use('/api') would strip the prefix the handler routes by).
  app.all('/api/{*rest}', (request, response) => api(request, response));
  app.get('/health', (_request, response) => {
    response.json({ ok: true });
  });
  return app;
}
