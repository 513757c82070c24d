/**
 * Contoso's single sign-on: the people its identity provider knows, and the first-run setup of its verified
 * domain and its connection.
 */
import type { UserManagement } from '../../src/index.js';
import type { OidcTestAccount } from '../../test/support/oidc-provider.js';

/** The domain of Contoso's seeded people, which the seed verifies. */
export const contosoDomain = 'contoso.example';

/** The group whose members become managers in the portal; everyone else starts as basic. */
export const editorsGroup = 'portal-editors';

/** The people of Contoso's provider the start-up message names. */
export const ssoAccounts = {
  /** Not a portal user yet, an editor: created at the first SSO sign-in as a manager. */
  newcomer: 'nora.new@contoso.example',
  /** Not a portal user yet, in no group: created as a basic user. */
  plainNewcomer: 'tom.taylor@contoso.example',
  /** A seeded portal user with a password: the first SSO sign-in links her account. */
  existingUser: 'aiko.suzuki@contoso.example',
} as const;

/**
 * Who signs in at Contoso's provider. Its development login page takes an account id and any password, so the id
 * is the address people would type.
 */
export const providerAccounts: OidcTestAccount[] = [
  { email: ssoAccounts.newcomer, givenName: 'Nora', familyName: 'New', groups: [editorsGroup] },
  { email: ssoAccounts.plainNewcomer, givenName: 'Tom', familyName: 'Taylor', groups: [] },
  { email: ssoAccounts.existingUser, givenName: 'Aiko', familyName: 'Suzuki', groups: [] },
].map((account) => ({ id: account.email, emailVerified: true, ...account }));

/** The provider side of Contoso's connection, and where its IT publishes DNS records. */
export interface ContosoIdentity {
  issuer: string;
  clientId: string;
  clientSecret: string;
  publish(name: string, value: string): Promise<void>;
}

/**
 * Verifies Contoso's domain through the demo's DNS, as its IT would (the claim, the TXT record, the check), and
 * connects Contoso to its provider: editors become managers, everyone else basic users. Runs as the operator,
 * after `seedDemo` made Contoso.
 */
export async function seedSso(um: UserManagement, identity: ContosoIdentity): Promise<void> {
  const operator = um.as({ type: 'operator' });
  const contoso = (await operator.organizations.list({})).find((organization) => organization.name === 'Contoso');
  if (!contoso) throw new Error('the seed made no Contoso');
  const claim = await operator.domains.add(contoso.id, contosoDomain);
  await identity.publish(claim.verification.recordName, claim.verification.recordValue);
  await operator.domains.verify(contoso.id, contosoDomain);
  await operator.sso.createConnection(
    contoso.id,
    {
      type: 'oidc',
      issuer: identity.issuer,
      clientId: identity.clientId,
      clientSecret: identity.clientSecret,
      scopes: ['openid', 'email', 'profile', 'groups'],
    },
    {
      name: 'Contoso sign-in (local OpenID provider)',
      roleMapping: { claim: 'groups', map: { [editorsGroup]: { roles: ['manager'], permissions: [] } } },
      defaultAccess: { roles: ['basic'], permissions: [] },
    },
  );
}
