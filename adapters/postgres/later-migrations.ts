/**
 * The migrations of the second round (7 on): profile fields and resource
 * grants, second factors. Kept apart from the first ones only for length;
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
];
