import type { ErrorCode } from './error-codes.js';

/** `standard` companies, or `partner`s that serve customer companies. */
export type OrganizationKind = 'standard' | 'partner';

/** A postal address of an organization. */
export interface Address {
  line1: string;
  line2?: string | undefined;
  city: string;
  postalCode?: string | undefined;
  region?: string | undefined;
  country: string;
}

/** Company details an organization's admins maintain. */
export interface OrganizationProfile {
  phone?: string | undefined;
  website?: string | undefined;
  addresses?:
    | {
        actual?: Address | undefined;
        legal?: Address | undefined;
        shipping?: Address | undefined;
      }
    | undefined;
}

/** Free JSON the host app keeps on an organization and reads in `availableWhen` predicates. */
export type Attributes = Readonly<Record<string, unknown>>;

/** Whether an organization's users need a second factor: nobody, everyone, or those who administer it. */
export type MfaRequirement = 'optional' | 'required' | 'required-for-admins';

/** An organization's own security policy (a sub-organization is held to the strictest of its chain). */
export interface SecurityPolicy {
  mfa: MfaRequirement;
  /**
   * Days during which a user the policy newly requires a second factor of
   * may still sign in without one, counted from `mfaRequiredSince` (or the
   * user's creation, if later). 0: they enroll at their next sign-in.
   */
  enrollmentGraceDays: number;
  /** When `mfa` last became stricter; null while it is `optional`. */
  mfaRequiredSince: Date | null;
  /**
   * Users sign in through the organization's SSO connection only: a right
   * password answers `SSO_REQUIRED` (its admins excepted, to keep a way in
   * when the provider fails), and no reset link is mailed.
   */
  ssoRequired: boolean;
}

/** A tenant: a company using the portal. */
export interface Organization {
  id: string;
  name: string;
  kind: OrganizationKind;
  /** The organization this one is a sub-organization of. */
  parentId: string | null;
  /** The partner that serves this organization as a customer. */
  partnerId: string | null;
  /** Company-level features the operator has enabled. */
  features: string[];
  /** Standard roles this organization's admins may assign; `null` = all. */
  allowedRoles: string[] | null;
  contactUserId: string | null;
  profile: OrganizationProfile;
  /** Its own security policy; `{ mfa: 'optional', enrollmentGraceDays: 0, mfaRequiredSince: null }` by default. */
  securityPolicy: SecurityPolicy;
  attributes: Attributes;
  createdAt: Date;
  updatedAt: Date;
}

/** `pending` until activated; `disabled` by an admin. Expiry and lockout are conditions, not statuses. */
export type UserStatus = 'pending' | 'active' | 'disabled';

/** How a user likes dates, times and numbers shown, and in which language mail reaches them. */
export interface UserPreferences {
  locale?: string | undefined;
  timeZone?: string | undefined;
  dateFormat?: string | undefined;
  timeFormat?: string | undefined;
  numberFormat?: string | undefined;
}

/** A user as stored (the password hash lives elsewhere). */
export interface User {
  id: string;
  organizationId: string;
  /** Normalized: trimmed, NFKC, lower-case domain. Unique case-insensitively. */
  email: string;
  firstName: string;
  lastName: string;
  phone: string | null;
  status: UserStatus;
  /** `false` = a contact record without a login. */
  canSignIn: boolean;
  /** Direct grants. */
  permissions: string[];
  roles: string[];
  /** A temporary account stops working at this instant. */
  expiresAt: Date | null;
  failedSignIns: number;
  lockedAt: Date | null;
  /** `null` while `lockedAt` is set = locked until an admin unlocks. */
  lockedUntil: Date | null;
  mustChangePassword: boolean;
  /** `false` = no informational mail. */
  emailNotifications: boolean;
  preferences: UserPreferences;
  /** The values of the installation's profile fields (`defineUserFields`); fields without a value are left out. */
  fields: UserFields;
  termsAcceptedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  activatedAt: Date | null;
  lastSignInAt: Date | null;
  erasedAt: Date | null;
}

/** A value of a profile field: text (a URL is text), a number, or a flag. */
export type FieldValue = string | number | boolean;

/** The profile fields of a user, by key. */
export type UserFields = Readonly<Record<string, FieldValue>>;

/**
 * A user's access to resources, by type: `'all'` resources of the type, or
 * these ids (host-named, unique within an organization). Types without
 * access are left out.
 */
export type ResourceAccess = Readonly<Record<string, 'all' | readonly string[]>>;

/** A user as the API returns it, with what is computed about them. */
export interface UserView extends User {
  /** Resource access as stored. */
  resourceAccess: ResourceAccess;
  /** Resource access without the types the organization cannot have now (an unknown type, a feature it lacks). */
  effectiveResourceAccess: ResourceAccess;
  effectivePermissions: string[];
  /** Holds effective `org.admin` in their organization. */
  isAdmin: boolean;
  isContactPerson: boolean;
  locked: boolean;
  expired: boolean;
}

/** A role created by the operator for one organization. */
export interface CustomRole {
  organizationId: string;
  key: string;
  label: string;
  permissions: string[];
  createdAt: Date;
}

/** A role an organization may assign, as `roles.list` shows it. */
export interface AssignableRole {
  key: string;
  label: string;
  permissions: string[];
  custom: boolean;
}

/** Who acts. `system` is for jobs; work done on someone's behalf is recorded with their actor. */
export type Actor = { type: 'operator' } | { type: 'system' } | { type: 'user'; userId: string };

/** One field's value before and after a change. */
export interface FieldChange {
  before: unknown;
  after: unknown;
}

/** A record of one change, written in the same transaction as the change. */
export interface AuditEvent {
  id: string;
  at: Date;
  actor: Actor;
  organizationId: string | null;
  action: string;
  targetId: string | null;
  /** Before/after of the changed fields, never secrets. */
  changes: Record<string, FieldChange>;
  metadata: Record<string, unknown>;
}

/** A page of the audit trail (`audit.list`). */
export interface AuditPage {
  items: AuditEvent[];
  nextCursor: string | null;
  /**
   * With `names: true` in the query: display names by id of the users and
   * organizations the page's events mention, as far as the caller may see
   * them. Ids left out are not visible to the caller, erased, or not a user
   * or organization.
   */
  names?: Record<string, string>;
}

/** A row of an import file that did not go in: its spreadsheet row number, the address on it, and why. */
export interface ImportException {
  row: number;
  email: string;
  code: ErrorCode;
  message: string;
}

/** What became of one import: counts, the rows that failed, and when. Kept as the import history. */
export interface ImportReport {
  id: string;
  organizationId: string;
  /** Who ran it. */
  requestedBy: Actor;
  /**
   * `running` while batches go in (the report is kept from the start and
   * updated with each batch); `interrupted` when a run died (nothing updated
   * it for `policy.import.staleAfterMs`: it holds the counts of what committed,
   * and running the file again in `skip` mode finishes it); `finished`, or
   * `failed` when an error of the storage stopped it.
   */
  status: 'running' | 'interrupted' | 'finished' | 'failed';
  /** `skip` leaves existing users as they are; `update` updates them from the file. */
  mode: 'skip' | 'update';
  /** A dry run checks every row and writes nothing but this report. */
  dryRun: boolean;
  /** Data rows in the file. */
  total: number;
  created: number;
  updated: number;
  skipped: number;
  failed: number;
  exceptions: ImportException[];
  startedAt: Date;
  /** When the report was last written: each batch updates it. */
  updatedAt: Date;
  finishedAt: Date | null;
}
