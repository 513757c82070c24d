/**
 * `tsx examples/hono/server.ts`: tenantry's API in a Hono app on Node, on
 * the in-memory adapter, with mail printed to the console. PORT sets the
 * port (default 3000).
 */
import { serve } from '@hono/node-server';
import { memoryStorage } from '../../adapters/memory/index.js';
import { type Mailer, UserManagement } from '../../src/index.js';
import { permissions, roles } from '../quickstart/catalog.js';
import { honoApp } from './app.js';

const port = Number(process.env.PORT ?? 3000);
const consoleMailer: Mailer = {
  async send(message) {
    console.log(`mail to ${message.to}: ${message.subject}${message.link ? `\n  ${message.link}` : ''}`);
  },
};
const um = new UserManagement({
  storage: memoryStorage(),
  mailer: consoleMailer,
  permissions,
  roles,
  links: { baseUrl: `http://localhost:${port}` },
});
const { firstUser } = await um.as({ type: 'operator' }).organizations.create({
  name: 'Acme',
  firstUser: { email: 'ada@acme.example', firstName: 'Ada', lastName: 'Lovelace' },
});
console.log(`Acme's first admin is ${firstUser.email}; accept the invitation above to set a password.`);
// Plain HTTP on localhost: browsers keep Secure cookies only on https or localhost.
serve({ fetch: honoApp(um).fetch, port, hostname: '127.0.0.1' }, (info) => {
  console.log(`tenantry API on http://localhost:${info.port}/api (OpenAPI: /api/openapi.json)`);
});
