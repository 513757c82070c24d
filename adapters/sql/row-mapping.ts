import type {
  AuditEvent,
  Credential,
  CustomRole,
  ImportReport,
  MfaRequirement,
  OneTimeToken,
  Organization,
  SecurityPolicy,
  Session,
  User,
} from '../../src/adapter-kit/index.js';
import { type FactorRows, factorRows } from './factor-rows.js';
import { userRows } from './user-row.js';

/** A row as a SQL driver returns it: column name to value. */
export type Row = Record<string, unknown>;

/**
 * How one SQL database stores the values tenantry writes: dates, JSON,
 * booleans and lists of keys. Everything else (text, numbers, null) goes
 * as it is.
 */
export interface ColumnCodec {
  readDate(value: unknown): Date;
  writeDate(value: Date): unknown;
  readJson<T>(value: unknown): T;
  writeJson(value: unknown): unknown;
  readBoolean(value: unknown): boolean;
  writeBoolean(value: boolean): unknown;
  readList(value: unknown): string[];
  writeList(value: readonly string[]): unknown;
}

/** The columns of `tenantry_organizations`, in the order of `organizationValues`. */
export const organizationColumns =
  'id, name, kind, parent_id, partner_id, features, allowed_roles, contact_user_id, profile, attributes, security_policy, created_at, updated_at';

/** The columns of `tenantry_imports`, in the order of `importReportValues`. */
export const importReportColumns =
  'id, organization_id, requested_by, status, mode, dry_run, total, created, updated, skipped, failed, exceptions, started_at, updated_at, finished_at';

/** The columns of `tenantry_audit_events`, in the order of `auditEventValues`. */
export const auditEventColumns = 'id, at, actor, organization_id, action, target_id, changes, metadata';

/** The columns of `tenantry_tokens`, in the order of `tokenValues`. */
export const tokenColumns = 'digest, user_id, organization_id, purpose, origin, created_at, expires_at, consumed_at';

/** The columns of `tenantry_sessions`, in the order of `sessionValues`. */
export const sessionColumns =
  'digest, user_id, created_at, last_seen_at, expires_at, absolute_expires_at, ip, user_agent, revoked_at, authentication_methods, enrollment_due_at';

/**
 * An organization's security policy as its JSON column holds it: the date as
 * an ISO 8601 text. Rows stored before the column existed hold the default.
 */
interface StoredSecurityPolicy {
  mfa: MfaRequirement;
  enrollmentGraceDays: number;
  mfaRequiredSince: string | null;
  ssoRequired?: boolean;
}

const isAbsent = (value: unknown): value is null | undefined => value === null || value === undefined;
const text = (value: unknown): string | null => (isAbsent(value) ? null : String(value));

/** Reads and writes of every stored record, in the given database's representation. */
export interface RowMapping extends FactorRows {
  organizationFrom(row: Row): Organization;
  organizationValues(organization: Organization): unknown[];
  userFrom(row: Row): User;
  userValues(user: User): unknown[];
  customRoleFrom(row: Row): CustomRole;
  auditEventFrom(row: Row): AuditEvent;
  auditEventValues(event: AuditEvent): unknown[];
  credentialFrom(row: Row): Credential;
  tokenFrom(row: Row): OneTimeToken;
  tokenValues(token: OneTimeToken): unknown[];
  sessionFrom(row: Row): Session;
  sessionValues(session: Session): unknown[];
  importReportFrom(row: Row): ImportReport;
  importReportValues(report: ImportReport): unknown[];
}

/** The row mapping of a database that stores values as `codec` says. */
export function rowMapping(codec: ColumnCodec): RowMapping {
  const date = (value: unknown) => codec.readDate(value);
  const maybeDate = (value: unknown) => (isAbsent(value) ? null : codec.readDate(value));
  const writeMaybeDate = (value: Date | null) => (value === null ? null : codec.writeDate(value));
  const json = <T>(value: unknown) => codec.readJson<T>(value);
  const securityPolicyFrom = (value: unknown): SecurityPolicy => {
    const stored = json<StoredSecurityPolicy>(value);
    return {
      mfa: stored.mfa,
      enrollmentGraceDays: Number(stored.enrollmentGraceDays),
      mfaRequiredSince: isAbsent(stored.mfaRequiredSince) ? null : new Date(stored.mfaRequiredSince),
      // Policies stored before SSO existed leave it out.
      ssoRequired: stored.ssoRequired === true,
    };
  };
  const securityPolicyValue = (policy: SecurityPolicy) =>
    codec.writeJson({
      mfa: policy.mfa,
      enrollmentGraceDays: policy.enrollmentGraceDays,
      mfaRequiredSince: policy.mfaRequiredSince === null ? null : policy.mfaRequiredSince.toISOString(),
      ssoRequired: policy.ssoRequired,
    } satisfies StoredSecurityPolicy);

  return {
    organizationFrom: (row) => ({
      id: String(row.id),
      name: String(row.name),
      kind: row.kind as Organization['kind'],
      parentId: text(row.parent_id),
      partnerId: text(row.partner_id),
      features: codec.readList(row.features),
      allowedRoles: isAbsent(row.allowed_roles) ? null : codec.readList(row.allowed_roles),
      contactUserId: text(row.contact_user_id),
      profile: json(row.profile),
      attributes: json(row.attributes),
      securityPolicy: securityPolicyFrom(row.security_policy),
      createdAt: date(row.created_at),
      updatedAt: date(row.updated_at),
    }),

    organizationValues: (o) => [
      o.id,
      o.name,
      o.kind,
      o.parentId,
      o.partnerId,
      codec.writeList(o.features),
      o.allowedRoles === null ? null : codec.writeList(o.allowedRoles),
      o.contactUserId,
      codec.writeJson(o.profile),
      codec.writeJson(o.attributes),
      securityPolicyValue(o.securityPolicy),
      codec.writeDate(o.createdAt),
      codec.writeDate(o.updatedAt),
    ],

    ...userRows(codec),

    customRoleFrom: (row) => ({
      organizationId: String(row.organization_id),
      key: String(row.key),
      label: String(row.label),
      permissions: codec.readList(row.permissions),
      createdAt: date(row.created_at),
    }),

    auditEventFrom: (row) => ({
      id: String(row.id),
      at: date(row.at),
      actor: json(row.actor),
      organizationId: text(row.organization_id),
      action: String(row.action),
      targetId: text(row.target_id),
      changes: json(row.changes),
      metadata: json(row.metadata),
    }),

    auditEventValues: (e) => [
      e.id,
      codec.writeDate(e.at),
      codec.writeJson(e.actor),
      e.organizationId,
      e.action,
      e.targetId,
      codec.writeJson(e.changes),
      codec.writeJson(e.metadata),
    ],

    credentialFrom: (row) => ({
      userId: String(row.user_id),
      passwordHash: String(row.password_hash),
      updatedAt: date(row.updated_at),
    }),

    tokenFrom: (row) => ({
      digest: String(row.digest),
      userId: String(row.user_id),
      organizationId: String(row.organization_id),
      purpose: row.purpose as OneTimeToken['purpose'],
      origin: row.origin as OneTimeToken['origin'],
      createdAt: date(row.created_at),
      expiresAt: date(row.expires_at),
      consumedAt: maybeDate(row.consumed_at),
    }),

    tokenValues: (t) => [
      t.digest,
      t.userId,
      t.organizationId,
      t.purpose,
      t.origin,
      codec.writeDate(t.createdAt),
      codec.writeDate(t.expiresAt),
      writeMaybeDate(t.consumedAt),
    ],

    sessionFrom: (row) => ({
      digest: String(row.digest),
      userId: String(row.user_id),
      createdAt: date(row.created_at),
      lastSeenAt: date(row.last_seen_at),
      expiresAt: date(row.expires_at),
      absoluteExpiresAt: date(row.absolute_expires_at),
      ip: text(row.ip),
      userAgent: text(row.user_agent),
      revokedAt: maybeDate(row.revoked_at),
      authenticationMethods: codec.readList(row.authentication_methods) as Session['authenticationMethods'],
      enrollmentDueAt: maybeDate(row.enrollment_due_at),
    }),

    sessionValues: (s) => [
      s.digest,
      s.userId,
      codec.writeDate(s.createdAt),
      codec.writeDate(s.lastSeenAt),
      codec.writeDate(s.expiresAt),
      codec.writeDate(s.absoluteExpiresAt),
      s.ip,
      s.userAgent,
      writeMaybeDate(s.revokedAt),
      codec.writeList(s.authenticationMethods),
      writeMaybeDate(s.enrollmentDueAt),
    ],

    ...factorRows(codec),

    importReportFrom: (row) => ({
      id: String(row.id),
      organizationId: String(row.organization_id),
      requestedBy: json(row.requested_by),
      status: row.status as ImportReport['status'],
      mode: row.mode as ImportReport['mode'],
      dryRun: codec.readBoolean(row.dry_run),
      total: Number(row.total),
      created: Number(row.created),
      updated: Number(row.updated),
      skipped: Number(row.skipped),
      failed: Number(row.failed),
      exceptions: json(row.exceptions),
      startedAt: date(row.started_at),
      updatedAt: date(row.updated_at),
      finishedAt: maybeDate(row.finished_at),
    }),

    importReportValues: (r) => [
      r.id,
      r.organizationId,
      codec.writeJson(r.requestedBy),
      r.status,
      r.mode,
      codec.writeBoolean(r.dryRun),
      r.total,
      r.created,
      r.updated,
      r.skipped,
      r.failed,
      codec.writeJson(r.exceptions),
      codec.writeDate(r.startedAt),
      codec.writeDate(r.updatedAt),
      writeMaybeDate(r.finishedAt),
    ],
  };
}
