import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Domain, TenantryError } from '../../src/index.js';
import { startDnsServer, type TestDnsServer } from '../support/dns-server.js';
import { codeOf, type MakeStorage, makeTenantry, person } from '../support/tenantry.js';

/** The refusal a promise rejects with, for its code and details. */
async function refusalOf(promise: Promise<unknown>): Promise<TenantryError> {
  const error = await promise.then(
    () => new Error('expected the call to be refused, but it succeeded'),
    (error: unknown) => error,
  );
  if (error instanceof TenantryError) return error;
  throw error;
}

/** Two companies, Acme (Ann its admin, Bob a member) and Globex (Gus its admin), on a DNS server of the test's. */
async function companies(
  makeStorage: MakeStorage,
  dns: TestDnsServer,
  options: Parameters<typeof makeTenantry>[1] = {},
) {
  const t = await makeTenantry(makeStorage, { dns: dns.resolver(), ...options });
  const acme = await t.operator.organizations.create({ name: 'Acme', firstUser: person('Ann', 'Admin') });
  const globex = await t.operator.organizations.create({ name: 'Globex', firstUser: person('Gus', 'Admin') });
  const ann = t.as(acme.firstUser.id);
  const gus = t.as(globex.firstUser.id);
  const acmeId = acme.organization.id;
  const { user: bob } = await ann.users.add({ organizationId: acmeId, ...person('Bob', 'Member'), roles: ['basic'] });
  /** The domain events of an organization's trail, newest first. */
  const trail = async (organizationId = acmeId) =>
    (await t.operator.audit.list({ organizationId })).items.filter((event) => event.action.startsWith('domain.'));
  const actions = async (organizationId = acmeId) => (await trail(organizationId)).map((event) => event.action);
  return { ...t, acmeId, globexId: globex.organization.id, ann, bob: t.as(bob.id), gus, trail, actions };
}

const publish = (dns: TestDnsServer, ...claims: Domain[]) =>
  dns.setTxt(
    claims[0]?.verification.recordName ?? '',
    claims.map((claim) => claim.verification.recordValue),
  );

export function describeDomains(name: string, makeStorage: MakeStorage): void {
  describe(`${name}: verified domains`, () => {
    let dns: TestDnsServer;
    beforeAll(async () => {
      dns = await startDnsServer();
    });
    afterAll(() => dns.close());
    beforeEach(() => dns.clear());

    it('answers the record to publish, and verifies the domain once DNS holds it', async () => {
      const t = await companies(makeStorage, dns);
      const claim = await t.ann.domains.add(t.acmeId, ' Contoso.COM. ');
      expect(claim).toEqual({
        organizationId: t.acmeId,
        domain: 'contoso.com',
        status: 'pending',
        verification: {
          recordName: '_tenantry-verification.contoso.com',
          recordValue: expect.stringMatching(/^tenantry-verification=[a-z2-7]{40}$/u),
        },
        createdAt: t.clock.now(),
        verifiedAt: null,
      });
      // Claiming it again answers the same claim, with the record already published, and writes nothing.
      expect(await t.ann.domains.add(t.acmeId, 'contoso.com')).toEqual(claim);
      expect(await t.actions()).toEqual(['domain.added']);

      const missing = await refusalOf(t.ann.domains.verify(t.acmeId, 'contoso.com'));
      expect([missing.code, missing.details]).toEqual([
        'DOMAIN_UNVERIFIED',
        { reason: 'record-missing', domain: 'contoso.com', status: 'pending' },
      ]);
      expect(missing.message).toContain('_tenantry-verification.contoso.com');
      dns.setTxt(claim.verification.recordName, ['tenantry-verification=not-the-token']);
      const mismatch = await refusalOf(t.ann.domains.verify(t.acmeId, 'contoso.com'));
      expect([mismatch.code, mismatch.details.reason]).toEqual(['DOMAIN_UNVERIFIED', 'record-mismatch']);
      expect(await t.ann.domains.list(t.acmeId)).toEqual([claim]);
      const failures = await t.trail();
      expect(failures.map((event) => [event.action, event.targetId, event.metadata.reason])).toEqual([
        ['domain.verification-failed', 'contoso.com', 'record-mismatch'],
        ['domain.verification-failed', 'contoso.com', 'record-missing'],
        ['domain.added', 'contoso.com', undefined],
      ]);

      // The value in chunks, among other records (one long enough that the answer comes over TCP).
      const value = claim.verification.recordValue;
      dns.setTxt(claim.verification.recordName, [
        'v=spf1 include:_spf.contoso.com -all',
        [value.slice(0, 10), value.slice(10, 30), value.slice(30)],
        ['k=rsa; p='.padEnd(255, 'A'), 'B'.repeat(200)],
      ]);
      t.clock.advance(60_000);
      const verified = await t.ann.domains.verify(t.acmeId, 'CONTOSO.com');
      expect(verified).toEqual({ ...claim, status: 'verified', verifiedAt: t.clock.now() });
      expect(await t.ann.domains.list(t.acmeId)).toEqual([verified]);
      const [event] = await t.trail();
      const after = event?.changes.verifiedAt?.after as Date | string;
      expect([event?.action, new Date(after)]).toEqual(['domain.verified', t.clock.now()]);
    });

    it('claims an internationalized domain in its punycode form', async () => {
      const t = await companies(makeStorage, dns);
      const claim = await t.ann.domains.add(t.acmeId, 'Bücher-Müller.de');
      expect([claim.domain, claim.verification.recordName]).toEqual([
        'xn--bcher-mller-thbg.de',
        '_tenantry-verification.xn--bcher-mller-thbg.de',
      ]);
      publish(dns, claim);
      expect((await t.ann.domains.verify(t.acmeId, 'bücher-müller.de')).status).toBe('verified');
    });

    it('keeps a verified domain to its organization: another company’s claim is a CONFLICT that names no one', async () => {
      const t = await companies(makeStorage, dns);
      const claim = await t.ann.domains.add(t.acmeId, 'acme.test');
      publish(dns, claim);
      await t.ann.domains.verify(t.acmeId, 'acme.test');
      const refused = await refusalOf(t.gus.domains.add(t.globexId, 'acme.test'));
      expect(refused.code).toBe('CONFLICT');
      expect(refused.message).toMatch(/another organization/u);
      expect(`${refused.message} ${JSON.stringify(refused.details)}`).not.toMatch(new RegExp(`Acme|${t.acmeId}`, 'u'));
      expect(await t.gus.domains.list(t.globexId)).toEqual([]);
      expect(await t.actions(t.globexId)).toEqual([]);
    });

    it('lets the first of two pending claims to verify win, and frees the domain when it is given up', async () => {
      const t = await companies(makeStorage, dns);
      const acmes = await t.ann.domains.add(t.acmeId, 'shared.test');
      const globexes = await t.gus.domains.add(t.globexId, 'shared.test');
      expect(globexes.verification.recordValue).not.toBe(acmes.verification.recordValue);
      publish(dns, acmes, globexes);
      expect((await t.ann.domains.verify(t.acmeId, 'shared.test')).status).toBe('verified');
      expect(await codeOf(t.gus.domains.verify(t.globexId, 'shared.test'))).toBe('CONFLICT');
      expect((await t.gus.domains.list(t.globexId)).map((claim) => claim.status)).toEqual(['pending']);
      // Its own pending claim, never to be verified now, is no answer to claiming it again.
      expect(await codeOf(t.gus.domains.add(t.globexId, 'shared.test'))).toBe('CONFLICT');
      expect(await t.actions(t.globexId)).toEqual(['domain.added']);
      await t.ann.domains.remove(t.acmeId, 'shared.test');
      expect((await t.gus.domains.verify(t.globexId, 'shared.test')).status).toBe('verified');
    });

    it('lets exactly one of two verifications at once through', async () => {
      const t = await companies(makeStorage, dns);
      const claims = [await t.ann.domains.add(t.acmeId, 'race.test'), await t.gus.domains.add(t.globexId, 'race.test')];
      publish(dns, ...claims);
      const settled = await Promise.allSettled([
        t.ann.domains.verify(t.acmeId, 'race.test'),
        t.gus.domains.verify(t.globexId, 'race.test'),
      ]);
      expect(settled.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
      const lost = settled.flatMap((result) => (result.status === 'rejected' ? [result.reason] : []));
      expect(lost.map((error) => (error as TenantryError).code)).toEqual(['CONFLICT']);
      const statuses = [...(await t.ann.domains.list(t.acmeId)), ...(await t.gus.domains.list(t.globexId))];
      expect(statuses.map((claim) => claim.status).sort()).toEqual(['pending', 'verified']);
    });

    it('refuses public mail domains and malformed names, changing nothing', async () => {
      const t = await companies(makeStorage, dns);
      for (const domain of ['gmail.com', 'Outlook.com', 'eu.hotmail.com']) {
        const refused = await refusalOf(t.ann.domains.add(t.acmeId, domain));
        expect([refused.code, refused.details.reason], domain).toEqual(['VALIDATION_FAILED', 'public-mail-domain']);
      }
      const malformed = [
        'ann@contoso.com',
        'https://contoso.com/login',
        'contoso\u0000.com',
        `${'a'.repeat(60)}.`.repeat(5).concat('com'),
        'localhost',
        '192.0.2.7',
        '',
        42,
      ];
      for (const domain of malformed) {
        expect(await codeOf(t.ann.domains.add(t.acmeId, domain as string)), String(domain)).toBe('VALIDATION_FAILED');
      }
      expect((await refusalOf(t.ann.domains.add(t.acmeId, 'ann@contoso.com'))).message).toMatch(
        /not an email address/u,
      );
      expect(await t.ann.domains.list(t.acmeId)).toEqual([]);
      expect(await t.actions()).toEqual([]);
    });

    it('lets only its admins and the operator manage its domains', async () => {
      const t = await companies(makeStorage, dns);
      const questions = dns.questions;
      expect(await codeOf(t.bob.domains.add(t.acmeId, 'acme.test'))).toBe('FORBIDDEN');
      expect(await codeOf(t.bob.domains.list(t.acmeId))).toBe('FORBIDDEN');
      expect(await codeOf(t.gus.domains.add(t.acmeId, 'acme.test'))).toBe('NOT_FOUND');
      const claim = await t.operator.domains.add(t.acmeId, 'acme.test');
      publish(dns, claim);
      expect(await codeOf(t.bob.domains.verify(t.acmeId, 'acme.test'))).toBe('FORBIDDEN');
      expect(await codeOf(t.gus.domains.verify(t.acmeId, 'acme.test'))).toBe('NOT_FOUND');
      expect(await codeOf(t.gus.domains.list(t.acmeId))).toBe('NOT_FOUND');
      expect(await codeOf(t.bob.domains.remove(t.acmeId, 'acme.test'))).toBe('FORBIDDEN');
      expect(await codeOf(t.gus.domains.remove(t.acmeId, 'acme.test'))).toBe('NOT_FOUND');
      // Refused before DNS was asked, and without a trace but the operator's claim.
      expect(dns.questions).toBe(questions);
      expect(await t.actions()).toEqual(['domain.added']);
      expect((await t.ann.domains.verify(t.acmeId, 'acme.test')).status).toBe('verified');
    });

    it('removes a claim, audited, and answers NOT_FOUND for one it does not hold', async () => {
      const t = await companies(makeStorage, dns);
      expect(await codeOf(t.ann.domains.remove(t.acmeId, 'nowhere.test'))).toBe('NOT_FOUND');
      expect(await codeOf(t.ann.domains.verify(t.acmeId, 'nowhere.test'))).toBe('NOT_FOUND');
      await t.ann.domains.add(t.acmeId, 'acme.test');
      await t.ann.domains.remove(t.acmeId, 'Acme.Test');
      expect(await t.ann.domains.list(t.acmeId)).toEqual([]);
      const [removed] = await t.trail();
      expect([removed?.action, removed?.targetId, removed?.metadata]).toEqual([
        'domain.removed',
        'acme.test',
        { status: 'pending' },
      ]);
      expect(await codeOf(t.ann.domains.remove(t.acmeId, 'acme.test'))).toBe('NOT_FOUND');
    });

    it('checks a verified domain again, and keeps it verified when the record is gone or DNS fails', async () => {
      const t = await companies(makeStorage, dns);
      const claim = await t.ann.domains.add(t.acmeId, 'acme.test');
      publish(dns, claim);
      const first = await t.ann.domains.verify(t.acmeId, 'acme.test');
      t.clock.advance(86_400_000);
      const again = await t.ann.domains.verify(t.acmeId, 'acme.test');
      expect([again.status, again.verifiedAt]).toEqual(['verified', t.clock.now()]);
      expect(again.verifiedAt).not.toEqual(first.verifiedAt);
      dns.clear();
      const gone = await refusalOf(t.ann.domains.verify(t.acmeId, 'acme.test'));
      expect([gone.code, gone.details.reason, gone.details.status]).toEqual([
        'DOMAIN_UNVERIFIED',
        'record-missing',
        'verified',
      ]);
      dns.mode('servfail');
      expect((await refusalOf(t.ann.domains.verify(t.acmeId, 'acme.test'))).details.reason).toBe('lookup-failed');
      expect(await t.ann.domains.list(t.acmeId)).toEqual([again]);
      expect((await t.actions()).slice(0, 3)).toEqual([
        'domain.verification-failed',
        'domain.verification-failed',
        'domain.verified',
      ]);
    });

    it('bounds the lookup: a DNS server that never answers costs the time limit, not more', async () => {
      // The resolver alone would wait 3 × 10 s; the verification gives up at its own limit.
      const patient = dns.resolver({ timeout: 10_000, tries: 3 });
      const t = await companies(makeStorage, dns, { dns: patient, domainVerification: { lookupTimeoutMs: 300 } });
      const claim = await t.ann.domains.add(t.acmeId, 'acme.test');
      publish(dns, claim);
      dns.mode('silent');
      const started = Date.now();
      const refused = await refusalOf(t.ann.domains.verify(t.acmeId, 'acme.test'));
      const elapsed = Date.now() - started;
      patient.cancel();
      expect([refused.code, refused.details.reason]).toEqual(['DOMAIN_UNVERIFIED', 'timeout']);
      expect(refused.message).toMatch(/took too long/u);
      expect(elapsed).toBeGreaterThanOrEqual(250);
      expect(elapsed).toBeLessThan(3_000);
      expect((await t.ann.domains.list(t.acmeId))[0]?.status).toBe('pending');
      // A resolver that gives up first says so as well.
      const hasty = await companies(makeStorage, dns, { dns: dns.resolver({ timeout: 100, tries: 1 }) });
      const pending = await hasty.ann.domains.add(hasty.acmeId, 'acme.test');
      publish(dns, pending);
      expect((await refusalOf(hasty.ann.domains.verify(hasty.acmeId, 'acme.test'))).details.reason).toBe('timeout');
    });
  });
}
