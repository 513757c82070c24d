/**
 * The migrations of the second round (7 on): profile fields and resource
 * grants, second factors, verified domains and single sign-on. Kept apart from the first ones only for length;
 * `migrations` lists them all in order.
 */
export const laterMigrations: readonly { version: number; name: string; sql: string }[] = [
  {
    version: 7,
    name: 'profile fields and resource grants',
    // A grant is one row: a resource by its id, or every resource of the type where `resource_id` is null (a user
    // holding every resource of a type holds no id of it). One table keeps a user's access one index scan (the
    // session read, `forUsers`, erasure) and the listing's resource filter one semi-join. Each partial unique index
    // answers one half of "who holds this resource", in user order: the holders of the id, and those of every
    // resource of its type; a page merges the two. No primary key: a null `resource_id` cannot be part of one,
    // and the two unique indexes say what one would. The statistics on organization, type and resource id tell the
    // planner how many hold a resource (a resource id belongs to one type of one organization, which it cannot
    // know from the columns one by one): guessing too few, it walks the sort index in parallel workers and probes
    // each user's grants (68 ms for a page of a resource one user in fifty holds, at 100,000 users; 10 ms serial).
    sql: `
ALTER TABLE tenantry_users ADD COLUMN fields jsonb NOT NULL DEFAULT '{}';

CREATE TABLE tenantry_resource_grants (
  organization_id text NOT NULL,
  user_id text NOT NULL,
  type text NOT NULL,
  resource_id text
);
CREATE UNIQUE INDEX tenantry_resource_grants_by_resource
  ON tenantry_resource_grants (organization_id, type, resource_id, user_id COLLATE "C") WHERE resource_id IS NOT NULL;
CREATE UNIQUE INDEX tenantry_resource_grants_every
  ON tenantry_resource_grants (organization_id, type, user_id COLLATE "C") WHERE resource_id IS NULL;
CREATE INDEX tenantry_resource_grants_by_user ON tenantry_resource_grants (user_id, type, resource_id COLLATE "C");
CREATE STATISTICS tenantry_resource_grants_holders ON organization_id, type, resource_id FROM tenantry_resource_grants;
`,
  },
  {
    version: 8,
    name: 'second factors',
    // Organizations' security policy and sessions' authentication methods and enrollment deadline, with defaults
    // that read what was stored before as it was: second factors optional, sessions won by password alone. The
    // defaults also keep a process of the previous version, still running during a deploy, able to insert both.
    // A user's factors are one range of `_by_user` (their list oldest first, erasure, whether a page of users has
    // a confirmed one); a passkey is found by its credential id, which the partial unique index keeps unique in the
    // installation. Recovery codes are found by user and digest, their primary key, and challenges by digest. A
    // TOTP step, a passkey counter, a code and a challenge are each spent by one `UPDATE … WHERE … RETURNING`.
    sql: `
ALTER TABLE tenantry_organizations ADD COLUMN security_policy jsonb NOT NULL
  DEFAULT '{"mfa": "optional", "enrollmentGraceDays": 0, "mfaRequiredSince": null}';
ALTER TABLE tenantry_sessions ADD COLUMN authentication_methods text[] NOT NULL DEFAULT '{password}';
ALTER TABLE tenantry_sessions ADD COLUMN enrollment_due_at timestamptz;

CREATE TABLE tenantry_factors (
  id text PRIMARY KEY,
  user_id text NOT NULL,
  organization_id text NOT NULL,
  type text NOT NULL,
  label text NOT NULL,
  created_at timestamptz NOT NULL,
  confirmed_at timestamptz,
  last_used_at timestamptz,
  secret text,
  last_step bigint,
  credential_id text,
  public_key text,
  counter bigint NOT NULL,
  transports text[] NOT NULL
);
CREATE INDEX tenantry_factors_by_user ON tenantry_factors (user_id, created_at, id COLLATE "C");
CREATE UNIQUE INDEX tenantry_factors_credential ON tenantry_factors (credential_id) WHERE credential_id IS NOT NULL;

CREATE TABLE tenantry_recovery_codes (
  user_id text NOT NULL,
  digest text NOT NULL,
  created_at timestamptz NOT NULL,
  used_at timestamptz,
  PRIMARY KEY (user_id, digest)
);

CREATE TABLE tenantry_webauthn_challenges (
  digest text PRIMARY KEY,
  ceremony text NOT NULL,
  user_id text,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  consumed_at timestamptz
);
`,
  },
  {
    version: 9,
    name: 'verified domains and single sign-on',
    // A claim is keyed by organization and domain (an organization's claims are one range of it, in domain order:
    // the column compares by code point). Many organizations may claim a domain while it is pending; the partial
    // unique index holds the verified claims only, so at most one organization holds a domain verified, two
    // verifying it at once included (the second update waits on the first one's index entry and fails once it
    // commits), and it answers who holds it. Connections are listed by organization, oldest first. A login is
    // found by digest, or by the id of its SAML request where the provider drops the state (the partial index
    // leaves out OIDC logins, which have none); consuming it is one `UPDATE … WHERE consumed_at IS NULL AND
    // expires_at > … RETURNING`. An assertion id is remembered by inserting its primary key with `ON CONFLICT DO
    // NOTHING`, so every process accepts it once. Links are keyed by connection and subject and found by user.
    // No foreign keys, as in the other tables: removing a connection deletes its links in the same transaction.
    sql: `
CREATE TABLE tenantry_domains (
  organization_id text NOT NULL,
  domain text COLLATE "C" NOT NULL,
  verification_token text NOT NULL,
  created_at timestamptz NOT NULL,
  verified_at timestamptz,
  PRIMARY KEY (organization_id, domain)
);
CREATE UNIQUE INDEX tenantry_domains_verified ON tenantry_domains (domain) WHERE verified_at IS NOT NULL;

CREATE TABLE tenantry_sso_connections (
  id text PRIMARY KEY,
  organization_id text NOT NULL,
  type text NOT NULL,
  name text NOT NULL,
  enabled boolean NOT NULL,
  settings jsonb NOT NULL,
  role_mapping jsonb,
  default_access jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX tenantry_sso_connections_by_organization
  ON tenantry_sso_connections (organization_id, created_at, id COLLATE "C");

CREATE TABLE tenantry_sso_logins (
  digest text PRIMARY KEY,
  connection_id text NOT NULL,
  organization_id text NOT NULL,
  code_verifier text,
  nonce text,
  request_id text,
  return_to text,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  consumed_at timestamptz
);
CREATE INDEX tenantry_sso_logins_by_request ON tenantry_sso_logins (request_id) WHERE request_id IS NOT NULL;

CREATE TABLE tenantry_sso_assertions (
  connection_id text NOT NULL,
  assertion_id text NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (connection_id, assertion_id)
);

CREATE TABLE tenantry_sso_identities (
  connection_id text NOT NULL,
  subject text NOT NULL,
  user_id text NOT NULL,
  created_at timestamptz NOT NULL,
  last_sign_in_at timestamptz NOT NULL,
  PRIMARY KEY (connection_id, subject)
);
CREATE INDEX tenantry_sso_identities_by_user
  ON tenantry_sso_identities (user_id, created_at, connection_id COLLATE "C", subject COLLATE "C");
`,
  },
];
