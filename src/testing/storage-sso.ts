import type { Storage, StoredDomain, StoredSsoConnection } from '../adapter-kit/index.js';
import { at, domainRecord, ssoConnectionRecord, ssoIdentityRecord } from './records.js';
import type { MakeStorage } from './storage-contract.js';
import { describeSsoSignInContract } from './storage-sso-sign-in.js';
import type { VitestApi } from './vitest-api.js';

const conflict = { name: 'TenantryError', code: 'CONFLICT' };

/**
 * What verified domains and single sign-on need of storage: claims read back
 * exactly, in domain order, any number of them pending for one domain but
 * one verified in the whole installation (concurrent verifications
 * included); connections read back exactly, oldest first, the enabled ones
 * of several organizations in one read, and removed with their identity
 * links; all of it rolled back with its transaction. Then the sign-ins
 * through them (see `describeSsoSignInContract`).
 */
export function describeSsoContract(vitest: VitestApi, name: string, makeStorage: MakeStorage): void {
  const { beforeEach, describe, expect, it } = vitest;
  describe(`${name} storage: domains and SSO connections`, () => {
    let storage: Storage;
    const claim = (...claims: StoredDomain[]) =>
      storage.transaction(async (tx) => {
        for (const domain of claims) await tx.domains.insert(domain);
      });
    const connect = (...connections: StoredSsoConnection[]) =>
      storage.transaction(async (tx) => {
        for (const connection of connections) await tx.ssoConnections.insert(connection);
      });
    const verify = (organizationId: string, domain: string, when: Date) =>
      storage.transaction((tx) => tx.domains.markVerified(organizationId, domain, when));
    const claimOf = (organizationId: string, domain: string) =>
      storage.transaction((tx) => tx.domains.get(organizationId, domain));

    beforeEach(async () => {
      storage = await makeStorage();
    });

    it('reads claims back exactly, by organization and domain, and an organization’s claims by domain ascending', async () => {
      // In code-point order, as a byte-wise collation sorts them: '-' < '.' < '0' < 'x'.
      const verified = domainRecord({ domain: 'a.example', createdAt: at(5), verifiedAt: at(9) });
      const dashed = domainRecord({ domain: 'a-b.example', createdAt: at(7) });
      const digit = domainRecord({ domain: 'a0.example', verificationToken: 'tenantry-verify=ÄÖ✓' });
      const punycode = domainRecord({ domain: 'xn--bcher-kva.example' });
      const others = domainRecord({ organizationId: 'org_b', domain: 'a.example' });
      await claim(punycode, verified, others, digit, dashed);
      await storage.transaction(async (tx) => {
        for (const domain of [verified, dashed, digit, punycode, others])
          expect(await tx.domains.get(domain.organizationId, domain.domain)).toEqual(domain);
        expect(await tx.domains.get('org_a', 'missing.example')).toBeNull();
        expect(await tx.domains.get('org_c', 'a.example')).toBeNull();
        expect(await tx.domains.forOrganization('org_a')).toEqual([dashed, verified, digit, punycode]);
        expect(await tx.domains.forOrganization('org_b')).toEqual([others]);
        expect(await tx.domains.forOrganization('org_nobody')).toEqual([]);
      });
      // What it returns is a copy: changing it changes nothing stored.
      const copy = await claimOf('org_a', 'a.example');
      copy?.createdAt.setTime(0);
      copy?.verifiedAt?.setTime(0);
      expect(await claimOf('org_a', 'a.example')).toEqual(verified);
    });

    it('lets organizations claim the same pending domain, but one organization only once, with CONFLICT', async () => {
      const mine = domainRecord();
      const theirs = domainRecord({ organizationId: 'org_b' });
      await claim(mine, theirs);
      expect(await claimOf('org_a', mine.domain)).toEqual(mine);
      expect(await claimOf('org_b', mine.domain)).toEqual(theirs);
      await expect(claim(domainRecord({ createdAt: at(1) }))).rejects.toMatchObject(conflict);
      expect(await claimOf('org_a', mine.domain)).toEqual(mine);
      expect(await storage.transaction((tx) => tx.domains.verifiedClaim(mine.domain))).toBeNull();
    });

    it('answers the verified claim of a domain only, whoever holds it', async () => {
      const theirs = domainRecord({ organizationId: 'org_b' });
      await claim(domainRecord(), theirs, domainRecord({ domain: 'other.example' }));
      const verifiedClaim = (domain: string) => storage.transaction((tx) => tx.domains.verifiedClaim(domain));
      expect(await verifiedClaim('example.test')).toBeNull();
      expect(await verify('org_b', 'example.test', at(20))).toBe(true);
      expect(await verifiedClaim('example.test')).toEqual({ ...theirs, verifiedAt: at(20) });
      expect(await verifiedClaim('other.example')).toBeNull();
      expect(await verifiedClaim('unknown.example')).toBeNull();
    });

    it('verifies a claim again later, refuses another organization’s verification with CONFLICT, and answers false without a claim', async () => {
      const mine = domainRecord();
      const theirs = domainRecord({ organizationId: 'org_b' });
      await claim(mine, theirs);
      expect(await verify('org_a', mine.domain, at(10))).toBe(true);
      expect(await verify('org_a', mine.domain, at(11))).toBe(true);
      expect(await claimOf('org_a', mine.domain)).toEqual({ ...mine, verifiedAt: at(11) });
      await expect(verify('org_b', mine.domain, at(12))).rejects.toMatchObject(conflict);
      expect(await claimOf('org_b', mine.domain)).toEqual(theirs);
      expect(await verify('org_c', mine.domain, at(12))).toBe(false);
      expect(await verify('org_a', 'unclaimed.example', at(12))).toBe(false);
      // Once the holder gives its claim up, another organization may verify the domain.
      expect(await storage.transaction((tx) => tx.domains.remove('org_a', mine.domain))).toBe(true);
      expect(await verify('org_b', mine.domain, at(13))).toBe(true);
      expect(await storage.transaction((tx) => tx.domains.verifiedClaim(mine.domain))).toEqual({
        ...theirs,
        verifiedAt: at(13),
      });
    });

    it('lets exactly one of two organizations verifying the same domain at once win, refusing the other with CONFLICT', async () => {
      await claim(domainRecord(), domainRecord({ organizationId: 'org_b' }));
      const organizations = ['org_a', 'org_b'];
      const outcomes = await Promise.allSettled(
        organizations.map((organizationId) => verify(organizationId, 'example.test', at(30))),
      );
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toEqual([
        { status: 'fulfilled', value: true },
      ]);
      const refused = outcomes.find((outcome) => outcome.status === 'rejected');
      expect(refused?.reason).toMatchObject(conflict);
      const winner = organizations[outcomes.findIndex((outcome) => outcome.status === 'fulfilled')];
      const loser = organizations.find((organizationId) => organizationId !== winner) as string;
      expect(await storage.transaction((tx) => tx.domains.verifiedClaim('example.test'))).toMatchObject({
        organizationId: winner,
        verifiedAt: at(30),
      });
      expect(await claimOf(loser, 'example.test')).toMatchObject({ verifiedAt: null });
    });

    it('removes a claim of the organization only, and answers false when there is none', async () => {
      await claim(domainRecord(), domainRecord({ organizationId: 'org_b' }));
      const remove = (organizationId: string) =>
        storage.transaction((tx) => tx.domains.remove(organizationId, 'example.test'));
      expect(await remove('org_a')).toBe(true);
      expect(await remove('org_a')).toBe(false);
      expect(await remove('org_c')).toBe(false);
      expect(await claimOf('org_a', 'example.test')).toBeNull();
      expect(await storage.transaction((tx) => tx.domains.forOrganization('org_a'))).toEqual([]);
      expect(await claimOf('org_b', 'example.test')).not.toBeNull();
    });

    it('reads connections back exactly, by id and by organization oldest first', async () => {
      const oidc = ssoConnectionRecord({ createdAt: at(20), updatedAt: at(25) });
      const saml = ssoConnectionRecord({
        type: 'saml',
        name: 'Okta – Zürich',
        enabled: false,
        settings: { idpEntityId: 'http://idp.example.test', certificates: ['MIIC…', 'MIID…'], nested: { n: 1.5 } },
        roleMapping: null,
        defaultAccess: { roles: [], permissions: ['documents.read'] },
        createdAt: at(10),
        updatedAt: at(10),
      });
      // Created at the same moment as the OIDC connection: ids break the tie, in code-point order.
      const twin = ssoConnectionRecord({ id: `${oidc.id}_`, createdAt: at(20) });
      const others = ssoConnectionRecord({ organizationId: 'org_b' });
      await connect(twin, oidc, others, saml);
      await storage.transaction(async (tx) => {
        for (const connection of [oidc, saml, twin, others])
          expect(await tx.ssoConnections.get(connection.id)).toEqual(connection);
        expect(await tx.ssoConnections.get('sso_missing')).toBeNull();
        expect(await tx.ssoConnections.forOrganization('org_a')).toEqual([saml, oidc, twin]);
        expect(await tx.ssoConnections.forOrganization('org_b')).toEqual([others]);
        expect(await tx.ssoConnections.forOrganization('org_nobody')).toEqual([]);
      });
      // What it returns is a copy, down to the settings and the mapping.
      const copy = await storage.transaction((tx) => tx.ssoConnections.get(oidc.id));
      (copy?.settings.scopes as string[] | undefined)?.push('offline_access');
      copy?.roleMapping?.map['portal-admins']?.roles.push('owner');
      copy?.defaultAccess.roles.push('owner');
      expect(await storage.transaction((tx) => tx.ssoConnections.get(oidc.id))).toEqual(oidc);
    });

    it('lists the enabled connections of several organizations, oldest first, leaving out the disabled and the others', async () => {
      const first = ssoConnectionRecord({ organizationId: 'org_b', createdAt: at(1) });
      const second = ssoConnectionRecord({ createdAt: at(2) });
      const disabled = ssoConnectionRecord({ enabled: false, createdAt: at(0) });
      const third = ssoConnectionRecord({ organizationId: 'org_b', createdAt: at(3), type: 'saml' });
      const elsewhere = ssoConnectionRecord({ organizationId: 'org_c', createdAt: at(0) });
      await connect(third, disabled, second, elsewhere, first);
      const enabledFor = (organizationIds: string[]) =>
        storage.transaction((tx) => tx.ssoConnections.enabledFor(organizationIds));
      expect(await enabledFor(['org_a', 'org_b'])).toEqual([first, second, third]);
      expect(await enabledFor(['org_b', 'org_a', 'org_b', 'org_nobody'])).toEqual([first, second, third]);
      expect(await enabledFor(['org_a'])).toEqual([second]);
      expect(await enabledFor(['org_nobody'])).toEqual([]);
      expect(await enabledFor([])).toEqual([]);
    });

    it('updates every field of a connection', async () => {
      const connection = ssoConnectionRecord();
      await connect(connection, ssoConnectionRecord({ createdAt: at(1) }));
      const changed: StoredSsoConnection = {
        ...connection,
        name: 'Renamed',
        enabled: false,
        settings: { issuer: 'https://other.example.test', clientId: 'p2', scopes: [] },
        roleMapping: { claim: 'roles', map: { Staff: { roles: [], permissions: ['users.read'] } } },
        defaultAccess: { roles: [], permissions: [] },
        updatedAt: at(50),
      };
      await storage.transaction((tx) => tx.ssoConnections.update(changed));
      expect(await storage.transaction((tx) => tx.ssoConnections.get(connection.id))).toEqual(changed);
      await storage.transaction((tx) => tx.ssoConnections.update({ ...changed, enabled: true, roleMapping: null }));
      expect(await storage.transaction((tx) => tx.ssoConnections.get(connection.id))).toEqual({
        ...changed,
        enabled: true,
        roleMapping: null,
      });
      expect(await storage.transaction((tx) => tx.ssoConnections.forOrganization('org_a'))).toHaveLength(2);
    });

    it('removes a connection with the identities linked through it, and no other connection’s', async () => {
      const removed = ssoConnectionRecord();
      const kept = ssoConnectionRecord();
      const link = ssoIdentityRecord(removed.id);
      const links = [link, ssoIdentityRecord(removed.id, { userId: 'usr_b' })];
      const keptLink = ssoIdentityRecord(kept.id, { createdAt: at(1) });
      await connect(removed, kept);
      await storage.transaction(async (tx) => {
        for (const identity of [...links, keptLink]) await tx.ssoIdentities.insert(identity);
      });
      expect(await storage.transaction((tx) => tx.ssoConnections.remove(removed.id))).toBe(true);
      expect(await storage.transaction((tx) => tx.ssoConnections.remove(removed.id))).toBe(false);
      await storage.transaction(async (tx) => {
        expect(await tx.ssoConnections.get(removed.id)).toBeNull();
        expect(await tx.ssoConnections.forOrganization('org_a')).toEqual([kept]);
        for (const identity of links) expect(await tx.ssoIdentities.get(removed.id, identity.subject)).toBeNull();
        expect(await tx.ssoIdentities.forUser('usr_a')).toEqual([keptLink]);
        expect(await tx.ssoIdentities.forUser('usr_b')).toEqual([]);
      });
      // No link is left behind to refuse the subject a new link through a connection of the same id.
      await connect(removed);
      await storage.transaction((tx) => tx.ssoIdentities.insert(link));
      expect(await storage.transaction((tx) => tx.ssoIdentities.get(removed.id, link.subject))).toEqual(link);
    });

    it('rolls back every domain and connection write with the rest of a failed transaction', async () => {
      const pending = domainRecord();
      const spare = domainRecord({ domain: 'spare.example' });
      const connection = ssoConnectionRecord();
      const link = ssoIdentityRecord(connection.id);
      await claim(pending, spare);
      await connect(connection);
      await storage.transaction((tx) => tx.ssoIdentities.insert(link));
      const failure = new Error('boom');
      const added = ssoConnectionRecord({ organizationId: 'org_b' });
      await expect(
        storage.transaction(async (tx) => {
          await tx.domains.insert(domainRecord({ domain: 'added.example' }));
          await tx.domains.markVerified('org_a', pending.domain, at(3));
          await tx.domains.remove('org_a', spare.domain);
          await tx.ssoConnections.insert(added);
          await tx.ssoConnections.update({ ...connection, name: 'Changed', enabled: false });
          throw failure;
        }),
      ).rejects.toBe(failure);
      await expect(
        storage.transaction(async (tx) => {
          expect(await tx.ssoConnections.remove(connection.id)).toBe(true);
          throw failure;
        }),
      ).rejects.toBe(failure);
      await storage.transaction(async (tx) => {
        expect(await tx.domains.forOrganization('org_a')).toEqual([pending, spare]);
        expect(await tx.domains.verifiedClaim(pending.domain)).toBeNull();
        expect(await tx.ssoConnections.get(added.id)).toBeNull();
        expect(await tx.ssoConnections.enabledFor(['org_a', 'org_b'])).toEqual([connection]);
        expect(await tx.ssoIdentities.get(connection.id, link.subject)).toEqual(link);
      });
      // And what was rolled back can be done now.
      expect(await verify('org_a', pending.domain, at(4))).toBe(true);
      expect(await storage.transaction((tx) => tx.domains.remove('org_a', spare.domain))).toBe(true);
    });
  });

  describeSsoSignInContract(vitest, name, makeStorage);
}
