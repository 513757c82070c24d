/**
 * `tsx examples/express/server.ts`: tenantry's API in an Express 5 app, on
 * the in-memory adapter, with mail printed to the console. PORT sets the
 * port (default 3000).
 */
import type { AddressInfo } from 'node:net';
import { exampleInstallation } from '../example-installation.js';
import { expressApp } from './app.js';

const um = await exampleInstallation(Number(process.env.PORT ?? 3000));
const server = expressApp(um).listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  console.log(`tenantry API on http://localhost:${port}/api (OpenAPI: /api/openapi.json)`);
});
