/**
 * Migration 10: the search blocks of large organizations (search-blocks.ts),
 * as PostgreSQL's migration 14, and the sort indexes holding what a filter of
 * roles or permissions reads.
 *
 * - `search_revision`: the next value of the one-row counter
 *   `tenantry_search_revision`, given to a user's row by a trigger when it is
 *   inserted and whenever its search text, a sort key, its roles or its
 *   permissions change (a block's filter holds the last two as tokens). SQLite
 *   runs one write transaction at a time, so a revision drawn by a build is
 *   above every committed user's and below every later one's: no lock is
 *   needed for it. Rows that exist when the migration runs keep 0.
 * - A second trigger forgets an organization's blocks and build when the first
 *   or last user of one of its blocks is erased: a block keeps those two users'
 *   sort keys (names, address), which must not outlive the erasure.
 * - `tenantry_search_blocks`: per organization and sort order, runs of 128
 *   consecutive users, each with its first and last user's sort keys (`*_1` to
 *   `*_3`, as many as the order has, the id last) and its filter. Its columns
 *   share no name with the users table's, so that a search may join them
 *   without qualifying its filters.
 * - The sort indexes of migration 9 with roles and permissions appended: a
 *   walk through a block then checks a role or permission filter from the
 *   index entry, as it checks the status and the search text.
 */
const changed = [
  'search_text',
  'last_name_key',
  'first_name_key',
  'email_key',
  'created_at',
  'organization_id',
  'roles',
  'permissions',
]
  .map((column) => `OLD.${column} IS NOT NEW.${column}`)
  .join(' OR ');

const nextRevision = `
  UPDATE tenantry_search_revision SET value = value + 1;
  UPDATE tenantry_users SET search_revision = (SELECT value FROM tenantry_search_revision) WHERE id = NEW.id;`;

export const searchIndexMigration = {
  version: 10,
  name: 'search blocks of large organizations',
  sql: `
ALTER TABLE tenantry_users ADD COLUMN search_revision INTEGER NOT NULL DEFAULT 0;
CREATE INDEX tenantry_users_by_search_revision ON tenantry_users (organization_id, search_revision);

CREATE TABLE tenantry_search_revision (one INTEGER PRIMARY KEY CHECK (one = 1), value INTEGER NOT NULL) STRICT;
INSERT INTO tenantry_search_revision (one, value) VALUES (1, 0);

CREATE TABLE tenantry_search_builds (
  owner_id TEXT PRIMARY KEY,
  revision INTEGER NOT NULL,
  users INTEGER NOT NULL,
  built_at INTEGER NOT NULL
) STRICT;

CREATE TABLE tenantry_search_blocks (
  owner_id TEXT NOT NULL,
  sort_order TEXT NOT NULL,
  position INTEGER NOT NULL,
  first_1 ANY NOT NULL,
  first_2 ANY NOT NULL,
  first_3 ANY,
  first_user TEXT NOT NULL,
  last_1 ANY NOT NULL,
  last_2 ANY NOT NULL,
  last_3 ANY,
  last_user TEXT NOT NULL,
  grams BLOB NOT NULL,
  PRIMARY KEY (owner_id, sort_order, position)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER tenantry_users_revision_on_insert AFTER INSERT ON tenantry_users
BEGIN${nextRevision}
END;
CREATE TRIGGER tenantry_users_revision_on_update AFTER UPDATE ON tenantry_users WHEN ${changed}
BEGIN${nextRevision}
END;
CREATE TRIGGER tenantry_users_erasure_forgets_blocks AFTER UPDATE OF erased_at ON tenantry_users
  WHEN OLD.erased_at IS NULL AND NEW.erased_at IS NOT NULL AND EXISTS (
    SELECT 1 FROM tenantry_search_blocks WHERE owner_id = NEW.organization_id AND (first_user = NEW.id OR last_user = NEW.id)
  )
BEGIN
  DELETE FROM tenantry_search_builds WHERE owner_id = NEW.organization_id;
  DELETE FROM tenantry_search_blocks WHERE owner_id = NEW.organization_id;
END;

DROP INDEX tenantry_users_by_created;
DROP INDEX tenantry_users_by_name;
DROP INDEX tenantry_users_by_email;
CREATE INDEX tenantry_users_by_created
  ON tenantry_users (organization_id, created_at, id, status, erased_at, search_text, roles, permissions);
CREATE INDEX tenantry_users_by_name ON tenantry_users
  (organization_id, last_name_key, first_name_key, id, status, erased_at, search_text, roles, permissions);
CREATE INDEX tenantry_users_by_email
  ON tenantry_users (organization_id, email_key, id, status, erased_at, search_text, roles, permissions);
`,
};
