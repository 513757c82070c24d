import { isTenantryError, type Organization, type UserManagement, type UserView } from '../../src/index.js';
import {
  addressOf,
  contosoPeople,
  demoAccounts,
  demoPassword,
  fabrikamPeople,
  northwindPeople,
  pictureOf,
  type SeedPerson,
} from './seed-people.js';

/** True when the database holds no organization yet. */
export async function isEmpty(um: UserManagement): Promise<boolean> {
  return (await um.as({ type: 'operator' }).organizations.list({})).length === 0;
}

/** Activates a pending user as they would from their invitation mail, with the demo password. */
async function activateWithDemoPassword(um: UserManagement, user: UserView): Promise<void> {
  const { link } = await um.as({ type: 'operator' }).invitations.createLink(user.id);
  const token = new URL(link).searchParams.get('token') as string;
  await um.auth.acceptInvitation({ token, password: demoPassword, acceptTerms: true });
}

/** A CSV cell, quoted when it must be. */
function cell(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** The import file for `people`, as a spreadsheet would export it. */
function importFile(people: SeedPerson[], domain: string, subOrganizations: Record<string, string>): string {
  const header = 'email,first_name,last_name,roles,permissions,organization,expires_at,can_sign_in';
  const rows = people.map((person) => {
    const expires = person.expiresInDays ? new Date(Date.now() + person.expiresInDays * 86_400_000) : null;
    return [
      addressOf(person.first, person.last, person.in ? `${person.in}.${domain}` : domain),
      person.first,
      person.last,
      (person.roles ?? []).join(' | '),
      (person.permissions ?? []).join(' | '),
      person.in ? (subOrganizations[person.in] ?? '') : '',
      expires ? expires.toISOString() : '',
      person.state === 'contact' ? 'false' : 'true',
    ]
      .map(cell)
      .join(',');
  });
  return `${header}\r\n${rows.join('\r\n')}\r\n`;
}

/**
 * Fills an empty installation: a partner with a customer manager, two
 * customers of it, a sub-organization, and people in every status; Contoso
 * requires a second factor of its admins, after a grace period. Everything
 * runs as the operator; accounts are activated through invitation links with
 * the demo password.
 */
export async function seedDemo(um: UserManagement): Promise<void> {
  const operator = um.as({ type: 'operator' });
  const activate = (user: UserView) => activateWithDemoPassword(um, user);
  const firstUser = (email: string) => {
    const [first = '', last = ''] = email.split('@')[0]?.split('.') ?? [];
    const title = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);
    return { email, firstName: title(first), lastName: title(last), invite: false };
  };

  const northwind = await operator.organizations.create({
    name: 'Northwind Partners',
    kind: 'partner',
    firstUser: firstUser(demoAccounts.partnerAdmin),
  });
  await activate(northwind.firstUser);
  const { user: mike } = await operator.users.add({
    organizationId: northwind.organization.id,
    ...firstUser(demoAccounts.customerManager),
    roles: ['basic'],
    permissions: ['customers.manage'],
  });
  await activate(mike);

  const contoso = await operator.organizations.create({
    name: 'Contoso',
    partnerId: northwind.organization.id,
    features: ['data-estate'],
    attributes: { version: 20 },
    profile: { website: 'https://contoso.example' },
    firstUser: { ...firstUser(demoAccounts.companyAdmin), firstName: 'Carla', lastName: 'Díaz' },
  });
  await activate(contoso.firstUser);
  const research = await operator.organizations.create({
    name: 'Contoso Research',
    parentId: contoso.organization.id,
    firstUser: firstUser('rita.rao@research.contoso.example'),
  });
  await activate(research.firstUser);
  const fabrikam = await operator.organizations.create({
    name: 'Fabrikam',
    partnerId: northwind.organization.id,
    allowedRoles: ['basic'],
    firstUser: firstUser('felix.ford@fabrikam.example'),
  });
  await activate(fabrikam.firstUser);

  await importPeople(um, contoso.organization, contosoPeople, 'contoso.example', {
    research: research.organization.id,
  });
  await importPeople(um, fabrikam.organization, fabrikamPeople, 'fabrikam.example', {});
  await importPeople(um, northwind.organization, northwindPeople, 'northwind.example', {});

  // Contoso asks its admins (and Contoso Research's, held to its parent's policy) for a second factor; for two
  // weeks they still sign in without one, and the portal reminds them.
  await operator.organizations.setSecurityPolicy(contoso.organization.id, {
    mfa: 'required-for-admins',
    enrollmentGraceDays: 14,
  });
}

/** Imports `people` into `organization`, then brings each into their state. */
async function importPeople(
  um: UserManagement,
  organization: Organization,
  people: SeedPerson[],
  domain: string,
  subOrganizations: Record<string, string>,
): Promise<void> {
  const operator = um.as({ type: 'operator' });
  const report = await operator.imports.run({
    organizationId: organization.id,
    csv: importFile(people, domain, subOrganizations),
    invite: false,
  });
  if (report.failed > 0) throw new Error(`the seed import failed: ${JSON.stringify(report.exceptions)}`);
  const byEmail = new Map<string, UserView>();
  for (const organizationId of [organization.id, ...Object.values(subOrganizations)]) {
    const page = await operator.users.list({ organizationId, status: ['pending', 'active', 'disabled'], limit: 200 });
    for (const user of page.items) byEmail.set(user.email, user);
  }
  for (const person of people) {
    const email = addressOf(person.first, person.last, person.in ? `${person.in}.${domain}` : domain);
    const user = byEmail.get(email);
    if (!user) throw new Error(`the seed import lost ${email}`);
    await bringToState(um, user, person);
    await giveProfileAndAccess(um, user, person);
  }
}

/** The person's picture and signature, set by themselves (only they may), and their access, given by the operator. */
async function giveProfileAndAccess(um: UserManagement, user: UserView, person: SeedPerson): Promise<void> {
  if (person.profile) {
    const { picture, signature } = person.profile;
    await um.as({ type: 'user', userId: user.id }).users.update(user.id, {
      fields: { ...(picture ? { picture: pictureOf(user.email) } : {}), ...(signature ? { signature } : {}) },
    });
  }
  const operator = um.as({ type: 'operator' });
  for (const [type, access] of Object.entries(person.access ?? {})) {
    await operator.users.setResourceAccess(user.id, type, access === 'all' ? 'all' : { ids: access });
  }
}

async function bringToState(um: UserManagement, user: UserView, person: SeedPerson): Promise<void> {
  const operator = um.as({ type: 'operator' });
  const activate = () => activateWithDemoPassword(um, user);
  switch (person.state) {
    case 'active':
      return activate();
    case 'invited':
      await operator.invitations.send(user.id);
      return;
    case 'disabled':
      await activate();
      await operator.users.disable(user.id);
      return;
    case 'disabled-pending':
      await operator.users.disable(user.id);
      return;
    case 'locked':
      await activate();
      for (let attempt = 0; attempt < um.policy.lockout.maxAttempts; attempt++) {
        await um.auth.signIn({ email: user.email, password: 'not the demo passphrase' }).catch((error: unknown) => {
          if (!isTenantryError(error)) throw error;
        });
      }
      return;
    case 'temporary-password':
      await activate();
      await operator.users.resetPassword(user.id, { mode: 'temporary', password: demoPassword });
      return;
    default:
      return;
  }
}
