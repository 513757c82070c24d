import type { UserWithContext } from '../../src/adapter-kit/index.js';
import { factorRows } from '../sql/factor-rows.js';
import { accessFromGrants } from '../sql/resource-grant-repository.js';
import { postgresDialect } from './dialect.js';
import type { SqlExecutor } from './executor.js';
import { grantsOfUser } from './session-read.js';

const { customRoleFrom, organizationFrom, userFrom } = postgresDialect.rows;
const { factorFrom } = factorRows(postgresDialect.codec);

type Row = Record<string, unknown>;

/** As deep as `Unit.chain` follows parents. */
const maxDepth = 64;

/**
 * A user with their organization chain, its custom roles, their factors and
 * their resource grants, in one statement (`users.getWithContext`): a
 * sign-in's reads after the password, or a change's, in one round trip
 * instead of five. With `forUpdate` only the user's row is locked, as
 * `users.get` locks it. Whole rows go through `to_jsonb`, as in the session
 * read, so every column reaches the row mapping.
 */
export async function readUserContext(
  sql: SqlExecutor,
  id: string,
  options?: { forUpdate?: boolean },
): Promise<UserWithContext | null> {
  // With `forUpdate`, the lock waits for the user's update where the transaction allows (`lockLater`).
  const later = options?.forUpdate ? sql.lockLater?.() : undefined;
  const [row] = await sql.query(
    `SELECT to_jsonb(u) AS "user", u.xmin::text AS row_version,
       (WITH RECURSIVE chain AS (
          SELECT o, o.parent_id, 1 AS depth FROM tenantry_organizations o WHERE o.id = u.organization_id
          UNION ALL
          SELECT p, p.parent_id, chain.depth + 1 FROM tenantry_organizations p
            JOIN chain ON p.id = chain.parent_id WHERE chain.depth < ${maxDepth})
        SELECT coalesce(jsonb_agg(to_jsonb(chain.o) ORDER BY chain.depth), '[]'::jsonb) FROM chain) AS organizations,
       (SELECT coalesce(jsonb_agg(to_jsonb(r) ORDER BY r.key COLLATE "C"), '[]'::jsonb) FROM tenantry_custom_roles r
         WHERE r.organization_id = u.organization_id) AS custom_roles,
       (SELECT coalesce(jsonb_agg(to_jsonb(f) ORDER BY f.created_at, f.id COLLATE "C"), '[]'::jsonb)
         FROM tenantry_factors f WHERE f.user_id = u.id) AS factors,
       ${grantsOfUser} AS resource_grants
     FROM tenantry_users u WHERE u.id = $1${options?.forUpdate && !later ? ' FOR UPDATE OF u' : ''}`,
    [id],
  );
  if (!row) return null;
  const version = String(row.row_version);
  later?.({
    table: 'tenantry_users',
    key: id,
    version,
    lock: { text: 'SELECT 1 FROM tenantry_users WHERE id = $1 AND xmin::text = $2 FOR UPDATE', params: [id, version] },
  });
  return {
    user: userFrom(row.user as Row),
    organizations: (row.organizations as Row[]).map(organizationFrom),
    customRoles: (row.custom_roles as Row[]).map(customRoleFrom),
    factors: (row.factors as Row[]).map(factorFrom),
    access: accessFromGrants(postgresDialect.codec.readJson<Row[]>(row.resource_grants)),
  };
}
