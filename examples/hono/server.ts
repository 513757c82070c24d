/**
 * `tsx examples/hono/server.ts`: tenantry's API in a Hono app on Node, on
 * the in-memory adapter, with mail printed to the console. PORT sets the
 * port (default 3000).
 */
import { serve } from '@hono/node-server';
import { exampleInstallation } from '../example-installation.js';
import { honoApp } from './app.js';

const um = await exampleInstallation(Number(process.env.PORT ?? 3000));
// Plain HTTP on localhost: browsers keep Secure cookies only on https or localhost.
serve({ fetch: honoApp(um).fetch, port: Number(process.env.PORT ?? 3000), hostname: '127.0.0.1' }, (info) => {
  console.log(`tenantry API on http://localhost:${info.port}/api (OpenAPI: /api/openapi.json)`);
});
