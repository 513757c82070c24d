import { type SqliteDatabase, serialized } from './connection.js';
import { laterMigrations } from './later-migrations.js';

/**
 * Versioned, plain-SQL migrations; each runs once, recorded in `tenantry_migrations`.
 * Dates are INTEGER epoch milliseconds, booleans 0/1, arrays and objects JSON text.
 * The `*_key` columns and `search_text` hold the lower-cased values the core
 * sorts and searches by, computed in JavaScript (SQLite's `lower()` only folds
 * ASCII), so order, search and email uniqueness match the other adapters exactly.
 */
export const migrations: readonly { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'directory and identity',
    sql: `
CREATE TABLE tenantry_organizations (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  parent_id TEXT,
  partner_id TEXT,
  features TEXT NOT NULL,
  allowed_roles TEXT,
  contact_user_id TEXT,
  profile TEXT NOT NULL,
  attributes TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX tenantry_organizations_parent ON tenantry_organizations (parent_id);
CREATE INDEX tenantry_organizations_partner ON tenantry_organizations (partner_id);

CREATE TABLE tenantry_users (
  id TEXT PRIMARY KEY,
  organization_id TEXT NOT NULL,
  email TEXT NOT NULL,
  first_name TEXT NOT NULL,
  last_name TEXT NOT NULL,
  phone TEXT,
  status TEXT NOT NULL,
  can_sign_in INTEGER NOT NULL,
  permissions TEXT NOT NULL,
  roles TEXT NOT NULL,
  expires_at INTEGER,
  failed_sign_ins INTEGER NOT NULL,
  locked_at INTEGER,
  locked_until INTEGER,
  must_change_password INTEGER NOT NULL,
  email_notifications INTEGER NOT NULL,
  preferences TEXT NOT NULL,
  terms_accepted_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  activated_at INTEGER,
  last_sign_in_at INTEGER,
  erased_at INTEGER,
  email_key TEXT NOT NULL,
  last_name_key TEXT NOT NULL,
  first_name_key TEXT NOT NULL,
  search_text TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX tenantry_users_email ON tenantry_users (email_key);
CREATE INDEX tenantry_users_by_created ON tenantry_users (organization_id, created_at, id);
CREATE INDEX tenantry_users_by_name ON tenantry_users (organization_id, last_name_key, first_name_key, id);
CREATE INDEX tenantry_users_by_email ON tenantry_users (organization_id, email_key, id);

CREATE TABLE tenantry_custom_roles (
  organization_id TEXT NOT NULL,
  key TEXT NOT NULL,
  label TEXT NOT NULL,
  permissions TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (organization_id, key)
) STRICT;

CREATE TABLE tenantry_audit_events (
  id TEXT PRIMARY KEY,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  organization_id TEXT,
  action TEXT NOT NULL,
  target_id TEXT,
  changes TEXT NOT NULL,
  metadata TEXT NOT NULL
) STRICT;
CREATE INDEX tenantry_audit_by_organization ON tenantry_audit_events (organization_id, at, id);
CREATE INDEX tenantry_audit_by_target ON tenantry_audit_events (target_id);

CREATE TABLE tenantry_credentials (
  user_id TEXT PRIMARY KEY,
  password_hash TEXT NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE tenantry_tokens (
  digest TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  organization_id TEXT NOT NULL,
  purpose TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  consumed_at INTEGER
) STRICT;
CREATE INDEX tenantry_tokens_by_user ON tenantry_tokens (user_id, created_at);
CREATE INDEX tenantry_tokens_by_organization ON tenantry_tokens (organization_id, created_at);

CREATE TABLE tenantry_sessions (
  digest TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  absolute_expires_at INTEGER NOT NULL,
  ip TEXT,
  user_agent TEXT,
  revoked_at INTEGER
) STRICT;
CREATE INDEX tenantry_sessions_by_user ON tenantry_sessions (user_id);
`,
  },
  {
    version: 2,
    name: 'import history',
    sql: `
CREATE TABLE tenantry_imports (
  id TEXT PRIMARY KEY,
  organization_id TEXT NOT NULL,
  requested_by TEXT NOT NULL,
  status TEXT NOT NULL,
  mode TEXT NOT NULL,
  dry_run INTEGER NOT NULL,
  total INTEGER NOT NULL,
  created INTEGER NOT NULL,
  updated INTEGER NOT NULL,
  skipped INTEGER NOT NULL,
  failed INTEGER NOT NULL,
  exceptions TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  finished_at INTEGER
) STRICT;
CREATE INDEX tenantry_imports_by_organization ON tenantry_imports (organization_id, started_at DESC, id DESC);
`,
  },
  {
    version: 3,
    name: 'token origins and shared rate limits',
    // Tokens issued before this read as sent by an administrator. The mail budgets count one organization's tokens
    // of one origin, so that index leads with both and replaces the one by organization alone. A rate limit's whole
    // state is its `next_at` (epoch ms, fractional); `retry_after_ms` is what the last spend answered (null:
    // allowed), so that the one statement of a spend can return its decision.
    sql: `
ALTER TABLE tenantry_tokens ADD COLUMN origin TEXT NOT NULL DEFAULT 'admin';
CREATE INDEX tenantry_tokens_by_organization_origin ON tenantry_tokens (organization_id, origin, created_at);
DROP INDEX tenantry_tokens_by_organization;

CREATE TABLE tenantry_rate_limits (
  key TEXT PRIMARY KEY,
  next_at REAL NOT NULL,
  retry_after_ms REAL
) STRICT, WITHOUT ROWID;
`,
  },
  {
    version: 4,
    name: 'outbox and import progress',
    // What to hand on once a change committed, written in the change's transaction; a claim walks the items not
    // failed in the order it takes them (the partial index) and stops at its limit. Imports are written from the
    // start of a run and after each batch: `updated_at` says when (SQLite adds a NOT NULL column only with a
    // default; every report kept before reads as last written when it finished, or started).
    sql: `
CREATE TABLE tenantry_outbox (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  user_id TEXT,
  payload TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  claimed_until INTEGER,
  failed_at INTEGER,
  last_error TEXT
) STRICT;
CREATE INDEX tenantry_outbox_pending ON tenantry_outbox (created_at, id) WHERE failed_at IS NULL;

ALTER TABLE tenantry_imports ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;
UPDATE tenantry_imports SET updated_at = coalesce(finished_at, started_at);
`,
  },
  ...laterMigrations,
];

/**
 * Applies the migrations not yet applied, in order, each in its own
 * transaction. Safe to run again, and from several processes at once: the
 * transaction holds the database's write lock from its start, then creates
 * the migrations table if it is missing and checks the version.
 */
export async function migrate(database: SqliteDatabase): Promise<number[]> {
  const applied: number[] = [];
  for (const migration of migrations) {
    const done = await serialized(database, async (sql) => {
      await sql.query(
        'CREATE TABLE IF NOT EXISTS tenantry_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT',
      );
      const existing = await sql.query('SELECT 1 FROM tenantry_migrations WHERE version = ?', [migration.version]);
      if (existing.length > 0) return false;
      database.exec(migration.sql);
      await sql.query('INSERT INTO tenantry_migrations (version, name, applied_at) VALUES (?, ?, ?)', [
        migration.version,
        migration.name,
        Date.now(),
      ]);
      return true;
    });
    if (done) applied.push(migration.version);
  }
  return applied;
}
