import { type DomainRepository, domainClaimedError, domainTakenError } from '../../src/adapter-kit/index.js';
import { insertRows, querying, type SqlDialect, type SqlExecutor, translatingDuplicate } from './dialect.js';
import { domainColumns, ssoRows } from './sso-rows.js';

/**
 * Organizations' claims of mail domains over SQL, in the given dialect
 * (migration 9 on PostgreSQL, 7 on SQLite). A claim is keyed by organization
 * and domain, so an organization's claims are one range of the primary key,
 * in domain order. The partial unique index `tenantry_domains_verified`
 * holds the verified claims only: any number of organizations may claim a
 * domain, and the index refuses a second verified one. Of two organizations
 * verifying the same domain at once, the second one's update waits on the
 * first one's index entry and fails once it commits.
 */
export function domainRepository(sql: SqlExecutor, dialect: SqlDialect): DomainRepository {
  const rows = ssoRows(dialect.codec);
  const run = querying(sql, dialect);
  const into = { table: 'tenantry_domains', columns: domainColumns, values: rows.domainValues };

  return {
    async insert(claim) {
      try {
        await insertRows(sql, dialect, into, [claim]);
      } catch (error) {
        // PostgreSQL names both violations alike: a pending claim, as callers insert, can only repeat the key.
        if (dialect.violates(error, 'primary-key')) throw domainClaimedError(claim.domain);
        if (dialect.violates(error, 'unique-index')) throw domainTakenError(claim.domain);
        throw error;
      }
    },

    async get(organizationId, domain) {
      const [row] = await run(
        ({ bind }) =>
          `SELECT ${domainColumns} FROM tenantry_domains
           WHERE organization_id = ${bind(organizationId)} AND domain = ${bind(domain)}`,
      );
      return row ? rows.domainFrom(row) : null;
    },

    async forOrganization(organizationId) {
      const found = await run(
        ({ bind }) =>
          `SELECT ${domainColumns} FROM tenantry_domains WHERE organization_id = ${bind(organizationId)}
           ORDER BY ${dialect.bytewise('domain')}`,
      );
      return found.map(rows.domainFrom);
    },

    async verifiedClaim(domain) {
      const [row] = await run(
        ({ bind }) =>
          `SELECT ${domainColumns} FROM tenantry_domains WHERE domain = ${bind(domain)} AND verified_at IS NOT NULL`,
      );
      return row ? rows.domainFrom(row) : null;
    },

    async markVerified(organizationId, domain, at) {
      const verified = await translatingDuplicate(
        dialect,
        run(
          ({ bind, date }) =>
            `UPDATE tenantry_domains SET verified_at = ${date(at)}
             WHERE organization_id = ${bind(organizationId)} AND domain = ${bind(domain)} RETURNING domain`,
        ),
        'unique-index',
        () => domainTakenError(domain),
      );
      return verified.length === 1;
    },

    async remove(organizationId, domain) {
      const removed = await run(
        ({ bind }) =>
          `DELETE FROM tenantry_domains
           WHERE organization_id = ${bind(organizationId)} AND domain = ${bind(domain)} RETURNING domain`,
      );
      return removed.length === 1;
    },
  };
}
