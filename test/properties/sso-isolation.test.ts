import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { memoryStorage } from '../../adapters/memory/index.js';
import { type ProvenIdentity, signInWithIdentity } from '../../src/flows/sso-sign-in.js';
import type { User } from '../../src/index.js';
import { defineOperation } from '../../src/operations/operation.js';
import { startDnsServer, type TestDnsServer } from '../support/dns-server.js';
import { type SamlTestIdp, startSamlIdp } from '../support/saml-idp.js';
import { makeTenantry } from '../support/tenantry.js';

const domains = ['contoso.test', 'fabrikam.test'] as const;
const companies = ['Contoso', 'Fabrikam'] as const;

/** One step an admin of some company, or a provider asserting anything, may take. */
type Step =
  | { call: 'claim'; company: number; domain: number }
  | { call: 'verify'; company: number; domain: number }
  | { call: 'remove'; company: number; domain: number }
  | { call: 'connect'; company: number }
  | { call: 'add-user'; company: number; domain: number; local: number }
  | { call: 'sso'; connection: number; subject: number; domain: number; local: number; verified: boolean | null };

const small = (max: number) => fc.nat({ max });
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ call: fc.constant('claim'), company: small(1), domain: small(1) }) },
  { weight: 4, arbitrary: fc.record({ call: fc.constant('verify'), company: small(1), domain: small(1) }) },
  { weight: 1, arbitrary: fc.record({ call: fc.constant('remove'), company: small(1), domain: small(1) }) },
  { weight: 2, arbitrary: fc.record({ call: fc.constant('connect'), company: small(1) }) },
  {
    weight: 2,
    arbitrary: fc.record({ call: fc.constant('add-user'), company: small(1), domain: small(1), local: small(1) }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      call: fc.constant('sso'),
      connection: small(5),
      subject: small(3),
      domain: small(1),
      local: small(1),
      verified: fc.constantFrom(true, false, null),
    }),
  },
) as fc.Arbitrary<Step>;

/** Where every run starts: Contoso has proven its domain and connected its provider; anything may follow. */
const prelude: Step[] = [
  { call: 'claim', company: 0, domain: 0 },
  { call: 'verify', company: 0, domain: 0 },
  { call: 'connect', company: 0 },
];

/** The sign-in after the provider's proof, as `completeSso` runs it, with whatever a provider may assert. */
const ssoSignIn = defineOperation({
  name: 'test.ssoSignIn',
  input: z.tuple([z.string(), z.custom<ProvenIdentity>()]),
  async run(unit, [connectionId, identity]) {
    const connection = await unit.tx.ssoConnections.get(connectionId);
    if (!connection) throw new Error('no such connection');
    return signInWithIdentity(unit, connection, identity, {});
  },
});

describe('SSO never crosses companies, whatever the order of claims, connections and sign-ins', () => {
  let dns: TestDnsServer;
  let idp: SamlTestIdp;
  beforeAll(async () => {
    [dns, idp] = await Promise.all([startDnsServer(), startSamlIdp()]);
  });
  afterAll(() => Promise.all([dns?.close(), idp?.close()]));

  it('creates, links and signs in only users of the connection’s company, in its verified domains', async () => {
    let signedIn = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 10, maxLength: 40 }).map((steps): Step[] => [...prelude, ...steps]),
        async (steps) => {
          dns.clear();
          const t = await makeTenantry(memoryStorage, { dns: dns.resolver() });
          const orgs = [];
          for (const name of companies) {
            const created = await t.operator.organizations.create({
              name,
              firstUser: { email: `admin@${name.toLowerCase()}.example`, firstName: 'A', lastName: name },
            });
            orgs.push(created.organization.id);
          }
          const connections: { id: string; organizationId: string }[] = [];
          const published = new Map<string, string[]>();
          const homeOf = new Map<string, string>();
          const remember = (user: Pick<User, 'id' | 'organizationId'>) => {
            const home = homeOf.get(user.id);
            if (home !== undefined) expect(user.organizationId, 'a user never changes company').toBe(home);
            homeOf.set(user.id, user.organizationId);
          };
          for (const next of steps) {
            const attempt = (async () => {
              const org = orgs[next.call === 'sso' ? 0 : next.company] as string;
              switch (next.call) {
                case 'claim': {
                  // Each company publishes its own record: the name holds every claimant's value.
                  const claim = await t.operator.domains.add(org, domains[next.domain] as string);
                  const values = published.get(claim.verification.recordName) ?? [];
                  published.set(claim.verification.recordName, [...values, claim.verification.recordValue]);
                  dns.setTxt(claim.verification.recordName, published.get(claim.verification.recordName) ?? []);
                  return;
                }
                case 'verify':
                  return void (await t.operator.domains.verify(org, domains[next.domain] as string));
                case 'remove':
                  return t.operator.domains.remove(org, domains[next.domain] as string);
                case 'connect': {
                  const connection = await t.operator.sso.createConnection(org, {
                    type: 'saml',
                    idpMetadataXml: idp.metadataXml,
                  });
                  connections.push({ id: connection.id, organizationId: connection.organizationId });
                  return;
                }
                case 'add-user': {
                  const email = `user${next.local}@${domains[next.domain]}`;
                  const { user } = await t.operator.users.add({
                    organizationId: org,
                    email,
                    firstName: 'U',
                    lastName: 'X',
                  });
                  return remember(user);
                }
                case 'sso': {
                  const connection = connections[next.connection % Math.max(connections.length, 1)];
                  if (!connection) return;
                  const email = `user${next.local}@${domains[next.domain]}`;
                  const verifiedNow = (await t.operator.domains.list(connection.organizationId))
                    .filter((claim) => claim.status === 'verified')
                    .map((claim) => claim.domain);
                  const identity: ProvenIdentity = {
                    subject: `subject-${next.subject}`,
                    email,
                    emailVerified: next.verified,
                    givenName: 'S',
                    familyName: 'O',
                    claims: {},
                    usedSecondFactor: true,
                  };
                  const result = await t.um.perform({ type: 'system' }, ssoSignIn, [connection.id, identity]);
                  expect(result.user.organizationId, 'signed into the connection’s company only').toBe(
                    connection.organizationId,
                  );
                  expect(verifiedNow, 'through a verified domain of that company').toContain(domains[next.domain]);
                  expect(next.verified).not.toBe(false);
                  signedIn += 1;
                  return remember(result.user);
                }
              }
            })();
            await attempt.catch((error: unknown) => {
              if (!(error instanceof Error) || error.name !== 'TenantryError') throw error;
            });
          }
          // Whoever exists now lives where they were made.
          for (const [userId, home] of homeOf) {
            expect((await t.operator.users.get(userId)).organizationId).toBe(home);
          }
        },
      ),
      { numRuns: 60 },
    );
    // The runs reached sign-ins, not only refusals.
    expect(signedIn).toBeGreaterThan(50);
  }, 180_000);
});
