/**
 * The migrations of the second round (5 on): profile fields and resource
 * grants, second factors, verified domains and single sign-on. Kept apart
 * from the first ones only for length; `migrations` lists them all in order.
 */
export const laterMigrations: readonly { version: number; name: string; sql: string }[] = [
  {
    version: 5,
    name: 'profile fields and resource grants',
    // As PostgreSQL's migration 7: a grant per row, `resource_id` null for every resource of the type; the two
    // partial unique indexes give the holders of an id and of its whole type in user order, the third a user's access.
    sql: `
ALTER TABLE tenantry_users ADD COLUMN fields TEXT NOT NULL DEFAULT '{}';

CREATE TABLE tenantry_resource_grants (
  organization_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  type TEXT NOT NULL,
  resource_id TEXT
) STRICT;
CREATE UNIQUE INDEX tenantry_resource_grants_by_resource
  ON tenantry_resource_grants (organization_id, type, resource_id, user_id) WHERE resource_id IS NOT NULL;
CREATE UNIQUE INDEX tenantry_resource_grants_every
  ON tenantry_resource_grants (organization_id, type, user_id) WHERE resource_id IS NULL;
CREATE INDEX tenantry_resource_grants_by_user ON tenantry_resource_grants (user_id, type, resource_id);
`,
  },
  {
    version: 6,
    name: 'second factors',
    // As PostgreSQL's migration 8: organizations' security policy (JSON text, second factors optional for rows
    // stored before) and sessions' authentication methods (a JSON list, password alone before) and enrollment
    // deadline; factors by user and by their unique credential id, recovery codes by user and digest (the primary
    // key), challenges by digest.
    sql: `
ALTER TABLE tenantry_organizations ADD COLUMN security_policy TEXT NOT NULL
  DEFAULT '{"mfa":"optional","enrollmentGraceDays":0,"mfaRequiredSince":null}';
ALTER TABLE tenantry_sessions ADD COLUMN authentication_methods TEXT NOT NULL DEFAULT '["password"]';
ALTER TABLE tenantry_sessions ADD COLUMN enrollment_due_at INTEGER;

CREATE TABLE tenantry_factors (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  organization_id TEXT NOT NULL,
  type TEXT NOT NULL,
  label TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  confirmed_at INTEGER,
  last_used_at INTEGER,
  secret TEXT,
  last_step INTEGER,
  credential_id TEXT,
  public_key TEXT,
  counter INTEGER NOT NULL,
  transports TEXT NOT NULL
) STRICT;
CREATE INDEX tenantry_factors_by_user ON tenantry_factors (user_id, created_at, id);
CREATE UNIQUE INDEX tenantry_factors_credential ON tenantry_factors (credential_id) WHERE credential_id IS NOT NULL;

CREATE TABLE tenantry_recovery_codes (
  user_id TEXT NOT NULL,
  digest TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  used_at INTEGER,
  PRIMARY KEY (user_id, digest)
) STRICT, WITHOUT ROWID;

CREATE TABLE tenantry_webauthn_challenges (
  digest TEXT PRIMARY KEY,
  ceremony TEXT NOT NULL,
  user_id TEXT,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  consumed_at INTEGER
) STRICT;
`,
  },
  {
    version: 7,
    name: 'verified domains and single sign-on',
    // As PostgreSQL's migration 9: claims by organization and domain, the partial unique index keeping one verified
    // claim of a domain; connections by organization, oldest first; logins by digest and by SAML request id;
    // assertion ids by connection and id, inserted once; links by connection and subject, and by user.
    sql: `
CREATE TABLE tenantry_domains (
  organization_id TEXT NOT NULL,
  domain TEXT NOT NULL,
  verification_token TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  verified_at INTEGER,
  PRIMARY KEY (organization_id, domain)
) STRICT, WITHOUT ROWID;
CREATE UNIQUE INDEX tenantry_domains_verified ON tenantry_domains (domain) WHERE verified_at IS NOT NULL;

CREATE TABLE tenantry_sso_connections (
  id TEXT PRIMARY KEY,
  organization_id TEXT NOT NULL,
  type TEXT NOT NULL,
  name TEXT NOT NULL,
  enabled INTEGER NOT NULL,
  settings TEXT NOT NULL,
  role_mapping TEXT,
  default_access TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX tenantry_sso_connections_by_organization ON tenantry_sso_connections (organization_id, created_at, id);

CREATE TABLE tenantry_sso_logins (
  digest TEXT PRIMARY KEY,
  connection_id TEXT NOT NULL,
  organization_id TEXT NOT NULL,
  code_verifier TEXT,
  nonce TEXT,
  request_id TEXT,
  return_to TEXT,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  consumed_at INTEGER
) STRICT;
CREATE INDEX tenantry_sso_logins_by_request ON tenantry_sso_logins (request_id) WHERE request_id IS NOT NULL;

CREATE TABLE tenantry_sso_assertions (
  connection_id TEXT NOT NULL,
  assertion_id TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (connection_id, assertion_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE tenantry_sso_identities (
  connection_id TEXT NOT NULL,
  subject TEXT NOT NULL,
  user_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_sign_in_at INTEGER NOT NULL,
  PRIMARY KEY (connection_id, subject)
) STRICT, WITHOUT ROWID;
CREATE INDEX tenantry_sso_identities_by_user ON tenantry_sso_identities (user_id, created_at, connection_id, subject);
`,
  },
];
