/**
 * What single sign-on needs around the demo, on this machine: Contoso's identity provider (oidc-provider, the
 * tests' helper, with its development login page) and a DNS server (dns2) that answers the domain checks. Both are
 * development stand-ins: a real portal talks to its customers' providers over HTTPS and asks the real DNS.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { UserManagement } from '../../src/index.js';
import { startDnsServer, type TestDnsServer } from '../../test/support/dns-server.js';
import { type OidcTestProvider, startOidcProvider } from '../../test/support/oidc-provider.js';
import { keptSecret } from './data-dir.js';
import { providerAccounts } from './seed-sso.js';

/** The demo's client at the provider. */
export const clientId = 'demo-portal';

/** The identity provider and the DNS server of a running demo. */
export interface DemoIdentity {
  /** The provider's issuer, `http://127.0.0.1:<port>`: the same on every start on the same data. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The issuer of the previous start when it could not have its port again (the connections follow it). */
  movedFrom: string | null;
  dns: TestDnsServer;
  /** Publishes a TXT record in the demo's DNS, and keeps it for the next start. */
  publish(name: string, value: string): Promise<void>;
  close(): Promise<void>;
}

type Zone = Record<string, string[]>;

async function readJson<T>(path: string, fallback: T): Promise<T> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return fallback;
  }
}

const portInUse = (error: unknown) => (error as NodeJS.ErrnoException).code === 'EADDRINUSE';

/**
 * Starts the DNS server and the provider. The provider's port is kept in the data directory (`oidc-provider.json`),
 * because the connection stored in the database names the issuer, port included: the first start takes the demo's
 * port + 1 (any free port when the demo's is picked by the system), later ones the same again. Only when that port
 * is taken does it move to a free one, and `movedFrom` says so. The provider sends browsers back to
 * `${demoUrl}/sso/callback`, whatever port the demo has this time.
 */
export async function startIdentity(options: {
  dataDir: string;
  demoUrl: string;
  demoPort: number;
}): Promise<DemoIdentity> {
  const { dataDir, demoUrl, demoPort } = options;
  const clientSecret = await keptSecret(dataDir, 'oidc-client-secret');
  const zonePath = join(dataDir, 'dns-zone.json');
  const zone = await readJson<Zone>(zonePath, {});
  const portPath = join(dataDir, 'oidc-provider.json');
  const kept = await readJson<{ port?: number } | null>(portPath, null);

  const dns = await startDnsServer();
  // The records published on earlier starts: the company's IT published them once, and DNS keeps them.
  for (const [name, values] of Object.entries(zone)) dns.setTxt(name, values);

  const start = (port: number) =>
    startOidcProvider({
      accounts: providerAccounts,
      clients: [{ clientId, clientSecret, redirectUris: [`${demoUrl}/sso/callback`] }],
      port,
    });
  const wanted = kept?.port ?? (demoPort === 0 || demoPort >= 65_535 ? 0 : demoPort + 1);
  let provider: OidcTestProvider;
  try {
    provider = await start(wanted).catch((error: unknown) => {
      if (wanted !== 0 && portInUse(error)) return start(0);
      throw error;
    });
  } catch (error) {
    await dns.close();
    throw error;
  }
  const port = Number(new URL(provider.issuer).port);
  const movedFrom = kept?.port && kept.port !== port ? `http://127.0.0.1:${kept.port}` : null;
  await writeFile(portPath, `${JSON.stringify({ port })}\n`);

  let writing = Promise.resolve();
  return {
    issuer: provider.issuer,
    clientId,
    clientSecret,
    movedFrom,
    dns,
    publish(name, value) {
      zone[name] = [value];
      dns.setTxt(name, [value]);
      // One write at a time, each of the whole zone; a failed one does not stop the next.
      writing = writing.catch(() => {}).then(() => writeFile(zonePath, `${JSON.stringify(zone, null, 2)}\n`));
      return writing;
    },
    async close() {
      await Promise.all([provider.close(), dns.close(), writing.catch(() => {})]);
    },
  };
}

/**
 * After a start: the records of every verified domain are in the DNS (so verifying one again finds it, even with
 * the zone file gone), and a connection to the provider's old address follows it to the new one.
 */
export async function reconcileIdentity(um: UserManagement, identity: DemoIdentity): Promise<void> {
  const operator = um.as({ type: 'operator' });
  for (const organization of await operator.organizations.list({})) {
    for (const claim of await operator.domains.list(organization.id)) {
      if (claim.status === 'verified')
        identity.dns.setTxt(claim.verification.recordName, [claim.verification.recordValue]);
    }
    if (!identity.movedFrom) continue;
    for (const connection of await operator.sso.list(organization.id)) {
      if (connection.issuer === identity.movedFrom) {
        await operator.sso.update(connection.id, { issuer: identity.issuer });
      }
    }
  }
}
