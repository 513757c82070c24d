import type { z } from 'zod';
import type { ImportRunInput } from './flows/imports.js';
import type { InviteByEmailResult, inviteByEmailSchema } from './flows/invite-by-email.js';
import type { SessionView } from './flows/sessions.js';
import type { PermissionChoice } from './rules/availability.js';
import type {
  CreateOrganizationInput,
  ListOrganizationsInput,
  UpdateOrganizationInput,
} from './schemas/organizations.js';
import type { CustomRoleInput, ListAuditInput } from './schemas/roles-audit.js';
import type { AddUserInput, ListUsersInput, SetAccessInput, UpdateUserInput } from './schemas/users.js';
import type { AssignableRole, AuditPage, ImportReport, Organization, UserView } from './types.js';

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

/** `um.as(actor).audit`. */
export interface AuditApi {
  list(query: ListAuditInput): Promise<AuditPage>;
}

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

/** Everything an actor can do; every call checks their rights and is audited. */
export interface ActorApi {
  organizations: OrganizationsApi;
  users: UsersApi;
  invitations: InvitationsApi;
  roles: RolesApi;
  permissions: PermissionsApi;
  audit: AuditApi;
  imports: ImportsApi;
}
