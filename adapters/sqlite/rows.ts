import type { Credential, OneTimeToken, Session } from '../../src/ports/identity-storage.js';
import type { AuditEvent, CustomRole, Organization, User } from '../../src/types.js';
import { userSearchText, userSortKey } from '../../src/user-order.js';
import type { Row } from './connection.js';

/** A date as stored: epoch milliseconds. */
export const millis = (value: Date): number => value.getTime();
/** A date or null as stored. */
export const maybeMillis = (value: Date | null): number | null => (value === null ? null : value.getTime());
/** A stored date read back. */
export const date = (value: unknown): Date => new Date(Number(value));
export const maybeDate = (value: unknown): Date | null => (value === null || value === undefined ? null : date(value));
export const json = <T>(value: unknown): T => JSON.parse(String(value)) as T;
const maybeJson = <T>(value: unknown): T | null => (value === null || value === undefined ? null : json<T>(value));
const text = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));

/** A `tenantry_organizations` row as an organization. */
export function organizationFrom(row: Row): Organization {
  return {
    id: String(row.id),
    name: String(row.name),
    kind: row.kind as Organization['kind'],
    parentId: text(row.parent_id),
    partnerId: text(row.partner_id),
    features: json(row.features),
    allowedRoles: maybeJson(row.allowed_roles),
    contactUserId: text(row.contact_user_id),
    profile: json(row.profile),
    attributes: json(row.attributes),
    createdAt: date(row.created_at),
    updatedAt: date(row.updated_at),
  };
}

/** The columns of `tenantry_organizations`, in the order of `organizationValues`. */
export const organizationColumns =
  'id, name, kind, parent_id, partner_id, features, allowed_roles, contact_user_id, profile, attributes, created_at, updated_at';

/** An organization's column values, in the order of `organizationColumns`. */
export function organizationValues(o: Organization): unknown[] {
  return [
    o.id,
    o.name,
    o.kind,
    o.parentId,
    o.partnerId,
    JSON.stringify(o.features),
    o.allowedRoles === null ? null : JSON.stringify(o.allowedRoles),
    o.contactUserId,
    JSON.stringify(o.profile),
    JSON.stringify(o.attributes),
    millis(o.createdAt),
    millis(o.updatedAt),
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
    phone: text(row.phone),
    status: row.status as User['status'],
    canSignIn: row.can_sign_in === 1,
    permissions: json(row.permissions),
    roles: json(row.roles),
    expiresAt: maybeDate(row.expires_at),
    failedSignIns: Number(row.failed_sign_ins),
    lockedAt: maybeDate(row.locked_at),
    lockedUntil: maybeDate(row.locked_until),
    mustChangePassword: row.must_change_password === 1,
    emailNotifications: row.email_notifications === 1,
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

/** The columns a user is written to: `userColumns`, then the lower-cased keys the core sorts and searches by. */
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
    u.canSignIn ? 1 : 0,
    JSON.stringify(u.permissions),
    JSON.stringify(u.roles),
    maybeMillis(u.expiresAt),
    u.failedSignIns,
    maybeMillis(u.lockedAt),
    maybeMillis(u.lockedUntil),
    u.mustChangePassword ? 1 : 0,
    u.emailNotifications ? 1 : 0,
    JSON.stringify(u.preferences),
    maybeMillis(u.termsAcceptedAt),
    millis(u.createdAt),
    millis(u.updatedAt),
    maybeMillis(u.activatedAt),
    maybeMillis(u.lastSignInAt),
    maybeMillis(u.erasedAt),
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
    permissions: json(row.permissions),
    createdAt: date(row.created_at),
  };
}

/** A `tenantry_audit_events` row. */
export function auditEventFrom(row: Row): AuditEvent {
  return {
    id: String(row.id),
    at: date(row.at),
    actor: json(row.actor),
    organizationId: text(row.organization_id),
    action: String(row.action),
    targetId: text(row.target_id),
    changes: json(row.changes),
    metadata: json(row.metadata),
  };
}

/** A `tenantry_credentials` row. */
export function credentialFrom(row: Row): Credential {
  return { userId: String(row.user_id), passwordHash: String(row.password_hash), updatedAt: date(row.updated_at) };
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
    ip: text(row.ip),
    userAgent: text(row.user_agent),
    revokedAt: maybeDate(row.revoked_at),
  };
}
