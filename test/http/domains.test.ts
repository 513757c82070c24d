import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startDnsServer, type TestDnsServer } from '../support/dns-server.js';
import { httpFixture } from './support.js';

describe('fetch handler: verified domains', () => {
  let dns: TestDnsServer;
  beforeAll(async () => {
    dns = await startDnsServer();
  });
  afterAll(() => dns.close());
  beforeEach(() => dns.clear());

  const fixture = async () => {
    const t = await httpFixture({}, { dns: dns.resolver() });
    const { cookie } = await t.signIn();
    const base = `/api/organizations/${t.organization.id}/domains`;
    return { ...t, cookie, base };
  };

  it('claims, verifies, lists and removes a domain, each answer as the document declares', async () => {
    const { call, cookie, base, conformance } = await fixture();
    const added = await call('POST', base, { cookie, body: { domain: 'Contoso.COM' } });
    expect([added.status, added.json.domain, added.json.status, added.json.verification.recordName]).toEqual([
      201,
      'contoso.com',
      'pending',
      '_tenantry-verification.contoso.com',
    ]);
    const missing = await call('POST', `${base}/contoso.com/verification`, { cookie });
    expect([missing.status, missing.json.error.code, missing.json.error.details.reason]).toEqual([
      422,
      'DOMAIN_UNVERIFIED',
      'record-missing',
    ]);
    dns.setTxt(added.json.verification.recordName, ['v=spf1 -all', added.json.verification.recordValue]);
    const verified = await call('POST', `${base}/contoso.com/verification`, { cookie });
    expect([verified.status, verified.json.status]).toEqual([200, 'verified']);
    const listed = await call('GET', base, { cookie });
    expect(listed.json).toEqual([verified.json]);
    const removed = await call('DELETE', `${base}/contoso.com`, { cookie });
    expect(removed.status).toBe(204);
    expect((await call('GET', base, { cookie })).json).toEqual([]);
    const again = await call('DELETE', `${base}/contoso.com`, { cookie });
    expect([again.status, again.json.error.code]).toEqual([404, 'NOT_FOUND']);
    expect(conformance.checked).toBeGreaterThanOrEqual(4);
  });

  it('takes an internationalized domain in the path, percent-encoded', async () => {
    const { call, cookie, base } = await fixture();
    const added = await call('POST', base, { cookie, body: { domain: 'münchen.de' } });
    expect(added.json.domain).toBe('xn--mnchen-3ya.de');
    dns.setTxt(added.json.verification.recordName, [added.json.verification.recordValue]);
    const verified = await call('POST', `${base}/${encodeURIComponent('münchen.de')}/verification`, { cookie });
    expect([verified.status, verified.json.domain]).toEqual([200, 'xn--mnchen-3ya.de']);
  });

  it('refuses malformed and public mail domains with 400, and strangers with 401', async () => {
    const { call, cookie, base } = await fixture();
    const address = await call('POST', base, { cookie, body: { domain: 'ann@contoso.com' } });
    expect([address.status, address.json.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(address.json.error.message).toMatch(/not an email address/u);
    const gmail = await call('POST', base, { cookie, body: { domain: 'gmail.com' } });
    expect([gmail.status, gmail.json.error.details.reason]).toEqual([400, 'public-mail-domain']);
    const extra = await call('POST', base, { cookie, body: { domain: 'contoso.com', organizationId: 'x' } });
    expect(extra.status).toBe(400);
    const anonymous = await call('GET', base);
    expect(anonymous.status).toBe(401);
    expect((await call('GET', base, { cookie })).json).toEqual([]);
  });

  it('documents the routes and the Domain schema', async () => {
    const { call } = await fixture();
    const { json } = await call('GET', '/api/openapi.json');
    const paths = json.paths as Record<string, Record<string, { operationId: string }>>;
    const ids = (path: string) => Object.values(paths[path] ?? {}).map((operation) => operation.operationId);
    expect(ids('/organizations/{organizationId}/domains').sort()).toEqual(['domains.add', 'domains.list']);
    expect(ids('/organizations/{organizationId}/domains/{domain}/verification')).toEqual(['domains.verify']);
    expect(ids('/organizations/{organizationId}/domains/{domain}')).toEqual(['domains.remove']);
    expect(Object.keys(json.components.schemas)).toContain('Domain');
  });
});
