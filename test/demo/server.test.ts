import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { generateHOTP } from '@oslojs/otp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoAccounts, demoPassword } from '../../examples/demo/seed-people.js';
import { type RunningDemo, startDemo, welcome } from '../../examples/demo/server.js';

/** One request to the demo, as a same-origin browser page would send it. */
async function call(
  demo: RunningDemo,
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${demo.url}${path}`, {
    method,
    headers,
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  const json = (response.headers.get('content-type') ?? '').includes('json') && text ? JSON.parse(text) : undefined;
  return { status: response.status, headers: response.headers, text, json };
}

const everyone = 'status=pending&status=active&status=disabled';

/** An authenticator app's code for a base32 secret, `ahead` steps of 30 s from now. */
const totpCode = (secret: string, ahead = 0) =>
  generateHOTP(decodeBase32IgnorePadding(secret), BigInt(Math.floor(Date.now() / 30_000) + ahead), 6);

describe('the demo server', () => {
  let dataDir: string;
  let demo: RunningDemo;
  let operator: { 'x-demo-operator': string };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'tenantry-demo-'));
    demo = await startDemo({ dataDir, port: 0 });
    operator = { 'x-demo-operator': demo.operatorKey };
  }, 120_000);

  afterAll(async () => {
    await demo?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('seeds an empty database: a partner, its customers, a sub-organization and people in every status', async () => {
    expect(demo.seeded).toBe(true);
    expect(demo.url).toMatch(/^http:\/\/localhost:\d+$/);
    const organizations = await call(demo, 'GET', '/api/organizations', { headers: operator });
    const byName = new Map(
      organizations.json.map((organization: { name: string }) => [organization.name, organization]),
    );
    expect([...byName.keys()].sort()).toEqual(['Contoso', 'Contoso Research', 'Fabrikam', 'Northwind Partners']);
    const partner = byName.get('Northwind Partners') as { id: string; kind: string };
    expect(partner.kind).toBe('partner');
    expect(byName.get('Contoso')).toMatchObject({ partnerId: partner.id, features: ['data-estate'] });
    expect(byName.get('Fabrikam')).toMatchObject({ partnerId: partner.id });
    const contoso = byName.get('Contoso') as { id: string };
    expect(byName.get('Contoso Research')).toMatchObject({ parentId: contoso.id });

    const users = await call(demo, 'GET', `/api/users?organizationId=${contoso.id}&${everyone}&limit=200`, {
      headers: operator,
    });
    const statuses = new Set(users.json.items.map((user: { status: string }) => user.status));
    expect([...statuses].sort()).toEqual(['active', 'disabled', 'pending']);
    expect(users.json.items.length).toBeGreaterThanOrEqual(25);
    expect(users.json.items.some((user: { locked: boolean }) => user.locked)).toBe(true);
    expect(users.json.items.some((user: { expiresAt: string | null }) => user.expiresAt !== null)).toBe(true);

    const text = welcome(demo);
    const accounts = [demoAccounts.companyAdmin, demoAccounts.dataEstateAdmin, demoAccounts.customerManager];
    for (const expected of [demo.url, ...accounts, demoPassword]) {
      expect(text).toContain(expected);
    }
    expect(text).toContain(`${demo.url}/dev/outbox`);
  });

  it('signs in the company admin and the customer manager with the demo password', async () => {
    for (const email of [demoAccounts.companyAdmin, demoAccounts.customerManager]) {
      const signedIn = await call(demo, 'POST', '/api/auth/sign-in', { body: { email, password: demoPassword } });
      expect(signedIn.json.kind).toBe('session');
      expect(signedIn.headers.get('set-cookie')).toMatch(/^__Host-tenantry_session=.*; Path=\/; HttpOnly/);
    }
    const mustChange = await call(demo, 'POST', '/api/auth/sign-in', {
      body: { email: demoAccounts.mustChangePassword, password: demoPassword },
    });
    expect(mustChange.json.kind).toBe('password-change-required');
  });

  it('lets the operator in only with the local key', async () => {
    expect((await call(demo, 'GET', '/api/organizations')).status).toBe(401);
    const wrong = await call(demo, 'GET', '/api/organizations', { headers: { 'x-demo-operator': 'guess' } });
    expect(wrong.status).toBe(401);
  });

  it('tells a signed-in user, and only them, what they may change in an organization (/demo/estate)', async () => {
    expect((await call(demo, 'GET', '/demo/estate?organizationId=x')).status).toBe(401);
    const signedIn = await call(demo, 'POST', '/api/auth/sign-in', {
      body: { email: demoAccounts.dataEstateAdmin, password: demoPassword },
    });
    const headers = { cookie: (signedIn.headers.get('set-cookie') ?? '').split(';')[0] as string };
    const contoso = signedIn.json.user.organizationId;
    const estate = await call(demo, 'GET', `/demo/estate?organizationId=${contoso}`, { headers });
    expect(estate.json).toMatchObject({ administers: false, readsUsers: true });
    const types = estate.json.types.map(({ key, available, changeable }: Record<string, unknown>) => ({
      key,
      available,
      changeable,
    }));
    expect(types).toEqual([
      { key: 'job', available: true, changeable: false },
      { key: 'instance', available: true, changeable: true },
      { key: 'project', available: false, changeable: false },
    ]);
    expect(estate.json.types[0].resources[0]).toEqual({ id: 'J-1001', name: 'J-1001 Quarterly close' });
    expect(estate.json.fields.map((field: { key: string }) => field.key)).toEqual(['picture', 'signature']);
    const organizations = await call(demo, 'GET', '/api/organizations', { headers: operator });
    const fabrikam = organizations.json.find((organization: { name: string }) => organization.name === 'Fabrikam');
    expect((await call(demo, 'GET', `/demo/estate?organizationId=${fabrikam.id}`, { headers })).status).toBe(404);
  });

  it('serves the OpenAPI document, the pages and the permissions of an organization', async () => {
    const document = await call(demo, 'GET', '/api/openapi.json');
    expect(document.json.openapi).toBe('3.1.0');
    expect(document.json.paths['/users']).toBeDefined();
    for (const path of ['/', '/accept-invitation?token=x', '/reset-password?token=x']) {
      const page = await call(demo, 'GET', path);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toContain('text/html');
      expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    }
    expect((await call(demo, 'GET', '/app.js')).headers.get('content-type')).toContain('javascript');
    expect((await call(demo, 'GET', '/../server.ts')).status).toBe(404);

    const organizations = await call(demo, 'GET', '/api/organizations', { headers: operator });
    const fabrikam = organizations.json.find((organization: { name: string }) => organization.name === 'Fabrikam');
    const permissions = await call(demo, 'GET', `/api/organizations/${fabrikam.id}/permissions`, {
      headers: operator,
    });
    const available = permissions.json.filter((permission: { available: boolean }) => permission.available);
    expect(available.map((permission: { key: string }) => permission.key)).toEqual([
      'org.admin',
      'environments.manage',
      'tickets.view',
      'tickets.edit',
      'tickets.taskfire',
    ]);
    expect((await call(demo, 'GET', `/api/organizations/${fabrikam.id}/permissions`)).status).toBe(401);
  });

  it('asks Contoso’s admins for a second factor after a grace period, and draws QR codes only of otpauth URIs', async () => {
    const signedIn = await call(demo, 'POST', '/api/auth/sign-in', {
      body: { email: demoAccounts.companyAdmin, password: demoPassword },
    });
    expect(signedIn.json.kind).toBe('session');
    const due = Date.parse(signedIn.json.session.enrollmentDueAt) - Date.now();
    expect(due / 86_400_000).toBeGreaterThan(13);
    expect(due / 86_400_000).toBeLessThanOrEqual(14);
    const member = await call(demo, 'POST', '/api/auth/sign-in', {
      body: { email: 'bjorn.muller@contoso.example', password: demoPassword },
    });
    expect(member.json.session.enrollmentDueAt).toBeNull();

    const headers = { cookie: (signedIn.headers.get('set-cookie') ?? '').split(';')[0] as string };
    const enrollment = await call(demo, 'POST', '/api/auth/factors/totp', { headers, body: {} });
    expect(enrollment.json.uri).toMatch(/^otpauth:\/\/totp\/Demo%20Portal:carla\.diaz%40contoso\.example\?/);
    const qr = await call(demo, 'POST', '/demo/qr-code', { body: { uri: enrollment.json.uri } });
    expect(qr.status).toBe(200);
    expect(qr.headers.get('content-type')).toBe('image/svg+xml');
    expect(qr.headers.get('cache-control')).toBe('no-store');
    expect(qr.text).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(qr.text).not.toContain(enrollment.json.secret);
    for (const uri of ['https://example.com/', 42, `otpauth://totp/x?secret=${'A'.repeat(1000)}`]) {
      expect((await call(demo, 'POST', '/demo/qr-code', { body: { uri } })).status).toBe(400);
    }
    const crossSite = await call(demo, 'POST', '/demo/qr-code', {
      body: { uri: enrollment.json.uri },
      headers: { 'sec-fetch-site': 'cross-site' },
    });
    expect(crossSite.status).toBe(403);
    const form = await fetch(`${demo.url}/demo/qr-code`, {
      method: 'POST',
      body: new URLSearchParams({ uri: 'otpauth://x' }),
    });
    expect(form.status).toBe(403);
  });

  it('keeps every mail in the outbox, newest first, with its link, and escapes what it shows', async () => {
    const created = await call(demo, 'POST', '/api/organizations', {
      headers: operator,
      body: {
        name: 'Tag <b>&"Co"',
        firstUser: { email: 'first@tag.example', firstName: 'Fred', lastName: '<script>alert(1)</script>' },
      },
    });
    expect(created.status).toBe(201);
    const mails = (await call(demo, 'GET', '/dev/outbox.json')).json;
    expect(mails[0]).toMatchObject({ to: 'first@tag.example', kind: 'invitation' });
    expect(mails[0].link).toMatch(new RegExp(`^${demo.url}/accept-invitation\\?token=`));
    const invitations = mails.filter((mail: { kind: string }) => mail.kind === 'invitation');
    expect(invitations.length).toBeGreaterThanOrEqual(4);
    for (const mail of invitations) expect(mail.link).toMatch(/^http:\/\/localhost:\d+\/accept-invitation\?token=/);

    const page = await call(demo, 'GET', '/dev/outbox');
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.text).toContain('<a class="mail-link" href="http://localhost:');
    expect(page.text).toContain('Tag &lt;b&gt;&amp;&quot;Co&quot;');
    expect(page.text).not.toContain('<b>&');
    expect(page.text).not.toContain('<script>alert');
    expect(page.text.indexOf('first@tag.example')).toBeLessThan(page.text.indexOf('jonas.weber@contoso.example'));
  });

  it('starts again on the same data without seeding: users, outbox, secrets and cursors survive', async () => {
    const organizations = (await call(demo, 'GET', '/api/organizations', { headers: operator })).json;
    const contoso = organizations.find((organization: { name: string }) => organization.name === 'Contoso');
    const list = `/api/users?organizationId=${contoso.id}&${everyone}&sort=name&order=asc`;
    const before = (await call(demo, 'GET', `${list}&limit=200`, { headers: operator })).json.items;
    const firstPage = (await call(demo, 'GET', `${list}&limit=5`, { headers: operator })).json;
    const secret = await readFile(join(dataDir, 'cursor-secret'), 'utf8');
    // An authenticator app set up before the restart: its secret is sealed with the kept encryption key.
    const email = 'mia.kowalski@contoso.example';
    const signedIn = await demo.um.auth.signIn({ email, password: demoPassword });
    if (signedIn.kind !== 'session') throw new Error(`the sign-in answered ${signedIn.kind}`);
    const enrollment = await demo.um.auth.enrollTotp({ sessionToken: signedIn.token });
    const code = totpCode(enrollment.secret);
    await demo.um.auth.confirmTotp({ sessionToken: signedIn.token, enrollmentId: enrollment.enrollmentId, code });
    const key = await readFile(join(dataDir, 'encryption-key'), 'utf8');
    const mails = async () => (await call(demo, 'GET', '/dev/outbox.json')).json as { to: string; kind: string }[];
    await expect
      .poll(async () => (await mails()).some((mail) => mail.to === email && mail.kind === 'factor-added'))
      .toBe(true);
    const mailsBefore = (await mails()).length;
    expect(Buffer.from(key.trim(), 'base64url')).toHaveLength(32);
    await demo.close();

    demo = await startDemo({ dataDir, port: 0 });
    operator = { 'x-demo-operator': demo.operatorKey };
    expect(demo.seeded).toBe(false);
    const after = (await call(demo, 'GET', `${list}&limit=200`, { headers: operator })).json.items;
    expect(after.map((user: { id: string }) => user.id)).toEqual(before.map((user: { id: string }) => user.id));
    expect((await call(demo, 'GET', '/api/organizations', { headers: operator })).json).toHaveLength(
      organizations.length,
    );
    expect((await call(demo, 'GET', '/dev/outbox.json')).json).toHaveLength(mailsBefore);
    expect(await readFile(join(dataDir, 'cursor-secret'), 'utf8')).toBe(secret);
    expect(await readFile(join(dataDir, 'encryption-key'), 'utf8')).toBe(key);
    const again = await demo.um.auth.signIn({ email, password: demoPassword });
    if (again.kind !== 'second-factor-required') throw new Error(`the sign-in answered ${again.kind}`);
    const verified = await demo.um.auth.verifySecondFactor({
      challengeToken: again.challengeToken,
      method: 'totp',
      code: totpCode(enrollment.secret, 1),
    });
    expect(verified.kind).toBe('session');
    const cursor = encodeURIComponent(firstPage.nextCursor);
    const secondPage = await call(demo, 'GET', `${list}&limit=5&cursor=${cursor}`, { headers: operator });
    expect(secondPage.status).toBe(200);
    expect(secondPage.json.items[0].id).toBe(before[5].id);
  }, 60_000);
});
