import type { OneTimeToken, Session } from '../../src/ports/identity-storage.js';
import type { AuditEvent, CustomRole, ImportReport, Organization, User } from '../../src/types.js';
import { userSearchText, userSortKey } from '../../src/user-order.js';

type Row = Record<string, unknown>;

const date = (value: unknown): Date => (value instanceof Date ? value : new Date(String(value)));
const maybeDate = (value: unknown): Date | null => (value === null || value === undefined ? null : date(value));
const json = <T>(value: unknown): T => (typeof value === 'string' ? JSON.parse(value) : value) as T;

/** A `tenantry_organizations` row as an organization. */
export function organizationFrom(row: Row): Organization {
  return {
    id: String(row.id),
    name: String(row.name),
    kind: row.kind as Organization['kind'],
    parentId: (row.parent_id as string | null) ?? null,
    partnerId: (row.partner_id as string | null) ?? null,
    features: (row.features as string[]) ?? [],
    allowedRoles: (row.allowed_roles as string[] | null) ?? null,
    contactUserId: (row.contact_user_id as string | null) ?? null,
    profile: json(row.profile),
    attributes: json(row.attributes),
    createdAt: date(row.created_at),
    updatedAt: date(row.updated_at),
  };
}

/** An organization's column values, in the order of `organizationColumns`. */
export const organizationColumns =
  'id, name, kind, parent_id, partner_id, features, allowed_roles, contact_user_id, profile, attributes, created_at, updated_at';
export function organizationValues(o: Organization): unknown[] {
  return [
    o.id,
    o.name,
    o.kind,
    o.parentId,
    o.partnerId,
    o.features,
    o.allowedRoles,
    o.contactUserId,
    o.profile,
    o.attributes,
    o.createdAt,
    o.updatedAt,
  ];
}

/** A `tenantry_users` row as a user. */
export function userFrom(row: Row): User {
  return {
    id: String(row.id),
    organizationId: String(row.organization_id),
    email: String(row.email),
    firstName: String(row.first_name),
    lastName: String(row.last_name),
    phone: (row.phone as string | null) ?? null,
    status: row.status as User['status'],
    canSignIn: Boolean(row.can_sign_in),
    permissions: (row.permissions as string[]) ?? [],
    roles: (row.roles as string[]) ?? [],
    expiresAt: maybeDate(row.expires_at),
    failedSignIns: Number(row.failed_sign_ins),
    lockedAt: maybeDate(row.locked_at),
    lockedUntil: maybeDate(row.locked_until),
    mustChangePassword: Boolean(row.must_change_password),
    emailNotifications: Boolean(row.email_notifications),
    preferences: json(row.preferences),
    termsAcceptedAt: maybeDate(row.terms_accepted_at),
    createdAt: date(row.created_at),
    updatedAt: date(row.updated_at),
    activatedAt: maybeDate(row.activated_at),
    lastSignInAt: maybeDate(row.last_sign_in_at),
    erasedAt: maybeDate(row.erased_at),
  };
}

/** The columns a user is read from. */
export const userColumns =
  'id, organization_id, email, first_name, last_name, phone, status, can_sign_in, permissions, roles, expires_at, failed_sign_ins, locked_at, locked_until, must_change_password, email_notifications, preferences, terms_accepted_at, created_at, updated_at, activated_at, last_sign_in_at, erased_at';

/**
 * The columns a user is written to: `userColumns`, then the keys the core
 * compares, sorts and searches by, lower-cased in JavaScript so that they do
 * not depend on the database's locale.
 */
export const userWriteColumns = `${userColumns}, email_key, last_name_key, first_name_key, search_text`;

/** A user's column values, in the order of `userWriteColumns`. */
export function userValues(u: User): unknown[] {
  const [lastNameKey, firstNameKey] = userSortKey(u, 'name');
  return [
    u.id,
    u.organizationId,
    u.email,
    u.firstName,
    u.lastName,
    u.phone,
    u.status,
    u.canSignIn,
    u.permissions,
    u.roles,
    u.expiresAt,
    u.failedSignIns,
    u.lockedAt,
    u.lockedUntil,
    u.mustChangePassword,
    u.emailNotifications,
    u.preferences,
    u.termsAcceptedAt,
    u.createdAt,
    u.updatedAt,
    u.activatedAt,
    u.lastSignInAt,
    u.erasedAt,
    u.email.toLowerCase(),
    lastNameKey,
    firstNameKey,
    userSearchText(u),
  ];
}

/** A `tenantry_custom_roles` row. */
export function customRoleFrom(row: Row): CustomRole {
  return {
    organizationId: String(row.organization_id),
    key: String(row.key),
    label: String(row.label),
    permissions: (row.permissions as string[]) ?? [],
    createdAt: date(row.created_at),
  };
}

/** A `tenantry_audit_events` row. */
export function auditEventFrom(row: Row): AuditEvent {
  return {
    id: String(row.id),
    at: date(row.at),
    actor: json(row.actor),
    organizationId: (row.organization_id as string | null) ?? null,
    action: String(row.action),
    targetId: (row.target_id as string | null) ?? null,
    changes: json(row.changes),
    metadata: json(row.metadata),
  };
}

/** A `tenantry_tokens` row. */
export function tokenFrom(row: Row): OneTimeToken {
  return {
    digest: String(row.digest),
    userId: String(row.user_id),
    organizationId: String(row.organization_id),
    purpose: row.purpose as OneTimeToken['purpose'],
    createdAt: date(row.created_at),
    expiresAt: date(row.expires_at),
    consumedAt: maybeDate(row.consumed_at),
  };
}

/** A `tenantry_sessions` row. */
export function sessionFrom(row: Row): Session {
  return {
    digest: String(row.digest),
    userId: String(row.user_id),
    createdAt: date(row.created_at),
    lastSeenAt: date(row.last_seen_at),
    expiresAt: date(row.expires_at),
    absoluteExpiresAt: date(row.absolute_expires_at),
    ip: (row.ip as string | null) ?? null,
    userAgent: (row.user_agent as string | null) ?? null,
    revokedAt: maybeDate(row.revoked_at),
  };
}

/** A `tenantry_imports` row as an import report. */
export function importReportFrom(row: Row): ImportReport {
  return {
    id: String(row.id),
    organizationId: String(row.organization_id),
    requestedBy: json(row.requested_by),
    status: row.status as ImportReport['status'],
    mode: row.mode as ImportReport['mode'],
    dryRun: Boolean(row.dry_run),
    total: Number(row.total),
    created: Number(row.created),
    updated: Number(row.updated),
    skipped: Number(row.skipped),
    failed: Number(row.failed),
    exceptions: json(row.exceptions),
    startedAt: date(row.started_at),
    finishedAt: maybeDate(row.finished_at),
  };
}

/** An import report's column values, in the order of `importColumns`. */
export const importReportColumns =
  'id, organization_id, requested_by, status, mode, dry_run, total, created, updated, skipped, failed, exceptions, started_at, finished_at';
export function importReportValues(r: ImportReport): unknown[] {
  return [
    r.id,
    r.organizationId,
    r.requestedBy,
    r.status,
    r.mode,
    r.dryRun,
    r.total,
    r.created,
    r.updated,
    r.skipped,
    r.failed,
    // An array at the top: pg would send a JS array as a PostgreSQL array, so it goes as JSON text.
    JSON.stringify(r.exceptions),
    r.startedAt,
    r.finishedAt,
  ];
}
