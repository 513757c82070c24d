import type { Storage } from '../../src/index.js';
import { startDnsServer, type TestDnsServer } from '../support/dns-server.js';
import { type OidcTestProvider, startOidcProvider } from '../support/oidc-provider.js';
import { type SamlTestIdp, startSamlIdp } from '../support/saml-idp.js';
import { type MakeStorage, makeTenantry, person } from '../support/tenantry.js';

export const baseUrl = 'https://portal.example.test';
export const clientId = 'portal';
export const clientSecret = 'a client secret only the portal and the provider know';
const encryptionKeys = [{ id: 'k1', key: new Uint8Array(32).fill(7) }];

/** The people the test provider signs in: Contoso's, and one whose address is another company's. */
export const accounts = [
  { id: 'cleo', email: 'cleo@contoso.test', givenName: 'Cleo', familyName: 'New', groups: ['portal-editors'] },
  { id: 'dan', email: 'dan@contoso.test', givenName: 'Dan', familyName: 'Plain', groups: [] },
  { id: 'bob', email: 'bob@contoso.test', givenName: 'Robert', familyName: 'Member', groups: ['portal-editors'] },
  { id: 'ann', email: 'ann@contoso.test', givenName: 'Ann', familyName: 'Admin', groups: [], amr: ['pwd', 'mfa'] },
  { id: 'eve', email: 'eve@contoso.test', givenName: 'Eve', familyName: 'Elsewhere', groups: [] },
  { id: 'mallory', email: 'mallory@fabrikam.test', givenName: 'Mallory', familyName: 'M', groups: [] },
  { id: 'unverified', email: 'una@contoso.test', givenName: 'Una', familyName: 'U', emailVerified: false },
];

/** The providers and the DNS server of a suite: started once, shared by its tests. */
export interface SsoWorld {
  dns: TestDnsServer;
  oidc: OidcTestProvider;
  saml: SamlTestIdp;
}

export async function startSsoWorld(): Promise<SsoWorld> {
  const [dns, oidc, saml] = await Promise.all([
    startDnsServer(),
    startOidcProvider({
      accounts: accounts.map((account) => ({ emailVerified: true, ...account })),
      clients: [{ clientId, clientSecret, redirectUris: [`${baseUrl}/sso/callback`] }],
    }),
    startSamlIdp(),
  ]);
  return { dns, oidc, saml };
}

export async function stopSsoWorld(world: SsoWorld | undefined): Promise<void> {
  await Promise.all([world?.dns.close(), world?.oidc.close(), world?.saml.close()]);
}

/**
 * Contoso with Ann, its admin, and Bob, invited; Fabrikam with Eve, whose
 * address is in Contoso's domain (made before Contoso verified it); Contoso's
 * domain verified through the test DNS server.
 */
export async function ssoCompany(makeStorage: MakeStorage, world: SsoWorld) {
  const t = await makeTenantry(makeStorage, {
    encryptionKeys,
    dns: world.dns.resolver(),
    sso: { allowInsecureLoopback: true },
    links: { baseUrl },
  });
  const contoso = await t.operator.organizations.create({
    name: 'Contoso',
    firstUser: { email: 'ann@contoso.test', firstName: 'Ann', lastName: 'Admin' },
  });
  const fabrikam = await t.operator.organizations.create({
    name: 'Fabrikam',
    firstUser: person('Fay', 'Fabrikam', 'fabrikam.test'),
  });
  const ann = t.as(contoso.firstUser.id);
  const { user: bob } = await ann.users.add({
    organizationId: contoso.organization.id,
    email: 'bob@contoso.test',
    firstName: 'Bob',
    lastName: 'Member',
    roles: ['basic'],
  });
  const { user: eve } = await t.as(fabrikam.firstUser.id).users.add({
    organizationId: fabrikam.organization.id,
    email: 'eve@contoso.test',
    firstName: 'Eve',
    lastName: 'Elsewhere',
  });
  const claim = await ann.domains.add(contoso.organization.id, 'contoso.test');
  world.dns.setTxt(claim.verification.recordName, [claim.verification.recordValue]);
  await ann.domains.verify(contoso.organization.id, 'contoso.test');
  return { ...t, contoso, fabrikam, ann, bob, eve, storage: t.storage as Storage };
}

/** Contoso's OIDC connection: editors get the advanced role, everyone else the basic one. */
export function oidcConnection(company: Awaited<ReturnType<typeof ssoCompany>>, world: SsoWorld) {
  return company.ann.sso.createConnection(
    company.contoso.organization.id,
    {
      type: 'oidc',
      issuer: world.oidc.issuer,
      clientId,
      clientSecret,
      scopes: ['openid', 'email', 'profile', 'groups'],
    },
    {
      name: 'Contoso Entra ID',
      roleMapping: { claim: 'groups', map: { 'portal-editors': { roles: ['advanced'], permissions: [] } } },
      defaultAccess: { roles: ['basic'], permissions: [] },
    },
  );
}

/** What storage holds for Contoso and Fabrikam, but the audit trail: a failed attempt must leave it as it was. */
export async function footprint(company: Awaited<ReturnType<typeof ssoCompany>>) {
  const everyone = { status: ['pending', 'active', 'disabled'] as ('pending' | 'active' | 'disabled')[] };
  const users = async (organizationId: string) =>
    (await company.operator.users.list({ organizationId, ...everyone, limit: 200 })).items.map((user) => ({
      id: user.id,
      email: user.email,
      status: user.status,
      roles: user.roles,
      name: `${user.firstName} ${user.lastName}`,
    }));
  const all = [...(await users(company.contoso.organization.id)), ...(await users(company.fabrikam.organization.id))];
  const sessions = [];
  for (const user of all) sessions.push(...(await company.operator.users.sessions(user.id)));
  return { users: all, sessions: sessions.length };
}
