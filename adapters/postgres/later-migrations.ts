/**
 * The migrations of the second round (7 on): profile fields and resource
 * grants, second factors, verified domains and single sign-on, and the indexes of retention. Kept apart from the first ones only for length;
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
  {
    version: 10,
    name: 'retention indexes',
    // Each kind `maintenance.purge` removes is found through an index on the moment it ended, which a `LIMIT`ed
    // subselect walks from the oldest. Sessions by their absolute end, which never changes, and their revocation
    // (a partial index: few are revoked); not by their idle expiry, which moves on every use: touching a session
    // changes no indexed column and stays a heap-only update, and a session that idled out goes once its absolute
    // end is past the window. Tokens by expiry and by consumption (partial), challenges, started SSO sign-ins and
    // assertion ids by expiry, import reports by their last write and the audit trail by time. The rate limits keep
    // no index on `next_at` (see migration 5): their table holds about the keys in use.
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
    version: 11,
    name: 'trigram search index by organization where btree_gin is available',
    // Every search is within one organization. With btree_gin the trigram index holds the organization too, so the
    // index intersects the organization's postings with the term's and the table is read only for the company's own
    // matches (a term common in 10,000 companies: 11,111 rows read for one company rather than 111,111). A GIN
    // index keeps each column's keys apart, so the term's postings it reads are still the installation's. It
    // replaces the index of migration 2.
    // Without btree_gin (or pg_trgm), nothing changes. The index of migration 2 is dropped in its table's schema.
    sql: `
DO $$
BEGIN
  CREATE EXTENSION IF NOT EXISTS btree_gin;
EXCEPTION WHEN OTHERS THEN
  RAISE NOTICE 'btree_gin is not available: the search index stays one of the whole installation';
END
$$;
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'btree_gin')
    AND EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
    CREATE INDEX tenantry_users_search_by_organization ON tenantry_users USING gin (organization_id, search_text gin_trgm_ops);
    EXECUTE format('DROP INDEX IF EXISTS %s.tenantry_users_search',
      (SELECT relnamespace::regnamespace FROM pg_class WHERE oid = 'tenantry_users'::regclass));
  END IF;
END
$$;
`,
  },
  {
    version: 12,
    name: 'a short pending list for the trigram search index',
    // GIN collects new entries in a pending list, merged into the index by vacuum or when the list outgrows
    // gin_pending_list_limit (4 MB by default), and every search reads the whole list. After a bulk import, tens of
    // thousands of users waited there: the planner costed the trigram index so high that it scanned the company's
    // rows instead (48 ms rather than 17 ms for a term one user in nine matches, at 100,000 users). A limit of
    // 256 kB bounds the list at about 2,000 users; measured, inserting 10,000 users took 650 ms against 580 ms with
    // the default (and 2,300 ms with no pending list at all).
    sql: `
DO $$
DECLARE
  search_index text;
BEGIN
  FOR search_index IN
    SELECT format('%I.%I', namespace.nspname, index.relname)
    FROM pg_class index
    JOIN pg_namespace namespace ON namespace.oid = index.relnamespace
    WHERE index.relname IN ('tenantry_users_search_by_organization', 'tenantry_users_search')
      AND namespace.oid = (SELECT relnamespace FROM pg_class WHERE oid = 'tenantry_users'::regclass)
  LOOP
    EXECUTE format('ALTER INDEX %s SET (gin_pending_list_limit = 256)', search_index);
    EXECUTE format('SELECT gin_clean_pending_list(%L::regclass)', search_index);
  END LOOP;
END
$$;
`,
  },
  {
    version: 13,
    name: 'sort indexes that hold what a search and its filters read',
    // A search walks the listing's sort index and keeps the users who match (see user-search.ts). With the columns
    // a filter or the search reads in the index, the walk is index-only: 3 entries a microsecond rather than one
    // row, so a term whose matches begin late in the order costs a third. Each index is made again under its name,
    // in its table's schema.
    sql: `
DO $$
DECLARE
  namespace text := (SELECT relnamespace::regnamespace::text FROM pg_class WHERE oid = 'tenantry_users'::regclass);
  covered text := 'INCLUDE (status, erased_at, search_text, permissions, roles)';
BEGIN
  EXECUTE format('DROP INDEX %s.tenantry_users_by_created', namespace);
  EXECUTE format('DROP INDEX %s.tenantry_users_by_name', namespace);
  EXECUTE format('DROP INDEX %s.tenantry_users_by_email', namespace);
  EXECUTE 'CREATE INDEX tenantry_users_by_created ON tenantry_users (organization_id, created_at, id COLLATE "C") '
    || covered;
  EXECUTE 'CREATE INDEX tenantry_users_by_name ON tenantry_users '
    || '(organization_id, last_name_key, first_name_key, id COLLATE "C") ' || covered;
  EXECUTE 'CREATE INDEX tenantry_users_by_email ON tenantry_users (organization_id, email_key, id COLLATE "C") '
    || covered;
END
$$;
`,
  },
];
