import type {
  RoleMapping,
  SsoAccess,
  SsoConnectionType,
  SsoIdentity,
  SsoLogin,
  StoredDomain,
  StoredSsoConnection,
} from '../../src/adapter-kit/index.js';
import type { ColumnCodec, Row } from './row-mapping.js';

/** The columns of `tenantry_domains`, in the order of `domainValues`. */
export const domainColumns = 'organization_id, domain, verification_token, created_at, verified_at';

/** The columns of `tenantry_sso_connections`, in the order of `ssoConnectionValues`; the key first. */
export const ssoConnectionColumns =
  'id, organization_id, type, name, enabled, settings, role_mapping, default_access, created_at, updated_at';

/** The columns of `tenantry_sso_logins`, in the order of `ssoLoginValues`. */
export const ssoLoginColumns =
  'digest, connection_id, organization_id, code_verifier, nonce, request_id, return_to, created_at, expires_at, consumed_at';

/** The columns of `tenantry_sso_identities`, in the order of `ssoIdentityValues`. */
export const ssoIdentityColumns = 'connection_id, subject, user_id, created_at, last_sign_in_at';

/** Domain claims, SSO connections, started logins and identity links read from their rows and written to their columns. */
export interface SsoRows {
  domainFrom(row: Row): StoredDomain;
  domainValues(domain: StoredDomain): unknown[];
  ssoConnectionFrom(row: Row): StoredSsoConnection;
  ssoConnectionValues(connection: StoredSsoConnection): unknown[];
  ssoLoginFrom(row: Row): SsoLogin;
  ssoLoginValues(login: SsoLogin): unknown[];
  ssoIdentityFrom(row: Row): SsoIdentity;
  ssoIdentityValues(identity: SsoIdentity): unknown[];
}

/** The rows of domain claims and SSO, in the representation of `codec`. */
export function ssoRows(codec: ColumnCodec): SsoRows {
  const isAbsent = (value: unknown): value is null | undefined => value === null || value === undefined;
  const text = (value: unknown): string | null => (isAbsent(value) ? null : String(value));
  const date = (value: unknown) => codec.readDate(value);
  const maybeDate = (value: unknown) => (isAbsent(value) ? null : codec.readDate(value));
  const writeMaybeDate = (value: Date | null) => (value === null ? null : codec.writeDate(value));
  return {
    domainFrom: (row) => ({
      organizationId: String(row.organization_id),
      domain: String(row.domain),
      verificationToken: String(row.verification_token),
      createdAt: date(row.created_at),
      verifiedAt: maybeDate(row.verified_at),
    }),

    domainValues: (d) => [
      d.organizationId,
      d.domain,
      d.verificationToken,
      codec.writeDate(d.createdAt),
      writeMaybeDate(d.verifiedAt),
    ],

    ssoConnectionFrom: (row) => ({
      id: String(row.id),
      organizationId: String(row.organization_id),
      type: row.type as SsoConnectionType,
      name: String(row.name),
      enabled: codec.readBoolean(row.enabled),
      settings: codec.readJson<Record<string, unknown>>(row.settings),
      roleMapping: isAbsent(row.role_mapping) ? null : codec.readJson<RoleMapping>(row.role_mapping),
      defaultAccess: codec.readJson<SsoAccess>(row.default_access),
      createdAt: date(row.created_at),
      updatedAt: date(row.updated_at),
    }),

    ssoConnectionValues: (c) => [
      c.id,
      c.organizationId,
      c.type,
      c.name,
      codec.writeBoolean(c.enabled),
      codec.writeJson(c.settings),
      c.roleMapping === null ? null : codec.writeJson(c.roleMapping),
      codec.writeJson(c.defaultAccess),
      codec.writeDate(c.createdAt),
      codec.writeDate(c.updatedAt),
    ],

    ssoLoginFrom: (row) => ({
      digest: String(row.digest),
      connectionId: String(row.connection_id),
      organizationId: String(row.organization_id),
      codeVerifier: text(row.code_verifier),
      nonce: text(row.nonce),
      requestId: text(row.request_id),
      returnTo: text(row.return_to),
      createdAt: date(row.created_at),
      expiresAt: date(row.expires_at),
      consumedAt: maybeDate(row.consumed_at),
    }),

    ssoLoginValues: (l) => [
      l.digest,
      l.connectionId,
      l.organizationId,
      l.codeVerifier,
      l.nonce,
      l.requestId,
      l.returnTo,
      codec.writeDate(l.createdAt),
      codec.writeDate(l.expiresAt),
      writeMaybeDate(l.consumedAt),
    ],

    ssoIdentityFrom: (row) => ({
      connectionId: String(row.connection_id),
      subject: String(row.subject),
      userId: String(row.user_id),
      createdAt: date(row.created_at),
      lastSignInAt: date(row.last_sign_in_at),
    }),

    ssoIdentityValues: (i) => [
      i.connectionId,
      i.subject,
      i.userId,
      codec.writeDate(i.createdAt),
      codec.writeDate(i.lastSignInAt),
    ],
  };
}
