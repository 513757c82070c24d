/**
 * The demo app's own things: the jobs, instances and projects it names (tenantry stores only their ids, and who
 * may open which), the users' profile fields, and what the signed-in user may change in an organization, decided
 * with tenantry's rules so the page offers only what the API would allow.
 */
import { defineResources, defineUserFields, type Organization, type UserManagement } from '../../src/index.js';
import {
  type ActorFacts,
  checkResourceAccessChange,
  isResourceTypeAvailable,
  managesResources,
  organizationAccess,
  userReadAccess,
} from '../../src/rules/index.js';
import { permissions } from '../quickstart/catalog.js';

/** The resource types: a data estate admin (`instances.manage`) gives access to instances; admins to anything. */
export const resources = defineResources(permissions, {
  job: { label: 'Jobs' },
  instance: { label: 'Instances', managedBy: 'instances.manage' },
  project: { label: 'Projects', feature: 'projects' },
});

/** The profile fields: only the user changes their picture and signature. */
export const fields = defineUserFields({
  picture: { label: 'Picture', type: 'url', editableBy: 'self' },
  signature: { label: 'Signature', maxLength: 2000, editableBy: 'self' },
});

/** A resource of the demo app: its id (what tenantry stores) and its name (what people read, a job's number included). */
export interface DemoResource {
  id: string;
  name: string;
}

/**
 * The demo's fixed catalog, the same for every organization (a real app lists each company's own). Projects
 * count only where the operator licensed the feature `projects`.
 */
export const catalog: Readonly<Record<string, readonly DemoResource[]>> = {
  job: [
    { id: 'J-1001', name: 'J-1001 Quarterly close' },
    { id: 'J-1002', name: 'J-1002 Payroll run' },
    { id: 'J-1003', name: 'J-1003 Inventory sync' },
    { id: 'J-1004', name: 'J-1004 Customer export' },
    { id: 'J-1005', name: 'J-1005 Nightly backup check' },
  ],
  instance: [
    { id: 'prod-eu', name: 'Production EU' },
    { id: 'prod-us', name: 'Production US' },
    { id: 'staging', name: 'Staging' },
    { id: 'dev', name: 'Development' },
  ],
  project: [
    { id: 'P-01', name: 'Data warehouse migration' },
    { id: 'P-02', name: 'Reporting revamp' },
  ],
};

/** What the page asks before it draws an organization's users. */
export interface Estate {
  /** Whether the signed-in user administers the organization: every change of its users. */
  administers: boolean;
  /** Whether they may read its users: administrators, and members who manage some resource type there. */
  readsUsers: boolean;
  /** Every type of the catalog, whether the organization has it now, and whether they may give access to it. */
  types: {
    key: string;
    label: string;
    /** The permission whose holders give access to it, besides the organization's administrators. */
    managedBy: string;
    available: boolean;
    changeable: boolean;
    resources: readonly DemoResource[];
  }[];
  fields: { key: string; label: string; type: string; editableBy: string }[];
}

/** The organization, then its ancestors up to the root, as the rules want them (read by the app, as the operator). */
async function chainOf(um: UserManagement, organization: Organization): Promise<Organization[]> {
  const chain = [organization];
  for (let parentId = organization.parentId; parentId; ) {
    const parent = await um.as({ type: 'operator' }).organizations.get(parentId);
    chain.push(parent);
    parentId = parent.parentId;
  }
  return chain;
}

/** The estate of one organization for the user of a session: `SESSION_INVALID`, or `NOT_FOUND` out of their sight. */
export async function estateOf(um: UserManagement, sessionToken: string, organizationId: string): Promise<Estate> {
  const session = await um.auth.validateSession(sessionToken);
  const organization = await um.as(session.actor).organizations.get(organizationId);
  const facts: ActorFacts = {
    type: 'user',
    userId: session.user.id,
    organizationId: session.user.organizationId,
    permissions: new Set(session.permissions),
  };
  const access = organizationAccess(facts, await chainOf(um, organization));
  const manages = managesResources(facts, access, resources, organization);
  return {
    administers: access === 'administer',
    // Asked for a colleague: nobody reads or changes their own access here (the page leaves it read-only).
    readsUsers: userReadAccess(facts, '', access, manages).ok,
    types: [...resources.types.values()].map((type) => ({
      key: type.key,
      label: type.label,
      managedBy: type.managedBy,
      available: isResourceTypeAvailable(type, organization),
      changeable: checkResourceAccessChange({
        actor: facts,
        access,
        targetUserId: '',
        catalog: resources,
        typeKey: type.key,
        organization,
      }).ok,
      resources: catalog[type.key] ?? [],
    })),
    fields: [...fields.fields.values()].map(({ key, label, type, editableBy }) => ({ key, label, type, editableBy })),
  };
}
