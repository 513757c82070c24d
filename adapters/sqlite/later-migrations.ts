import { searchIndexMigration } from './search-migration.js';

/**
 * The migrations of the second round (5 on): profile fields and resource
 * grants, second factors, verified domains and single sign-on, the indexes
 * of retention, the sort indexes a search reads and the search blocks. Kept apart from the first
 * ones only for length; `migrations` lists them all in order.
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
  {
    version: 8,
    name: 'retention indexes',
    // As PostgreSQL's migration 10: sessions by absolute end and revocation (not by the idle expiry that moves on
    // every use), tokens by expiry and consumption, challenges, SSO sign-ins and assertion ids by expiry, import
    // reports by their last write, the audit trail by time; each walked from the oldest by a purge's batch.
    sql: `
CREATE INDEX tenantry_sessions_by_absolute_expiry ON tenantry_sessions (absolute_expires_at);
CREATE INDEX tenantry_sessions_revoked ON tenantry_sessions (revoked_at) WHERE revoked_at IS NOT NULL;
CREATE INDEX tenantry_tokens_by_expiry ON tenantry_tokens (expires_at);
CREATE INDEX tenantry_tokens_consumed ON tenantry_tokens (consumed_at) WHERE consumed_at IS NOT NULL;
CREATE INDEX tenantry_webauthn_challenges_by_expiry ON tenantry_webauthn_challenges (expires_at);
CREATE INDEX tenantry_sso_logins_by_expiry ON tenantry_sso_logins (expires_at);
CREATE INDEX tenantry_sso_assertions_by_expiry ON tenantry_sso_assertions (expires_at);
CREATE INDEX tenantry_imports_by_update ON tenantry_imports (updated_at);
CREATE INDEX tenantry_audit_by_time ON tenantry_audit_events (at);
`,
  },
  {
    version: 9,
    name: 'sort indexes that a search walks without reading the rows',
    // A listing walks the sort index of its order; a search (an exact substring of `search_text`) or a status filter
    // read each row walked from the table before: 100,000 rows for a term nobody matches, 200 ms. With the status,
    // erasure and search text in the index, SQLite checks them from the index entry and reads a row only when it
    // matches: 5 to 6 times faster for a scan (about 30 ms for a term nobody matches at 100,000 users, 8 ms for one
    // user in nine, a page of a term everyone matches at once), for about a quarter more space. An FTS5 trigram
    // table would find a rare term's few rows at once, but it maps to the users' rowids, which VACUUM may renumber
    // in a table without an INTEGER PRIMARY KEY, and a term many match would still read them all to sort them.
    sql: `
DROP INDEX tenantry_users_by_created;
DROP INDEX tenantry_users_by_name;
DROP INDEX tenantry_users_by_email;
CREATE INDEX tenantry_users_by_created
  ON tenantry_users (organization_id, created_at, id, status, erased_at, search_text);
CREATE INDEX tenantry_users_by_name
  ON tenantry_users (organization_id, last_name_key, first_name_key, id, status, erased_at, search_text);
CREATE INDEX tenantry_users_by_email ON tenantry_users (organization_id, email_key, id, status, erased_at, search_text);
`,
  },
  searchIndexMigration,
];
