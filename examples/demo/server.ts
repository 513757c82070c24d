/**
 * `npm start`: the demo portal on http://localhost:3000, tenantry on PGlite
 * persisted under `.data/demo/` (`TENANTRY_DEMO_DATA` moves it), seeded on the
 * first run. `PORT` and `HOST` (default 127.0.0.1) set where it listens.
 * Beside it, on loopback: Contoso's OpenID provider (port + 1) and a DNS server.
 */
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { serve } from '@hono/node-server';
import { postgresStorage } from '../../adapters/postgres/index.js';
import { UserManagement } from '../../src/index.js';
import { permissions, roles } from '../quickstart/catalog.js';
import { demoApp } from './app.js';
import { defaultDataDir, ensureDataDir, keptSecret } from './data-dir.js';
import { fields, resources } from './estate.js';
import { type DemoIdentity, reconcileIdentity, startIdentity } from './identity.js';
import { fileOutbox } from './outbox.js';
import { isEmpty, seedDemo } from './seed.js';
import { demoAccounts, demoPassword } from './seed-people.js';
import { providerAccounts, seedSso, ssoAccounts } from './seed-sso.js';

/** Where the demo keeps its data and where it listens. */
export interface DemoOptions {
  /** Default: `TENANTRY_DEMO_DATA`, else `.data/demo/` in the project. */
  dataDir?: string;
  /** Default: `PORT`, else 3000; 0 picks a free port. Contoso's provider takes the next one (see `identity.ts`). */
  port?: number;
  /** Default: `HOST`, else 127.0.0.1. */
  host?: string;
}

/** A running demo. */
export interface RunningDemo {
  /** `http://localhost:<port>`: open it by this name, where browsers keep the Secure session cookie. */
  url: string;
  dataDir: string;
  /** Whether this start seeded the database (only the first start on an empty one does). */
  seeded: boolean;
  /** The local operator key (demo only): send it as `x-demo-operator` to act as the operator. */
  operatorKey: string;
  /** Contoso's OpenID provider, on loopback: the same on every start on the same data. */
  oidcIssuer: string;
  /** The demo's DNS server (the domain checks ask it), and publishing in it as the demo page's button does. */
  identity: DemoIdentity;
  um: UserManagement;
  close(): Promise<void>;
}

/** Starts the demo: opens (and on first run seeds) the database, then serves the portal. */
export async function startDemo(options: DemoOptions = {}): Promise<RunningDemo> {
  const dataDir = resolve(options.dataDir ?? process.env.TENANTRY_DEMO_DATA ?? defaultDataDir);
  const port = options.port ?? Number(process.env.PORT ?? 3000);
  const host = options.host ?? process.env.HOST ?? '127.0.0.1';
  await ensureDataDir(dataDir);
  const cursorSecret = await keptSecret(dataDir, 'cursor-secret');
  const operatorKey = await keptSecret(dataDir, 'operator-key');
  // Seals the authenticator apps' secrets in the database: it belongs with the database (without it, no TOTP
  // factor stored under it opens), and never in git.
  const encryptionKey = await keptSecret(dataDir, 'encryption-key');
  const client = new PGlite(join(dataDir, 'pglite'), { extensions: { pg_trgm } });
  const storage = postgresStorage({ client });
  await storage.migrate();
  const outbox = await fileOutbox(join(dataDir, 'outbox.jsonl'));

  // Listen first: mailed links need the port, which may be picked by the system.
  let handle: (request: Request, env: unknown) => Response | Promise<Response> = () =>
    new Response('The demo is starting', { status: 503, headers: { 'retry-after': '1' } });
  // The bindings (the Node request and response) travel on, for the peer's address.
  const server = serve({ fetch: (request, env) => handle(request, env), port, hostname: host }) as Server;
  try {
    await Promise.race([once(server, 'listening'), once(server, 'error').then(([error]) => Promise.reject(error))]);
  } catch (error) {
    await client.close();
    throw error;
  }
  const url = `http://localhost:${(server.address() as AddressInfo).port}`;
  let identity: DemoIdentity | undefined;
  const close = async () => {
    await new Promise<void>((done) => {
      server.close(() => done());
      server.closeAllConnections();
    });
    await identity?.close();
    if (!client.closed) await client.close();
  };

  try {
    // The provider sends browsers back to this very address, so it starts once the port is known.
    identity = await startIdentity({ dataDir, demoUrl: url, demoPort: port });
    const um = new UserManagement({
      storage,
      mailer: outbox,
      permissions,
      roles,
      resources,
      fields,
      links: { baseUrl: url },
      cursorSecret,
      encryptionKeys: [{ id: 'demo-1', key: encryptionKey }],
      // Domains are proven in the demo's own DNS; Contoso's provider speaks plain HTTP on loopback (development only).
      dns: identity.dns.resolver(),
      sso: { allowInsecureLoopback: true },
      policy: {
        requireTermsAcceptance: true,
        // Passkeys are bound to the name the page is opened by (localhost) and to its origin, port included.
        mfa: { issuer: 'Demo Portal', webauthn: { rpId: 'localhost', rpName: 'Demo Portal', origins: [url] } },
      },
    });
    const seeded = await isEmpty(um);
    if (seeded) {
      await seedDemo(um);
      await seedSso(um, identity);
    }
    await reconcileIdentity(um, identity);
    const app = demoApp(um, { outbox, operatorKey, identity });
    handle = (request, env) => app.fetch(request, env);
    return { url, dataDir, seeded, operatorKey, oidcIssuer: identity.issuer, identity, um, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** What becomes of a provider's account at its first SSO sign-in. */
function ssoNote(email: string, groups: readonly string[] = []): string {
  const access = groups.length > 0 ? `manager (${groups.join(', ')})` : 'basic';
  return email === ssoAccounts.existingUser
    ? 'already a portal user: linked at the first SSO sign-in'
    : `not a portal user yet: created at the first SSO sign-in, ${access}`;
}

/** The start-up message: where to go and how to sign in. */
export function welcome(demo: RunningDemo): string {
  return [
    '',
    `tenantry demo portal: ${demo.url}`,
    `  data in ${demo.dataDir}${demo.seeded ? ' (seeded just now)' : ''}; delete it to start over`,
    '',
    `Sign in with the password "${demoPassword}" as`,
    `  ${demoAccounts.companyAdmin.padEnd(34)} company admin of Contoso`,
    `  ${demoAccounts.dataEstateAdmin.padEnd(34)} data estate admin of Contoso: gives access to instances`,
    `  ${demoAccounts.customerManager.padEnd(34)} customer manager at Northwind Partners (Contoso, Fabrikam)`,
    `  ${demoAccounts.partnerAdmin.padEnd(34)} company admin of Northwind Partners`,
    `  ${demoAccounts.mustChangePassword.padEnd(34)} must choose a new password at sign-in`,
    "Contoso's admins must set up a second factor within 14 days: My account, authenticator app or passkey.",
    '',
    `Single sign-on: contoso.example signs in at Contoso's OpenID provider, ${demo.oidcIssuer} (demo only:`,
    '  any password there). Type one of these addresses on the sign-in page and choose "Sign in with Contoso SSO":',
    ...providerAccounts.map((account) => `  ${account.email.padEnd(34)} ${ssoNote(account.email, account.groups)}`),
    '',
    `Outbox (every mail the portal sends): ${demo.url}/dev/outbox`,
    `API: ${demo.url}/api (OpenAPI document: ${demo.url}/api/openapi.json)`,
    'Operator, demo only (a local key instead of a staff login):',
    `  curl -H 'x-demo-operator: ${demo.operatorKey}' ${demo.url}/api/organizations`,
    '',
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  console.log('Starting the tenantry demo…');
  const demo = await startDemo();
  console.log(welcome(demo));
  const stop = () => {
    demo.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
