import type { SqlDatabase } from './executor.js';
import { grantIndexMigration } from './grant-index-migration.js';
import { laterMigrations } from './later-migrations.js';
import { searchIndexMigration } from './search-index-migration.js';

/** Versioned, plain-SQL migrations; each runs once, recorded in `tenantry_migrations`. */
export const migrations: readonly { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'directory and identity',
    sql: `
CREATE TABLE tenantry_organizations (
  id text PRIMARY KEY,
  name text NOT NULL,
  kind text NOT NULL,
  parent_id text,
  partner_id text,
  features text[] NOT NULL,
  allowed_roles text[],
  contact_user_id text,
  profile jsonb NOT NULL,
  attributes jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX tenantry_organizations_parent ON tenantry_organizations (parent_id);
CREATE INDEX tenantry_organizations_partner ON tenantry_organizations (partner_id);

CREATE TABLE tenantry_users (
  id text PRIMARY KEY,
  organization_id text NOT NULL,
  email text NOT NULL,
  first_name text NOT NULL,
  last_name text NOT NULL,
  phone text,
  status text NOT NULL,
  can_sign_in boolean NOT NULL,
  permissions text[] NOT NULL,
  roles text[] NOT NULL,
  expires_at timestamptz,
  failed_sign_ins integer NOT NULL,
  locked_at timestamptz,
  locked_until timestamptz,
  must_change_password boolean NOT NULL,
  email_notifications boolean NOT NULL,
  preferences jsonb NOT NULL,
  terms_accepted_at timestamptz,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  activated_at timestamptz,
  last_sign_in_at timestamptz,
  erased_at timestamptz,
  -- Lower-cased by tenantry (not by the database's locale), compared byte-wise: the keys of equality, order and search.
  email_key text COLLATE "C" NOT NULL,
  last_name_key text COLLATE "C" NOT NULL,
  first_name_key text COLLATE "C" NOT NULL,
  search_text text COLLATE "C" NOT NULL
);
CREATE UNIQUE INDEX tenantry_users_email ON tenantry_users (email_key);
CREATE INDEX tenantry_users_by_created ON tenantry_users (organization_id, created_at, id COLLATE "C");
CREATE INDEX tenantry_users_by_name ON tenantry_users (organization_id, last_name_key, first_name_key, id COLLATE "C");
CREATE INDEX tenantry_users_by_email ON tenantry_users (organization_id, email_key, id COLLATE "C");

CREATE TABLE tenantry_custom_roles (
  organization_id text NOT NULL,
  key text NOT NULL,
  label text NOT NULL,
  permissions text[] NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (organization_id, key)
);

CREATE TABLE tenantry_audit_events (
  id text PRIMARY KEY,
  at timestamptz NOT NULL,
  actor jsonb NOT NULL,
  organization_id text,
  action text NOT NULL,
  target_id text,
  changes jsonb NOT NULL,
  metadata jsonb NOT NULL
);
CREATE INDEX tenantry_audit_by_organization ON tenantry_audit_events (organization_id, at DESC, id DESC);
CREATE INDEX tenantry_audit_by_target ON tenantry_audit_events (target_id);

CREATE TABLE tenantry_credentials (
  user_id text PRIMARY KEY,
  password_hash text NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE TABLE tenantry_tokens (
  digest text PRIMARY KEY,
  user_id text NOT NULL,
  organization_id text NOT NULL,
  purpose text NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  consumed_at timestamptz
);
CREATE INDEX tenantry_tokens_by_user ON tenantry_tokens (user_id, created_at);
CREATE INDEX tenantry_tokens_by_organization ON tenantry_tokens (organization_id, created_at);

CREATE TABLE tenantry_sessions (
  digest text PRIMARY KEY,
  user_id text NOT NULL,
  created_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  absolute_expires_at timestamptz NOT NULL,
  ip text,
  user_agent text,
  revoked_at timestamptz
);
CREATE INDEX tenantry_sessions_by_user ON tenantry_sessions (user_id);
`,
  },
  {
    version: 2,
    name: 'trigram search index where pg_trgm is available',
    // Searching is a substring match on `searchText` (user-query.ts); without pg_trgm it scans the organization's rows.
    sql: `
DO $$
BEGIN
  CREATE EXTENSION IF NOT EXISTS pg_trgm;
EXCEPTION WHEN OTHERS THEN
  RAISE NOTICE 'pg_trgm is not available: user search will not use a trigram index';
END
$$;
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
    CREATE INDEX tenantry_users_search ON tenantry_users USING gin (search_text gin_trgm_ops);
  END IF;
END
$$;
`,
  },
  {
    version: 3,
    name: 'import history',
    sql: `
CREATE TABLE tenantry_imports (
  id text PRIMARY KEY,
  organization_id text NOT NULL,
  requested_by jsonb NOT NULL,
  status text NOT NULL,
  mode text NOT NULL,
  dry_run boolean NOT NULL,
  total integer NOT NULL,
  created integer NOT NULL,
  updated integer NOT NULL,
  skipped integer NOT NULL,
  failed integer NOT NULL,
  exceptions jsonb NOT NULL,
  started_at timestamptz NOT NULL,
  finished_at timestamptz
);
CREATE INDEX tenantry_imports_by_organization ON tenantry_imports (organization_id, started_at DESC, id COLLATE "C" DESC);
`,
  },
  {
    version: 4,
    name: 'indexes for listing by grant',
    // A filter by permission or role finds its few holders among many users without walking them all.
    sql: `
CREATE INDEX tenantry_users_permissions ON tenantry_users USING gin (permissions);
CREATE INDEX tenantry_users_roles ON tenantry_users USING gin (roles);
`,
  },
  {
    version: 5,
    name: 'token origins and shared rate limits',
    // Tokens issued before this read as sent by an administrator; the default also keeps a process of the previous
    // version, still running during a deploy, able to insert tokens. The mail budgets count one organization's
    // tokens of one origin, so that index leads with both and replaces the one by organization alone. Index names
    // are not qualified by the storage's schema option, so the old one is dropped in the tokens table's own schema.
    // A rate limit's whole state is its `next_at`; `retry_after_ms` is what the last spend answered (null: allowed),
    // so that the one statement of a spend can return its decision. No index on `next_at`: it changes on every
    // spend, and without one those updates stay heap-only; the clean-up scans for recovered keys instead.
    sql: `
ALTER TABLE tenantry_tokens ADD COLUMN origin text NOT NULL DEFAULT 'admin';
CREATE INDEX tenantry_tokens_by_organization_origin ON tenantry_tokens (organization_id, origin, created_at);
DO $$
BEGIN
  EXECUTE format('DROP INDEX %s.tenantry_tokens_by_organization',
    (SELECT relnamespace::regnamespace FROM pg_class WHERE oid = 'tenantry_tokens'::regclass));
END
$$;

CREATE TABLE tenantry_rate_limits (
  key text COLLATE "C" PRIMARY KEY,
  next_at double precision NOT NULL,
  retry_after_ms double precision
);
`,
  },
  {
    version: 6,
    name: 'outbox and import progress',
    // The outbox holds what to hand on once a change committed, written in the change's transaction. A claim takes
    // the oldest items not failed that are due (`WHERE failed_at IS NULL AND next_attempt_at <= now ORDER BY
    // created_at, id`): the partial index walks them in that order and stops at the claim's limit, and holds only
    // items still waiting, since handed-on ones are deleted and failed ones leave it. Claims change `claimed_until`
    // only, which no index holds, so they stay heap-only updates. Imports are written from the start of a run and
    // after each batch; `updated_at` says when, and reports kept before read as last written when they finished.
    sql: `
CREATE TABLE tenantry_outbox (
  id text PRIMARY KEY,
  kind text NOT NULL,
  user_id text,
  payload text NOT NULL,
  created_at timestamptz NOT NULL,
  attempts integer NOT NULL,
  next_attempt_at timestamptz NOT NULL,
  claimed_until timestamptz,
  failed_at timestamptz,
  last_error text
);
CREATE INDEX tenantry_outbox_pending ON tenantry_outbox (created_at, id COLLATE "C") WHERE failed_at IS NULL;

ALTER TABLE tenantry_imports ADD COLUMN updated_at timestamptz;
UPDATE tenantry_imports SET updated_at = coalesce(finished_at, started_at);
ALTER TABLE tenantry_imports ALTER COLUMN updated_at SET NOT NULL;
`,
  },
  ...laterMigrations,
  searchIndexMigration,
  grantIndexMigration,
];

/** A migration's statements: split at semicolons that end a line, except inside `$$` bodies. */
function statements(sql: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (const line of sql.split('\n')) {
    current += `${line}\n`;
    quoted = (line.match(/\$\$/g)?.length ?? 0) % 2 === 1 ? !quoted : quoted;
    if (!quoted && line.trimEnd().endsWith(';')) {
      parts.push(current.trim().replace(/;$/, ''));
      current = '';
    }
  }
  if (current.trim()) parts.push(current.trim());
  return parts;
}

/**
 * Applies the migrations not yet applied, in order, each in its own
 * transaction. Safe to run again, and from several processes at once: each
 * transaction first takes an advisory lock named after the migrations table
 * (so after its schema, too), then creates that table if it is missing.
 */
export async function migrate(db: SqlDatabase, schema?: string): Promise<number[]> {
  const applied: number[] = [];
  for (const migration of migrations) {
    const done = await db.transaction(async (tx) => {
      await tx.query("SELECT pg_advisory_xact_lock(hashtext('tenantry_migrations'))");
      if (schema !== undefined) await tx.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      await tx.query(
        'CREATE TABLE IF NOT EXISTS tenantry_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
      );
      const existing = await tx.query('SELECT 1 FROM tenantry_migrations WHERE version = $1', [migration.version]);
      if (existing.length > 0) return false;
      for (const statement of statements(migration.sql)) await tx.query(statement);
      await tx.query('INSERT INTO tenantry_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
      return true;
    });
    if (done) applied.push(migration.version);
  }
  return applied;
}
