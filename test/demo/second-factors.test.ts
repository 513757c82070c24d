import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoAccounts, demoPassword } from '../../examples/demo/seed-people.js';
import { type RunningDemo, startDemo } from '../../examples/demo/server.js';
import { hasChromium, launchChromium, see, signIn, until, userNames } from './browser.js';
import { addVirtualAuthenticator, totpCode } from './factors.js';

describe.skipIf(!hasChromium)('second factors in the demo portal (headless Chromium)', () => {
  let dataDir: string;
  let demo: RunningDemo;
  let browser: Browser;
  const operator = () => demo.um.as({ type: 'operator' });

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'tenantry-demo-factors-'));
    [demo, browser] = await Promise.all([startDemo({ dataDir, port: 0 }), launchChromium()]);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await demo?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** A page with cookies of its own and, when asked, Chromium's virtual authenticator (a passkey store). */
  const freshPage = async (options: { authenticator?: boolean } = {}): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    if (options.authenticator) await addVirtualAuthenticator(page);
    return page;
  };

  /**
   * How the page's session was won (`GET /api/auth/session`, with its cookie); null until the session is there
   * (the page may still show the name it had before signing out while the new sign-in is on its way).
   */
  const authenticationMethods = (page: Page) =>
    page.evaluate(async () => {
      const answer = await (await fetch('/api/auth/session')).json();
      return (answer.session?.authenticationMethods ?? null) as string[] | null;
    });

  const signOut = async (page: Page) => {
    await page.locator('#sign-out').click();
    await see(page.locator('#signin-message'), 'You are signed out.');
  };

  /** Sets up an authenticator app in the setup form on the page: the key read as shown, the code computed. */
  const confirmAuthenticator = async (page: Page, ahead = 0): Promise<string> => {
    const setup = page.locator('[data-setup="totp"]');
    await until(
      async () => ((await setup.locator('img.qr').getAttribute('src')) ?? '').slice(0, 19),
      'data:image/svg+xml,',
    );
    const secret = (await setup.locator('.totp-secret').textContent()) as string;
    expect(secret).toMatch(/^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/);
    await setup.locator('input[name="code"]').fill(totpCode(secret, ahead));
    await setup.getByRole('button', { name: 'Confirm' }).click();
    return secret;
  };

  it('a passkey added under My account signs in alone, and after the password', async () => {
    const page = await freshPage({ authenticator: true });
    // Rita administers Contoso Research, held to Contoso's policy: reminded during the grace period.
    await signIn(page, demo.url, 'rita.rao@research.contoso.example', demoPassword);
    await see(page.locator('#whoami'), 'Rita Rao');
    await see(page.locator('#mfa-banner'), 'Your company requires a second factor by');

    await page.locator('#mfa-banner').getByRole('button', { name: 'Set one up under My account' }).click();
    const account = page.locator('#account-dialog');
    await see(account.locator('#factors-empty'), 'No second factor yet.');
    await account.locator('#factor-label').fill('This laptop');
    await account.getByRole('button', { name: 'Add a passkey' }).click();
    await see(account.locator('#account-message'), 'Passkey added');
    await until(() => account.locator('.recovery-codes li').count(), 10);
    await see(account.locator('#factors-table tbody'), 'This laptop');
    await see(account.locator('#factors-table tbody'), 'Passkey');
    await until(() => page.locator('#mfa-banner').isVisible(), false);
    await account.getByRole('button', { name: 'I have saved them' }).click();
    // Her company requires a factor of her: the only one stays.
    await account.getByRole('button', { name: 'Remove' }).click();
    await see(account.locator('#account-message'), 'Your company requires a second factor');
    await see(account.locator('#factors-table tbody'), 'This laptop');
    await account.getByRole('button', { name: 'Close' }).click();
    await signOut(page);

    // The passkey alone: no address, no password.
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await see(page.locator('#whoami'), 'Rita Rao');
    await until(() => authenticationMethods(page), ['passkey']);
    await signOut(page);

    // The password now asks for the second factor: the passkey, or a recovery code (no authenticator app).
    await signIn(page, demo.url, 'rita.rao@research.contoso.example', demoPassword);
    await see(page.locator('#second-factor-label'), 'One of your recovery codes');
    await until(() => page.locator('#second-factor-switch').isVisible(), false);
    await page.getByRole('button', { name: 'Use a passkey' }).click();
    await see(page.locator('#whoami'), 'Rita Rao');
    await until(() => authenticationMethods(page), ['password', 'passkey']);
  }, 120_000);

  it('an authenticator app is set up with its QR code or key; sign-in then asks its code, or a recovery code', async () => {
    const page = await freshPage();
    const email = 'noah.schmidt@contoso.example';
    await signIn(page, demo.url, email, demoPassword);
    await see(page.locator('#whoami'), 'Noah Schmidt');
    await until(() => page.locator('#mfa-banner').isVisible(), false);
    await page.getByRole('button', { name: 'My account' }).click();
    const account = page.locator('#account-dialog');
    await see(account.locator('#account-email'), email);

    // A session won longer ago than policy.mfa.recentSignInMs (15 minutes) changes no factor: the API's refusal,
    // played here, has the user sign in again, and My account opens again after.
    const stale = { code: 'FORBIDDEN', message: 'Sign in again', details: { reason: 'recent-sign-in-required' } };
    await page.route('**/api/auth/factors/totp', (route) => route.fulfill({ status: 403, json: { error: stale } }), {
      times: 1,
    });
    await account.getByRole('button', { name: 'Set up authenticator app' }).click();
    await see(account.locator('#account-message'), 'Changing how you sign in needs a recent sign-in.');
    await account.getByRole('button', { name: 'Sign in again' }).click();
    await see(page.locator('#signin-message'), 'Sign in again to change how you sign in');
    expect(await page.locator('#signin-form input[name="email"]').inputValue()).toBe(email);
    await page.locator('#signin-form input[name="password"]').fill(demoPassword);
    await page.locator('#signin-form button[type="submit"]').click();
    await see(page.locator('#whoami'), 'Noah Schmidt');
    await until(() => account.isVisible(), true);
    await until(() => account.locator('#account-reauth').isVisible(), false);
    await account.getByRole('button', { name: 'Set up authenticator app' }).click();

    // A wrong code is refused and the form stays; the right one confirms.
    const setup = account.locator('[data-setup="totp"]');
    const shown = (await setup.locator('.totp-secret').textContent()) as string;
    const wrong = [...totpCode(shown)].map((digit) => (Number(digit) + 5) % 10).join('');
    await setup.locator('input[name="code"]').fill(wrong);
    await setup.getByRole('button', { name: 'Confirm' }).click();
    await see(setup.locator('.message'), 'Sign-in failed: The code is incorrect');
    const secret = await confirmAuthenticator(page);
    await see(account.locator('#account-message'), 'Authenticator app added');
    const codes = account.locator('.recovery-codes li');
    await until(() => codes.count(), 10);
    const recoveryCode = (await codes.first().textContent()) as string;
    expect(recoveryCode).toMatch(/^[a-z0-9]{4}(-[a-z0-9]{4}){5}$/);
    await see(account.locator('#factors-table tbody'), 'Authenticator app');
    await account.getByRole('button', { name: 'I have saved them' }).click();
    await account.getByRole('button', { name: 'Close' }).click();
    await signOut(page);

    // Password, then the code of the next step (the confirming one is used up).
    await signIn(page, demo.url, email, demoPassword);
    await see(page.locator('#second-factor-email'), email);
    await see(page.locator('#second-factor-label'), 'The 6-digit code from your authenticator app');
    await until(() => page.locator('#second-factor-passkey').isVisible(), false);
    await page.locator('#second-factor-form input[name="code"]').fill(totpCode(secret, 1));
    await page.getByRole('button', { name: 'Verify' }).click();
    await see(page.locator('#whoami'), 'Noah Schmidt');
    await until(() => authenticationMethods(page), ['password', 'totp']);
    await signOut(page);

    // A recovery code instead, once.
    await signIn(page, demo.url, email, demoPassword);
    await page.getByRole('button', { name: 'Use a recovery code' }).click();
    await see(page.locator('#second-factor-label'), 'One of your recovery codes');
    await page.locator('#second-factor-form input[name="code"]').fill(recoveryCode);
    await page.getByRole('button', { name: 'Verify' }).click();
    await see(page.locator('#whoami'), 'Noah Schmidt');
    await until(() => authenticationMethods(page), ['password', 'recovery-code']);

    // New recovery codes; then the app removed, and the password alone signs in again.
    await page.getByRole('button', { name: 'My account' }).click();
    await account.getByRole('button', { name: 'New recovery codes' }).click();
    await see(account.locator('#account-message'), 'New recovery codes: the earlier ones no longer work.');
    await until(() => codes.count(), 10);
    expect(await codes.allTextContents()).not.toContain(recoveryCode);
    await account.getByRole('button', { name: 'I have saved them' }).click();
    await account.locator('#factors-table tbody tr', { hasText: 'Authenticator app' }).getByRole('button').click();
    await see(account.locator('#account-message'), 'Removed “Authenticator app”.');
    await see(account.locator('#factors-empty'), 'No second factor yet.');
    await account.getByRole('button', { name: 'Close' }).click();
    await signOut(page);
    await signIn(page, demo.url, email, demoPassword);
    await see(page.locator('#whoami'), 'Noah Schmidt');
    await until(() => authenticationMethods(page), ['password']);
  }, 120_000);

  it("an admin sees a user's factors and resets them; the user's next sign-in asks no code", async () => {
    // Aiko set up an authenticator app (here through the API).
    const email = 'aiko.suzuki@contoso.example';
    const signedIn = await demo.um.auth.signIn({ email, password: demoPassword });
    if (signedIn.kind !== 'session') throw new Error(`Aiko's sign-in answered ${signedIn.kind}`);
    const enrollment = await demo.um.auth.enrollTotp({ sessionToken: signedIn.token, label: 'Aiko’s phone' });
    const code = totpCode(enrollment.secret);
    await demo.um.auth.confirmTotp({ sessionToken: signedIn.token, enrollmentId: enrollment.enrollmentId, code });
    expect((await demo.um.auth.signIn({ email, password: demoPassword })).kind).toBe('second-factor-required');

    const admin = await freshPage();
    await signIn(admin, demo.url, demoAccounts.companyAdmin, demoPassword);
    await see(admin.locator('#whoami'), 'Carla Díaz');
    await see(admin.locator('#mfa-banner'), 'Your company requires a second factor by');
    const dialog = admin.locator('#user-dialog');
    const openUser = async (search: string, name: string) => {
      await admin.locator('#user-filters input[name="search"]').fill(search);
      await admin.locator('#user-filters input[name="search"]').press('Enter');
      await until(() => userNames(admin), [name]);
      await admin.locator('#users-table tbody button', { hasText: name }).click();
      await see(admin.locator('#user-title'), name);
    };

    // Her own factors are not hers to reset here.
    await openUser('carla', 'Carla Díaz');
    await see(dialog.locator('#user-factors'), 'No second factor.');
    await until(() => dialog.locator('#user-factors-reset').isVisible(), false);
    await dialog.getByRole('button', { name: 'Close' }).click();

    await openUser('aiko', 'Aiko Suzuki');
    await see(dialog.locator('#user-factors'), 'Aiko’s phone (Authenticator app), added');
    await dialog.getByRole('button', { name: 'Reset second factors' }).click();
    await see(dialog.locator('#user-message'), 'Second factors reset (1 removed), and their sessions ended');
    await see(dialog.locator('#user-factors'), 'No second factor.');
    await see(dialog.locator('#user-sessions'), 'Not signed in anywhere.');
    expect(await dialog.locator('#user-factors-reset').isDisabled()).toBe(true);
    await expect(demo.um.auth.validateSession(signedIn.token)).rejects.toMatchObject({ code: 'SESSION_INVALID' });

    // Not an admin: Contoso's policy does not ask her for a factor, so the password alone signs her in.
    const aiko = await freshPage();
    await signIn(aiko, demo.url, email, demoPassword);
    await see(aiko.locator('#whoami'), 'Aiko Suzuki');
    await until(() => authenticationMethods(aiko), ['password']);
    await until(() => aiko.locator('#mfa-banner').isVisible(), false);
  }, 120_000);

  it('a company that requires a factor now has its users set one up at sign-in: an app or a passkey', async () => {
    const fabrikam = (await operator().organizations.list({})).find((organization) => organization.name === 'Fabrikam');
    await operator().organizations.setSecurityPolicy(fabrikam?.id as string, {
      mfa: 'required',
      enrollmentGraceDays: 0,
    });

    const page = await freshPage();
    await signIn(page, demo.url, 'greta.lind@fabrikam.example', demoPassword);
    await see(page.locator('#enrollment-email'), 'greta.lind@fabrikam.example');
    await page.getByRole('button', { name: 'Set up authenticator app' }).click();
    await confirmAuthenticator(page);
    await see(page.locator('#enrollment-message'), 'Your second factor is set up, and you are signed in.');
    await until(() => page.locator('#enrollment-codes .recovery-codes li').count(), 10);
    await page.getByRole('button', { name: 'Saved: continue' }).click();
    await see(page.locator('#whoami'), 'Greta Lind');
    await until(() => authenticationMethods(page), ['password', 'totp']);

    const other = await freshPage({ authenticator: true });
    await signIn(other, demo.url, 'ines.moreau@fabrikam.example', demoPassword);
    await see(other.locator('#enrollment-email'), 'ines.moreau@fabrikam.example');
    await other.getByRole('button', { name: 'Add a passkey' }).click();
    await until(() => other.locator('#enrollment-codes .recovery-codes li').count(), 10);
    await other.getByRole('button', { name: 'Saved: continue' }).click();
    await see(other.locator('#whoami'), 'Inès Moreau');
    await until(() => authenticationMethods(other), ['password', 'passkey']);
  }, 120_000);

  it('a newcomer accepting an invitation where a factor is required sets one up before the portal opens', async () => {
    const fabrikam = (await operator().organizations.list({})).find((organization) => organization.name === 'Fabrikam');
    await operator().organizations.setSecurityPolicy(fabrikam?.id as string, {
      mfa: 'required',
      enrollmentGraceDays: 0,
    });
    const { user } = await operator().users.add({
      organizationId: fabrikam?.id as string,
      email: 'nils.neu@fabrikam.example',
      firstName: 'Nils',
      lastName: 'Neu',
      invite: false,
    });
    const { link } = await operator().invitations.createLink(user.id);
    const page = await freshPage();
    await page.goto(link);
    const form = page.locator('#accept-form');
    await until(() => form.isVisible(), true);
    await form.locator('input[name="password"]').fill(demoPassword);
    await form.locator('input[name="repeat"]').fill(demoPassword);
    await form.locator('input[name="acceptTerms"]').check();
    await form.getByRole('button', { name: 'Activate my account' }).click();
    await see(page.locator('#enrollment-email'), 'nils.neu@fabrikam.example');
    expect(await authenticationMethods(page)).toBeNull();
    await page.getByRole('button', { name: 'Set up authenticator app' }).click();
    await confirmAuthenticator(page);
    await until(() => page.locator('#enrollment-codes .recovery-codes li').count(), 10);
    await page.getByRole('button', { name: 'Saved: continue' }).click();
    await see(page.locator('#whoami'), 'Nils Neu');
    await until(() => authenticationMethods(page), ['password', 'totp']);
  }, 120_000);
});
