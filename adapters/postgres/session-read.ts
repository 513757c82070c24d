import type { SessionContext } from '../../src/adapter-kit/index.js';
import { accessFromGrants } from '../sql/resource-grant-repository.js';
import { postgresDialect } from './dialect.js';
import type { SqlExecutor } from './executor.js';

const { customRoleFrom, organizationFrom, sessionFrom, userFrom } = postgresDialect.rows;

type Row = Record<string, unknown>;

/**
 * The resource grants of the user `u` of a statement, as one JSON array in
 * grant order: a column of the session read and of the user-with-context read.
 */
export const grantsOfUser = `(SELECT coalesce(jsonb_agg(jsonb_build_object('type', g.type, 'resource_id', g.resource_id)
           ORDER BY g.type, g.resource_id COLLATE "C"), '[]'::jsonb)
         FROM tenantry_resource_grants g WHERE g.user_id = u.id)`;

/**
 * A session with its user, the user's resource grants, organization and
 * custom roles in one statement: one round trip, one snapshot, no
 * transaction (`Storage.readSession`). Whole rows go through `to_jsonb`, so
 * every column reaches the row mapping, as a JSON value: the session's
 * `authentication_methods` and `enrollment_due_at` (migration 8) and the
 * organization's `security_policy` among them.
 */
export async function readSession(sql: SqlExecutor, digest: string): Promise<SessionContext | null> {
  const [row] = await sql.query(
    `SELECT to_jsonb(s) AS session, to_jsonb(u) AS "user", to_jsonb(o) AS organization,
       (SELECT coalesce(jsonb_agg(to_jsonb(r)), '[]'::jsonb) FROM tenantry_custom_roles r
         WHERE r.organization_id = o.id) AS custom_roles,
       ${grantsOfUser} AS resource_grants
     FROM tenantry_sessions s
     JOIN tenantry_users u ON u.id = s.user_id
     JOIN tenantry_organizations o ON o.id = u.organization_id
     WHERE s.digest = $1`,
    [digest],
    { prepare: true },
  );
  if (!row) return null;
  return {
    session: sessionFrom(row.session as Row),
    user: userFrom(row.user as Row),
    resourceAccess: accessFromGrants(postgresDialect.codec.readJson<Row[]>(row.resource_grants)),
    organization: organizationFrom(row.organization as Row),
    customRoles: (row.custom_roles as Row[]).map(customRoleFrom),
  };
}
