import type { ResourceAccess, ResourceGrant, ResourceGrantRepository } from '../../src/adapter-kit/index.js';
import { insertRows, type Parameters, querying, type SqlDialect, type SqlExecutor, whereAll } from './dialect.js';
import type { Row } from './row-mapping.js';

/** The columns of `tenantry_resource_grants`; a null `resource_id` grants every resource of the type. */
export const grantColumns = 'organization_id, user_id, type, resource_id';

/**
 * A user's access from their grant rows (`type` and `resource_id`, null for
 * every resource of the type), ids in the order the rows came in
 * (the statements sort them by code point). A grant of every resource of a
 * type wins over ids of it. Built through a `Map`, so a type named like an
 * `Object.prototype` member is an own key like any other.
 */
export function accessFromGrants(rows: Iterable<Row>): ResourceAccess {
  const types = new Map<string, 'all' | string[]>();
  for (const row of rows) {
    const type = String(row.type);
    const held = types.get(type);
    if (row.resource_id === null || row.resource_id === undefined) types.set(type, 'all');
    else if (held === undefined) types.set(type, [String(row.resource_id)]);
    else if (held !== 'all') held.push(String(row.resource_id));
  }
  return Object.fromEntries(types);
}

/**
 * Resource grants over SQL, in the given dialect (migration 7 on PostgreSQL,
 * 5 on SQLite). A user's grants are found by `user_id` (one index); the
 * holders of a resource are two ordered index ranges, its id's and its
 * type's "every resource" grants, each cut at the page's limit and merged.
 */
export function resourceGrantRepository(sql: SqlExecutor, dialect: SqlDialect): ResourceGrantRepository {
  const run = querying(sql, dialect);
  const userOrder = dialect.bytewise('user_id');
  /** The conditions of one user's grants of one type: bind in this order. */
  const ofUserType = ({ bind }: Parameters, userId: string, type: string) => [
    `user_id = ${bind(userId)}`,
    `type = ${bind(type)}`,
  ];
  const insertGrants = (grants: readonly ResourceGrant[]) =>
    insertRows(
      sql,
      dialect,
      {
        table: 'tenantry_resource_grants',
        columns: grantColumns,
        values: (grant: ResourceGrant) => [grant.organizationId, grant.userId, grant.type, grant.resourceId],
        skipDuplicates: true,
      },
      grants,
    );

  return {
    async forUsers(userIds) {
      const access = new Map<string, ResourceAccess>();
      if (userIds.length === 0) return access;
      const rows = await run(
        ({ list }) =>
          `SELECT user_id, type, resource_id FROM tenantry_resource_grants
           WHERE ${dialect.isAnyOf('user_id', list([...new Set(userIds)]))}
           ORDER BY user_id, type, ${dialect.bytewise('resource_id')}`,
      );
      const byUser = new Map<string, Row[]>();
      for (const row of rows) {
        const userId = String(row.user_id);
        const held = byUser.get(userId);
        if (held) held.push(row);
        else byUser.set(userId, [row]);
      }
      for (const [userId, held] of byUser) access.set(userId, accessFromGrants(held));
      return access;
    },

    async replace(owner, access) {
      const { organizationId, userId, type } = owner;
      const ids = access === 'all' || access === 'none' ? [] : [...new Set(access)];
      // Only what goes is deleted, and what stays is kept (the insert passes over it).
      await run((params) => {
        const where = ofUserType(params, userId, type);
        if (access === 'all') where.push('resource_id IS NOT NULL');
        else if (access !== 'none') {
          where.push(`(resource_id IS NULL OR NOT ${dialect.isAnyOf('resource_id', params.list(ids))})`);
        }
        return `DELETE FROM tenantry_resource_grants${whereAll(where)}`;
      });
      if (access === 'none') return;
      const resourceIds = access === 'all' ? [null] : ids;
      await insertGrants(resourceIds.map((resourceId) => ({ organizationId, userId, type, resourceId })));
    },

    async add(grant) {
      const { organizationId, userId, type, resourceId } = grant;
      if (resourceId === null) {
        const added = await run(
          ({ tuple }) =>
            `INSERT INTO tenantry_resource_grants (${grantColumns}) VALUES ${tuple([organizationId, userId, type, null])}
             ON CONFLICT DO NOTHING RETURNING user_id`,
        );
        if (added.length === 0) return false;
        // Every resource of the type covers its ids: they go, so that one row says what the user holds.
        await run(
          (params) =>
            `DELETE FROM tenantry_resource_grants${whereAll([...ofUserType(params, userId, type), 'resource_id IS NOT NULL'])}`,
        );
        return true;
      }
      const added = await run((params) => {
        const { bind } = params;
        const row = [organizationId, userId, type, resourceId].map((value) => `CAST(${bind(value)} AS TEXT)`);
        const every = whereAll([...ofUserType(params, userId, type), 'resource_id IS NULL']);
        return `INSERT INTO tenantry_resource_grants (${grantColumns})
                SELECT ${row.join(', ')} WHERE NOT EXISTS (SELECT 1 FROM tenantry_resource_grants${every})
                ON CONFLICT DO NOTHING RETURNING user_id`;
      });
      return added.length > 0;
    },

    async remove({ userId, type, resourceId }) {
      const removed = await run((params) => {
        const where = ofUserType(params, userId, type);
        where.push(resourceId === null ? 'resource_id IS NULL' : `resource_id = ${params.bind(resourceId)}`);
        return `DELETE FROM tenantry_resource_grants${whereAll(where)} RETURNING user_id`;
      });
      return removed.length > 0;
    },

    async holders({ organizationId, type, resourceId, after, limit }) {
      const found = await run(({ bind }) => {
        /** The grants of one kind in user order, from the cursor, cut at the limit: one ordered index range. */
        const range = (name: string, kind: () => string) => {
          const where = [`organization_id = ${bind(organizationId)}`, `type = ${bind(type)}`, kind()];
          if (after !== undefined) where.push(`${userOrder} > ${dialect.bytewiseValue(bind(after))}`);
          return `SELECT user_id FROM (SELECT user_id FROM tenantry_resource_grants${whereAll(where)}
                  ORDER BY ${userOrder} LIMIT ${bind(limit)}) AS ${name}`;
        };
        const byId = range('by_id', () => `resource_id = ${bind(resourceId)}`);
        const every = range('every_resource', () => 'resource_id IS NULL');
        return `SELECT user_id FROM (${byId} UNION ${every}) AS holders ORDER BY ${userOrder} LIMIT ${bind(limit)}`;
      });
      return found.map((row) => String(row.user_id));
    },

    async forget({ organizationId, type, resourceId }) {
      const removed = await run(
        ({ bind }) =>
          `DELETE FROM tenantry_resource_grants
           WHERE organization_id = ${bind(organizationId)} AND type = ${bind(type)} AND resource_id = ${bind(resourceId)}
           RETURNING user_id`,
      );
      return removed.length;
    },

    async removeForUser(userId) {
      await run(({ bind }) => `DELETE FROM tenantry_resource_grants WHERE user_id = ${bind(userId)}`);
    },
  };
}
