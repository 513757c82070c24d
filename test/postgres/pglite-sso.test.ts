import { PGlite } from '@electric-sql/pglite';
import { describe, expect, it } from 'vitest';
import { postgresStorage } from '../../adapters/postgres/index.js';
import {
  domainRecord,
  fixtureTime,
  ssoConnectionRecord,
  ssoIdentityRecord,
  ssoLoginRecord,
} from '../../src/testing/index.js';

// One migrated database; the test gets its own clone of it.
const template = new PGlite();
await postgresStorage({ client: template }).migrate();

describe('pglite storage: single sign-on', () => {
  it('answers claims, connections, logins, assertion ids and identity links from their indexes', async () => {
    const client = await template.clone();
    try {
      const storage = postgresStorage({ client });
      await storage.transaction(async (tx) => {
        for (let index = 0; index < 200; index++) {
          const organizationId = `org_${index}`;
          const connection = ssoConnectionRecord({ organizationId });
          // Four organizations claim each domain; one of them, for every other domain, verified it.
          const verifiedAt = index < 50 && index % 2 === 0 ? fixtureTime(1) : null;
          await tx.domains.insert(domainRecord({ organizationId, domain: `d${index % 50}.example`, verifiedAt }));
          await tx.ssoConnections.insert(connection);
          const requestId = index % 2 === 0 ? `_request_${index}` : null;
          const digest = index.toString(16).padStart(64, '0');
          await tx.ssoLogins.insert(ssoLoginRecord(connection.id, { digest, organizationId, requestId }));
          await tx.ssoAssertions.remember(connection.id, `_assertion_${index}`, fixtureTime(1));
          await tx.ssoIdentities.insert(ssoIdentityRecord(connection.id, { userId: `usr_${index}` }));
        }
      });
      await client.exec('ANALYZE');
      await client.exec('SET enable_seqscan = off');
      const plan = async (text: string, params: unknown[]) =>
        (await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${text}`, params)).rows
          .map((row) => row['QUERY PLAN'])
          .join('\n');
      // An organization's claims come in domain order from the primary key, without sorting.
      const claims = await plan(
        'SELECT * FROM tenantry_domains WHERE organization_id = $1 ORDER BY domain COLLATE "C"',
        ['org_7'],
      );
      expect(claims).toContain('tenantry_domains_pkey');
      expect(claims).not.toContain('Sort');
      expect(
        await plan('SELECT * FROM tenantry_domains WHERE domain = $1 AND verified_at IS NOT NULL', ['d7.example']),
      ).toContain('tenantry_domains_verified');
      expect(
        await plan(
          'SELECT * FROM tenantry_sso_connections WHERE organization_id = $1 ORDER BY created_at, id COLLATE "C"',
          ['org_7'],
        ),
      ).toContain('tenantry_sso_connections_by_organization');
      expect(
        await plan('SELECT * FROM tenantry_sso_connections WHERE organization_id = ANY($1::text[]) AND enabled = $2', [
          ['org_1', 'org_2'],
          true,
        ]),
      ).toContain('tenantry_sso_connections_by_organization');
      expect(await plan('SELECT * FROM tenantry_sso_logins WHERE request_id = $1 LIMIT 1', ['_request_8'])).toContain(
        'tenantry_sso_logins_by_request',
      );
      expect(
        await plan('SELECT * FROM tenantry_sso_assertions WHERE connection_id = $1 AND assertion_id = $2', ['s', 'x']),
      ).toContain('tenantry_sso_assertions_pkey');
      expect(
        await plan('SELECT * FROM tenantry_sso_identities WHERE connection_id = $1 AND subject = $2', ['sso_x', 'x']),
      ).toContain('tenantry_sso_identities_pkey');
      expect(
        await plan(
          'SELECT * FROM tenantry_sso_identities WHERE user_id = $1 ORDER BY created_at, connection_id COLLATE "C", subject COLLATE "C"',
          ['usr_7'],
        ),
      ).toContain('tenantry_sso_identities_by_user');
    } finally {
      await client.close();
    }
  });
});
