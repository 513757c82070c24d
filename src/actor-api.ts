import type { z } from 'zod';
import { type AuditApi, auditApi } from './audit-api.js';
import type { Factor } from './flows/second-factors.js';
import type { SessionView } from './flows/sessions.js';
import { type MaintenanceApi, maintenanceApi } from './maintenance-api.js';
import { addDomain, listDomains, removeDomain } from './operations/domains/claims.js';
import { verifyDomain } from './operations/domains/verify.js';
import { getImport, listImports } from './operations/imports/read.js';
import { type ImportRunInput, importArguments, runImport } from './operations/imports/run.js';
import {
  type InviteByEmailResult,
  inviteByEmail,
  type inviteByEmailSchema,
} from './operations/invitations/invite-by-email.js';
import { createInvitationLink, sendInvitation } from './operations/invitations/send.js';
import type { Operation, OperationResult } from './operations/operation.js';
import {
  setAllowedRoles,
  setContactPerson,
  setFeatures,
  updateOrganization,
} from './operations/organizations/change.js';
import { createOrganization } from './operations/organizations/create.js';
import { getOrganization, listOrganizations } from './operations/organizations/read.js';
import { setSecurityPolicy } from './operations/organizations/security-policy.js';
import { forgetResource, resourceHolders } from './operations/resources/resources.js';
import { createCustomRole, deleteCustomRole, listPermissions, listRoles } from './operations/roles/roles.js';
import { setAccess } from './operations/users/access.js';
import { addUser } from './operations/users/add.js';
import { eraseUser } from './operations/users/erase.js';
import { resetFactors, userFactors } from './operations/users/factors.js';
import { listUsers } from './operations/users/list.js';
import { changeEmail, updateUser } from './operations/users/profile.js';
import { getUser, listUserSessions } from './operations/users/read.js';
import { resetPasswordAsAdmin } from './operations/users/reset-password.js';
import { grantResource, revokeResource, setResourceAccess } from './operations/users/resources.js';
import { invalidateSessions, revokeUserSession } from './operations/users/sessions.js';
import { disableUser, enableUser, setExpiry, unlockUser } from './operations/users/status.js';
import type { PermissionChoice } from './rules/availability.js';
import type { SecurityPolicyInput } from './schemas/factors.js';
import type {
  CreateOrganizationInput,
  ListOrganizationsInput,
  UpdateOrganizationInput,
} from './schemas/organizations.js';
import type { CustomRoleInput } from './schemas/roles-audit.js';
import type {
  AddUserInput,
  ForgetResourceInput,
  ListUsersInput,
  ResourceAccessInput,
  ResourceHoldersInput,
  SetAccessInput,
  UpdateUserInput,
} from './schemas/users.js';
import { type SsoApi, ssoApi } from './sso-api.js';
import type { Domain } from './sso-types.js';
import type { AssignableRole, ImportReport, Organization, UserView } from './types.js';

/** One page of a listing and the cursor of the next, or null at the end. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** `um.as(actor).organizations`. */
export interface OrganizationsApi {
  create(
    input: CreateOrganizationInput,
  ): Promise<{ organization: Organization; firstUser: UserView; invitationSent: boolean }>;
  get(id: string): Promise<Organization>;
  list(filter?: ListOrganizationsInput): Promise<Organization[]>;
  update(id: string, input: UpdateOrganizationInput): Promise<Organization>;
  setFeatures(id: string, features: string[]): Promise<Organization>;
  setAllowedRoles(id: string, roles: string[] | null): Promise<Organization>;
  setContactPerson(id: string, userId: string): Promise<Organization>;
  /** Whether its users need a second factor, and the grace period to enroll one (its admins or the operator). */
  setSecurityPolicy(id: string, policy: SecurityPolicyInput): Promise<Organization>;
}

/** `um.as(actor).users`. */
export interface UsersApi {
  add(input: AddUserInput): Promise<{ user: UserView; invitationSent: boolean }>;
  get(userId: string): Promise<UserView>;
  list(query: ListUsersInput): Promise<Page<UserView>>;
  update(userId: string, input: UpdateUserInput): Promise<UserView>;
  changeEmail(userId: string, email: string): Promise<UserView>;
  setAccess(userId: string, input: SetAccessInput): Promise<UserView>;
  disable(userId: string): Promise<UserView>;
  enable(userId: string): Promise<UserView>;
  unlock(userId: string): Promise<UserView>;
  setExpiry(userId: string, expiresAt: Date | string | null): Promise<UserView>;
  erase(userId: string): Promise<void>;
  /** Mails a reset link (`email`), or sets a temporary password that must be changed at the next sign-in. */
  resetPassword(userId: string, input: { mode: 'email' } | { mode: 'temporary'; password: string }): Promise<void>;
  /** Signs the user out everywhere. */
  invalidateSessions(userId: string): Promise<{ revoked: number }>;
  /** The user's live sessions (when, from where, with what), most recently used first: for themselves or an admin. */
  sessions(userId: string): Promise<SessionView[]>;
  /** Ends one of the user's sessions by its id, for themselves or an admin; `NOT_FOUND` when it is not live. */
  revokeSession(userId: string, sessionId: string): Promise<void>;
  /** The user's second factors, without secrets: for themselves or an admin. */
  factors(userId: string): Promise<Factor[]>;
  /** Removes every second factor and recovery code of the user, ends their sessions and mails them; never oneself. */
  resetFactors(userId: string): Promise<{ removed: number }>;
  /**
   * Replaces the user's access to one resource type: every resource
   * (`'all'`), none, or these ids. By whoever administers the user's
   * organization, or a member of it holding the type's `managedBy` permission.
   */
  setResourceAccess(userId: string, type: string, access: ResourceAccessInput): Promise<UserView>;
  /** Gives the user access to one resource. */
  grantResource(userId: string, type: string, resourceId: string): Promise<UserView>;
  /** Takes the user's access to one resource away (a holder of all of the type keeps all). */
  revokeResource(userId: string, type: string, resourceId: string): Promise<UserView>;
}

/** `um.as(actor).resources`: who holds a resource, and forgetting one the host app deleted. */
export interface ResourcesApi {
  /** The users with effective access to a resource (its id, or all of its type), a page at a time. */
  holders(query: ResourceHoldersInput): Promise<Page<UserView>>;
  /** Removes every grant of a resource the host app deleted; how many. */
  forget(resource: ForgetResourceInput): Promise<{ revoked: number }>;
}

/** `um.as(actor).invitations`. */
export interface InvitationsApi {
  /** Sends or resends the invitation (even when the user turned informational mail off); earlier links stop working. */
  send(userId: string): Promise<{ expiresAt: Date; sent: boolean }>;
  /** A fresh invitation link to hand over by hand; earlier links stop working. */
  createLink(userId: string): Promise<{ link: string; expiresAt: Date }>;
  /**
   * A pending user for every new address in the list, named after the
   * address, with the same roles and permissions, invited now (`send`, the
   * default) or later. Addresses of users already in the organization are
   * matched and left as they are; invalid ones and ones of other
   * organizations are rejected one by one without failing the rest.
   */
  inviteByEmail(input: InviteByEmailInput): Promise<InviteByEmailResult>;
}

/** Input of `invitations.inviteByEmail`. */
export type InviteByEmailInput = z.input<typeof inviteByEmailSchema>;

/** `um.as(actor).roles`. */
export interface RolesApi {
  list(organizationId: string): Promise<AssignableRole[]>;
  createCustom(organizationId: string, input: CustomRoleInput): Promise<AssignableRole>;
  deleteCustom(organizationId: string, key: string): Promise<void>;
}

/** `um.as(actor).permissions`. */
export interface PermissionsApi {
  /**
   * Every permission of the catalog as it stands for the organization:
   * whether the organization may have it and whether the actor may grant it
   * there, with its label and (transitive) requirements — what an access
   * editor needs to draw its checkboxes.
   */
  list(organizationId: string): Promise<PermissionChoice[]>;
}

export type { AuditApi, AuditExport } from './audit-api.js';

/** `um.as(actor).imports`: bulk onboarding from CSV, with its history. */
export interface ImportsApi {
  /**
   * Imports users from a CSV file (see `importTemplate()` for the columns)
   * into an organization the actor administers, or its sub-organizations
   * (the `organization` column). Existing users are skipped or updated
   * (`mode`); `dryRun` checks every row and writes nothing but the report;
   * `invite` mails invitations. Each bad row becomes an exception while the
   * good rows go in; a file that cannot be read imports nothing.
   */
  run(input: ImportRunInput): Promise<ImportReport>;
  /** The organization's import history, newest first. */
  list(organizationId: string): Promise<ImportReport[]>;
  get(importId: string): Promise<ImportReport>;
}

/**
 * `um.as(actor).domains`: the mail domains an organization claims and proves
 * with a DNS TXT record. By its administrators or the operator.
 */
export interface DomainsApi {
  /**
   * Claims a domain (`contoso.com`, normalized): pending, with the TXT record
   * to publish. `CONFLICT` when another organization verified it; public
   * mail domains are refused. A domain claimed already answers its claim.
   */
  add(organizationId: string, domain: string): Promise<Domain>;
  /**
   * Looks the TXT record up and marks the domain verified, or answers
   * `DOMAIN_UNVERIFIED` (`details.reason`) changing nothing; a verified
   * domain stays verified when a check fails. `CONFLICT` when another
   * organization verified it first.
   */
  verify(organizationId: string, domain: string): Promise<Domain>;
  /** The organization's claims, by domain. */
  list(organizationId: string): Promise<Domain[]>;
  /** Gives a claim up; `NOT_FOUND` when there is none. */
  remove(organizationId: string, domain: string): Promise<void>;
}

/** Everything an actor can do; every call checks their rights and is audited. */
export interface ActorApi {
  organizations: OrganizationsApi;
  users: UsersApi;
  invitations: InvitationsApi;
  roles: RolesApi;
  permissions: PermissionsApi;
  audit: AuditApi;
  imports: ImportsApi;
  resources: ResourcesApi;
  domains: DomainsApi;
  sso: SsoApi;
  /** Housekeeping: the operator only (`FORBIDDEN` for anyone else). */
  maintenance: MaintenanceApi;
}

/** Runs an operation for the actor the facade was made for. */
export type PerformAsActor = <Op extends Operation>(operation: Op, ...args: unknown[]) => Promise<OperationResult<Op>>;

/** `um.as(actor)` over the orchestrator: one line per operation. */
export function actorApi(perform: PerformAsActor): ActorApi {
  return {
    organizations: {
      create: (input) => perform(createOrganization, input),
      get: (id) => perform(getOrganization, id),
      list: (filter) => perform(listOrganizations, filter),
      update: (id, input) => perform(updateOrganization, id, input),
      setFeatures: (id, features) => perform(setFeatures, id, features),
      setSecurityPolicy: (id, policy) => perform(setSecurityPolicy, id, policy),
      setAllowedRoles: (id, roles) => perform(setAllowedRoles, id, roles),
      setContactPerson: (id, userId) => perform(setContactPerson, id, userId),
    },
    users: {
      add: (input) => perform(addUser, input),
      get: (userId) => perform(getUser, userId),
      list: (query) => perform(listUsers, query),
      update: (userId, input) => perform(updateUser, userId, input),
      changeEmail: (userId, email) => perform(changeEmail, userId, email),
      setAccess: (userId, input) => perform(setAccess, userId, input),
      disable: (userId) => perform(disableUser, userId),
      enable: (userId) => perform(enableUser, userId),
      unlock: (userId) => perform(unlockUser, userId),
      setExpiry: (userId, expiresAt) => perform(setExpiry, userId, expiresAt),
      erase: (userId) => perform(eraseUser, userId),
      resetPassword: (userId, input) => perform(resetPasswordAsAdmin, userId, input),
      invalidateSessions: (userId) => perform(invalidateSessions, userId),
      factors: (userId) => perform(userFactors, userId),
      resetFactors: (userId) => perform(resetFactors, userId),
      sessions: (userId) => perform(listUserSessions, userId),
      revokeSession: (userId, sessionId) => perform(revokeUserSession, userId, sessionId),
      setResourceAccess: (userId, type, access) => perform(setResourceAccess, userId, type, access),
      grantResource: (userId, type, resourceId) => perform(grantResource, userId, type, resourceId),
      revokeResource: (userId, type, resourceId) => perform(revokeResource, userId, type, resourceId),
    },
    invitations: {
      send: (userId) => perform(sendInvitation, userId),
      createLink: (userId) => perform(createInvitationLink, userId),
      inviteByEmail: (input) => perform(inviteByEmail, input),
    },
    roles: {
      list: (organizationId) => perform(listRoles, organizationId),
      createCustom: (organizationId, input) => perform(createCustomRole, organizationId, input),
      deleteCustom: (organizationId, key) => perform(deleteCustomRole, organizationId, key),
    },
    permissions: {
      list: (organizationId) => perform(listPermissions, organizationId),
    },
    audit: auditApi(perform),
    resources: {
      holders: (query) => perform(resourceHolders, query),
      forget: (resource) => perform(forgetResource, resource),
    },
    imports: {
      run: (input) => perform(runImport, ...importArguments(input)),
      list: (organizationId) => perform(listImports, organizationId),
      get: (importId) => perform(getImport, importId),
    },
    domains: {
      add: (organizationId, domain) => perform(addDomain, organizationId, domain),
      verify: (organizationId, domain) => perform(verifyDomain, organizationId, domain),
      list: (organizationId) => perform(listDomains, organizationId),
      remove: (organizationId, domain) => perform(removeDomain, organizationId, domain),
    },
    sso: ssoApi(perform),
    maintenance: maintenanceApi(perform),
  };
}
