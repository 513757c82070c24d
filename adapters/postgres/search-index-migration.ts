/**
 * Migration 14: the search index of large organizations (see search-blocks.ts).
 *
 * - `search_revision`: a number from a sequence, given to a user's row by a
 *   trigger when it is inserted and whenever its search text or a sort key
 *   changes. A build of the index records the revision it saw up to; a user
 *   above it changed since and is searched apart. Rows that exist when the
 *   migration runs keep 0, which no build has yet seen, as no organization
 *   has one.
 * - The trigger also takes a shared advisory lock named after the users table
 *   until its transaction ends. A build takes the same lock exclusively (and
 *   never waits for it) to draw its revision, so every user below that
 *   revision has committed before the build reads.
 * - A second trigger forgets an organization's blocks when a user who is the
 *   first or last of a block is erased: a block keeps those two users' sort
 *   keys (names, address), which must not outlive the erasure. Until the next
 *   build its searches go as they did before the blocks.
 * - `tenantry_search_builds`: per organization, the revision its blocks hold.
 * - `tenantry_search_blocks`: per organization and sort order, runs of about
 *   128 consecutive users, each with its first and last sort key and a Bloom
 *   filter of its users' bigrams and trigrams.
 */
/** The advisory lock a write of a user's search text holds shared and a build takes exclusively, as SQL. */
export const searchLockKey = "(1952804468::bigint << 32) + 'tenantry_users'::regclass::oid::bigint";

export const searchIndexMigration = {
  version: 14,
  name: 'search blocks of large organizations',
  sql: `
CREATE SEQUENCE tenantry_search_revisions;
ALTER TABLE tenantry_users ADD COLUMN search_revision bigint NOT NULL DEFAULT 0;
CREATE INDEX tenantry_users_by_search_revision ON tenantry_users (organization_id, search_revision);
CREATE TABLE tenantry_search_builds (
  organization_id text PRIMARY KEY,
  revision bigint NOT NULL,
  users integer NOT NULL,
  built_at timestamptz NOT NULL
);
CREATE TABLE tenantry_search_blocks (
  organization_id text NOT NULL,
  sort_key text NOT NULL,
  position integer NOT NULL,
  first_key text COLLATE "C",
  first_second_key text COLLATE "C",
  first_at timestamptz,
  first_id text COLLATE "C" NOT NULL,
  last_key text COLLATE "C",
  last_second_key text COLLATE "C",
  last_at timestamptz,
  last_id text COLLATE "C" NOT NULL,
  grams bit(8192) NOT NULL,
  PRIMARY KEY (organization_id, sort_key, position)
);
DO $$
DECLARE
  namespace text := (SELECT relnamespace::regnamespace::text FROM pg_class WHERE oid = 'tenantry_users'::regclass);
  lock_key bigint := ${searchLockKey};
  revisions oid := 'tenantry_search_revisions'::regclass::oid;
  changed text := 'OLD.search_text IS DISTINCT FROM NEW.search_text'
    || ' OR OLD.last_name_key IS DISTINCT FROM NEW.last_name_key OR OLD.first_name_key IS DISTINCT FROM NEW.first_name_key'
    || ' OR OLD.email_key IS DISTINCT FROM NEW.email_key OR OLD.created_at IS DISTINCT FROM NEW.created_at'
    || ' OR OLD.organization_id IS DISTINCT FROM NEW.organization_id';
  blocks text := (SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = 'tenantry_search_blocks'::regclass);
  builds text := (SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = 'tenantry_search_builds'::regclass);
BEGIN
  EXECUTE format(
    'CREATE FUNCTION %s.tenantry_next_search_revision() RETURNS trigger LANGUAGE plpgsql AS %L',
    namespace,
    format('BEGIN PERFORM pg_advisory_xact_lock_shared(%s); NEW.search_revision := nextval(%s::regclass); RETURN NEW; END',
      lock_key, revisions));
  EXECUTE format('CREATE TRIGGER tenantry_users_revision_on_insert BEFORE INSERT ON tenantry_users'
    || ' FOR EACH ROW EXECUTE FUNCTION %s.tenantry_next_search_revision()', namespace);
  EXECUTE format('CREATE TRIGGER tenantry_users_revision_on_update BEFORE UPDATE ON tenantry_users'
    || ' FOR EACH ROW WHEN (%s) EXECUTE FUNCTION %s.tenantry_next_search_revision()', changed, namespace);
  EXECUTE format(
    'CREATE FUNCTION %s.tenantry_forget_search_blocks() RETURNS trigger LANGUAGE plpgsql AS %L',
    namespace,
    format('BEGIN PERFORM pg_advisory_xact_lock_shared(%s);'
      || ' IF EXISTS (SELECT 1 FROM %s WHERE organization_id = NEW.organization_id AND (first_id = NEW.id OR last_id = NEW.id)) THEN'
      || ' DELETE FROM %s WHERE organization_id = NEW.organization_id;'
      || ' DELETE FROM %s WHERE organization_id = NEW.organization_id; END IF; RETURN NULL; END',
      lock_key, blocks, builds, blocks));
  EXECUTE format('CREATE TRIGGER tenantry_users_erasure_forgets_blocks AFTER UPDATE ON tenantry_users'
    || ' FOR EACH ROW WHEN (OLD.erased_at IS NULL AND NEW.erased_at IS NOT NULL)'
    || ' EXECUTE FUNCTION %s.tenantry_forget_search_blocks()', namespace);
END
$$;
`,
};
