import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { generateHOTP } from '@oslojs/otp';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoAccounts, demoPassword } from '../../examples/demo/seed-people.js';
import { ssoAccounts } from '../../examples/demo/seed-sso.js';
import { type RunningDemo, startDemo } from '../../examples/demo/server.js';
import { hasChromium, launchChromium, see, signIn, until, userNames } from './browser.js';

const patience = { timeout: 20_000 };

/** An authenticator app's code for a base32 secret, `ahead` steps of 30 s from now. */
const totpCode = (secret: string, ahead = 0) =>
  generateHOTP(decodeBase32IgnorePadding(secret), BigInt(Math.floor(Date.now() / 30_000) + ahead), 6);

describe.skipIf(!hasChromium)('single sign-on in the demo portal (headless Chromium)', () => {
  let dataDir: string;
  let demo: RunningDemo;
  let browser: Browser;
  const operator = () => demo.um.as({ type: 'operator' });
  const contosoId = async () =>
    ((await operator().organizations.list({})).find((organization) => organization.name === 'Contoso')?.id ??
      '') as string;
  const userByEmail = async (email: string) => {
    const found = await operator().users.list({ organizationId: await contosoId(), search: email, limit: 5 });
    return found.items.find((user) => user.email === email);
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'tenantry-demo-sso-'));
    [demo, browser] = await Promise.all([startDemo({ dataDir, port: 0 }), launchChromium()]);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await demo?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** A page with cookies of its own (no session at the portal, none at the provider) that reaches this machine only. */
  const freshPage = async (): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    // The provider's development pages ask for a web font; nothing leaves the machine.
    await context.route(/^https?:\/\/(?!localhost[:/]|127\.0\.0\.1[:/])/, (route) => route.abort());
    return context.newPage();
  };

  /** How the page's session was won, once it has one. */
  const authenticationMethods = (page: Page) =>
    page.evaluate(async () => {
      const answer = await (await fetch('/api/auth/session')).json();
      return (answer.session?.authenticationMethods ?? null) as string[] | null;
    });

  /**
   * Types the address on the sign-in page and follows "Sign in with Contoso SSO" to the provider: its development
   * login (a login name and any password), its consent when it asks, and back to the portal.
   */
  const signInWithSso = async (page: Page, email: string) => {
    await page.goto(`${demo.url}/`);
    await page.locator('#signin-form input[name="email"]').fill(email);
    const button = page.locator('#sso-signin-button');
    await until(() => button.isVisible(), true);
    expect(await button.textContent()).toBe('Sign in with Contoso SSO');
    await button.click();
    const provider = new URL(demo.oidcIssuer).origin;
    await page.waitForURL((url) => url.origin === provider, patience);
    await page.locator('input[name="login"]').fill(email);
    await page.locator('input[name="password"]').fill('whatever the provider is told');
    await page.locator('button[type="submit"]').click();
    const consent = page.locator('input[name="prompt"][value="consent"]');
    const back = () => new URL(page.url()).origin === demo.url;
    await expect.poll(async () => back() || (await consent.count()) > 0, patience).toBe(true);
    if (!back()) await page.locator('button[type="submit"]').click();
    await page.waitForURL((url) => url.origin === demo.url, patience);
  };

  it('signs a newcomer in through Contoso’s provider: created active with the mapped role, listed for the admin', async () => {
    expect(await userByEmail(ssoAccounts.newcomer)).toBeUndefined();
    const page = await freshPage();
    await signInWithSso(page, ssoAccounts.newcomer);
    await see(page.locator('#whoami-name'), 'Nora New');
    await until(() => page.locator('#portal-view').isVisible(), true);
    await until(() => authenticationMethods(page), ['sso']);
    const nora = await userByEmail(ssoAccounts.newcomer);
    expect(nora).toMatchObject({ status: 'active', roles: ['manager'], firstName: 'Nora', lastName: 'New' });

    const admin = await freshPage();
    await signIn(admin, demo.url, demoAccounts.companyAdmin, demoPassword);
    await see(admin.locator('#whoami'), 'Carla Díaz');
    await admin.locator('#user-filters input[name="search"]').fill('nora.new');
    await admin.locator('#user-filters button[type="submit"]').click();
    await until(() => userNames(admin), ['Nora New']);
    const row = admin.locator(`#users-table tr[data-user-id="${nora?.id}"]`);
    await see(row, 'active');
    await see(row, 'Manager');
  }, 90_000);

  it('links a seeded user at her first SSO sign-in: the same account, now also signed in by SSO', async () => {
    const before = await userByEmail(ssoAccounts.existingUser);
    expect(before?.status).toBe('active');
    const page = await freshPage();
    await signInWithSso(page, ssoAccounts.existingUser);
    await see(page.locator('#whoami-name'), 'Aiko Suzuki');
    await until(() => authenticationMethods(page), ['sso']);
    const session = await page.evaluate(async () => (await (await fetch('/api/auth/session')).json()).user.id);
    expect(session).toBe(before?.id);
    const { items } = await operator().audit.list({ organizationId: await contosoId(), action: 'sso.linked' });
    expect(items.map((event) => event.targetId)).toContain(before?.id);
    // Her password still signs her in too: SSO is not required at Contoso.
    const password = await demo.um.auth.signIn({ email: ssoAccounts.existingUser, password: demoPassword });
    expect(password.kind).toBe('session');
  }, 90_000);

  it('asks a user with a second factor of her own for it after the provider (which asked none)', async () => {
    const signedIn = await demo.um.auth.signIn({ email: ssoAccounts.existingUser, password: demoPassword });
    if (signedIn.kind !== 'session') throw new Error(`the sign-in answered ${signedIn.kind}`);
    const enrollment = await demo.um.auth.enrollTotp({ sessionToken: signedIn.token });
    const code = totpCode(enrollment.secret);
    await demo.um.auth.confirmTotp({ sessionToken: signedIn.token, enrollmentId: enrollment.enrollmentId, code });
    const page = await freshPage();
    await signInWithSso(page, ssoAccounts.existingUser);
    await until(() => page.locator('#second-factor-view').isVisible(), true);
    await see(page.locator('#second-factor-email'), ssoAccounts.existingUser);
    expect(new URL(page.url()).hash).toBe('');
    await page.locator('#second-factor-form input[name="code"]').fill(totpCode(enrollment.secret, 1));
    await page.locator('#second-factor-form button[type="submit"]').click();
    await see(page.locator('#whoami-name'), 'Aiko Suzuki');
    await until(() => authenticationMethods(page), ['sso', 'totp']);
  }, 90_000);

  it('shows why an attempt failed, and keeps the password for an address without SSO', async () => {
    const page = await freshPage();
    // A callback this browser never started: no state cookie.
    await page.goto(`${demo.url}/sso/callback?code=made-up&state=made-up`);
    await see(page.locator('#signin-message'), 'Single sign-on failed: the sign-in was not started in this browser');
    await until(() => page.locator('#signin-message').isVisible(), true);
    expect(new URL(page.url()).search).toBe('');
    await page.locator('#signin-form input[name="email"]').fill(demoAccounts.customerManager);
    // Northwind has no SSO: once the page has its answer, no button; the password signs in.
    await until(() => page.locator('#signin-form').getAttribute('data-discovered'), demoAccounts.customerManager);
    expect(await page.locator('#sso-signin').isVisible()).toBe(false);
    await page.locator('#signin-form input[name="password"]').fill(demoPassword);
    await page.locator('#signin-form button[type="submit"]').click();
    await see(page.locator('#whoami'), 'Mike Meyer');
  }, 60_000);

  it('lets an admin claim, publish (demo DNS) and verify a domain, and create, disable and remove a connection', async () => {
    const page = await freshPage();
    await signIn(page, demo.url, demoAccounts.companyAdmin, demoPassword);
    await see(page.locator('#whoami'), 'Carla Díaz');
    await page.locator('.tabs [data-tab="company"]').click();
    const domains = page.locator('#domains-table');
    const seeded = domains.locator('tr[data-domain="contoso.example"]');
    await see(seeded, 'verified');
    await see(seeded, '_tenantry-verification.contoso.example');

    await page.locator('#domain-form input[name="domain"]').fill('Contoso-Labs.example');
    await page.locator('#domain-form button[type="submit"]').click();
    const labs = domains.locator('tr[data-domain="contoso-labs.example"]');
    await see(labs, 'pending');
    await labs.getByRole('button', { name: 'Verify' }).click();
    await see(page.locator('#domains-message'), 'Not verified: no TXT record at that name yet');
    await labs.getByRole('button', { name: 'Publish in the demo DNS' }).click();
    await see(
      page.locator('#domains-message'),
      'Published in the demo DNS: _tenantry-verification.contoso-labs.example',
    );
    await labs.getByRole('button', { name: 'Verify' }).click();
    await see(page.locator('#domains-message'), 'contoso-labs.example is verified.');
    await until(() => labs.locator('.badge').first().textContent(), 'verified');
    await until(() => labs.getByRole('button', { name: 'Publish in the demo DNS' }).count(), 0);

    const connections = page.locator('#connections-table');
    await see(connections, `${demo.url}/sso/callback`);
    await see(connections, 'groups = portal-editors → Manager');
    await page.getByText('Connect an OpenID provider').click();
    const form = page.locator('#oidc-form');
    await form.locator('input[name="name"]').fill('Contoso reporting');
    await form.locator('input[name="issuer"]').fill(demo.oidcIssuer);
    await form.locator('input[name="clientId"]').fill('reporting');
    await form.locator('input[name="clientSecret"]').fill('a secret only the provider and the portal know');
    await form.locator('select[name="defaultRole"]').selectOption('basic');
    await form.getByRole('button', { name: 'Connect' }).click();
    await see(page.locator('#connections-message'), 'Connected Contoso reporting');
    const created = connections.locator('tr[data-name="Contoso reporting"]');
    await see(created, 'enabled');
    await see(created, demo.oidcIssuer);
    expect(await connections.textContent()).not.toContain('a secret only');
    await created.getByRole('button', { name: 'Disable' }).click();
    await see(page.locator('#connections-message'), 'Contoso reporting is disabled.');
    await until(() => created.locator('.badge').textContent(), 'disabled');
    const listed = await operator().sso.list(await contosoId());
    expect(listed.map(({ name, enabled }) => ({ name, enabled }))).toEqual([
      { name: 'Contoso sign-in (local OpenID provider)', enabled: true },
      { name: 'Contoso reporting', enabled: false },
    ]);
    await created.getByRole('button', { name: 'Remove' }).click();
    await created.getByRole('button', { name: 'Really remove?' }).click();
    await see(page.locator('#connections-message'), 'Contoso reporting is removed');
    await until(() => created.count(), 0);
  }, 90_000);

  it('starts again on the same data with the same provider, whose sign-ins and domain records still work', async () => {
    const issuer = demo.oidcIssuer;
    const nora = await userByEmail(ssoAccounts.newcomer);
    await demo.close();
    demo = await startDemo({ dataDir, port: 0 });
    expect(demo.seeded).toBe(false);
    expect(demo.oidcIssuer).toBe(issuer);
    // The records published before the restart are in the DNS again: checking both domains finds them.
    for (const domain of ['contoso.example', 'contoso-labs.example']) {
      expect((await operator().domains.verify(await contosoId(), domain)).status).toBe('verified');
    }
    const page = await freshPage();
    await signInWithSso(page, ssoAccounts.newcomer);
    await see(page.locator('#whoami-name'), 'Nora New');
    const again = await page.evaluate(async () => (await (await fetch('/api/auth/session')).json()).user.id);
    expect(again).toBe(nora?.id);
  }, 120_000);
});
