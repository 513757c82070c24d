import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoAccounts, demoPassword } from '../../examples/demo/seed-people.js';
import { type RunningDemo, startDemo } from '../../examples/demo/server.js';
import { chromiumPath, hasChromium, launchChromium, see, signIn, until, userNames } from './browser.js';

// Written on every run where git ignores it; TENANTRY_UPDATE_SCREENSHOT=1 writes the README's copy instead.
const screenshot = fileURLToPath(
  new URL(
    process.env.TENANTRY_UPDATE_SCREENSHOT
      ? '../../docs/images/demo-users.png'
      : '../../.data/screenshots/demo-users.png',
    import.meta.url,
  ),
);
const newPassword = 'a fresh passphrase of my own';

if (!hasChromium && process.env.TENANTRY_REQUIRE_BROWSER) {
  throw new Error(`${chromiumPath} does not exist, and TENANTRY_REQUIRE_BROWSER asks for the browser tests`);
}
if (!hasChromium) {
  console.warn(`Skipping the demo portal's browser tests: ${chromiumPath} does not exist (apt-get install chromium).`);
}

describe.skipIf(!hasChromium)('the demo portal in headless Chromium', () => {
  let dataDir: string;
  let demo: RunningDemo;
  let browser: Browser;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'tenantry-demo-e2e-'));
    [demo, browser] = await Promise.all([startDemo({ dataDir, port: 0 }), launchChromium()]);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await demo?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** A page in a browser context of its own (its own cookies), 1280×800. */
  const freshPage = async (): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    return context.newPage();
  };

  it('a company admin finds, adds, changes and imports users, reads the audit trail; the new user activates from the outbox', async () => {
    const page = await freshPage();
    const filters = page.locator('#user-filters');
    const message = page.locator('#portal-message');
    const dialog = page.locator('#user-dialog');
    const setStatuses = async (statuses: string[]) => {
      for (const status of ['pending', 'active', 'disabled']) {
        await filters.locator(`input[name="status"][value="${status}"]`).setChecked(statuses.includes(status));
      }
    };

    await signIn(page, demo.url, demoAccounts.companyAdmin, demoPassword);
    await see(page.locator('#whoami'), 'Carla Díaz');
    await until(() => page.locator('#users-table tbody tr').count(), 20);
    expect(await page.locator('#organization option:checked').textContent()).toBe('Contoso');
    await see(page.locator('#users-table tbody'), 'José Núñez');
    await mkdir(join(screenshot, '..'), { recursive: true });
    await page.screenshot({ path: screenshot });
    expect((await stat(screenshot)).size).toBeLessThan(200 * 1024);

    // The next page with the cursor, then back.
    const firstPage = await userNames(page);
    await page.locator('#users-next').click();
    await see(page.locator('#users-page'), 'Page 2');
    const secondPage = await userNames(page);
    expect(secondPage.length).toBeGreaterThan(0);
    expect(secondPage.filter((name) => firstPage.includes(name))).toEqual([]);
    await page.locator('#users-first').click();
    await until(() => userNames(page), firstPage);

    // Search ignores case and accents; filters by status, role and permission; sort order.
    await filters.locator('input[name="search"]').fill('NUNEZ');
    await filters.locator('input[name="search"]').press('Enter');
    await until(() => userNames(page), ['José Núñez']);
    await filters.locator('input[name="search"]').fill('');
    await setStatuses(['disabled']);
    await until(() => userNames(page), ['Liam Brennan', 'Oliver Brown', 'Chloé Dubois']);
    await setStatuses(['pending', 'active']);
    await filters.locator('select[name="role"]').selectOption('manager');
    await until(() => userNames(page), ['Isabella Costa', 'Omar Haddad', 'José Núñez', 'Sofia Rossi', 'Fatima Zahra']);
    await filters.locator('select[name="role"]').selectOption('');
    await filters.locator('select[name="permission"]').selectOption('instances.manage');
    await until(() => userNames(page), ['Mateo García', 'Amélie Laurent']);
    await filters.locator('select[name="order"]').selectOption('desc');
    await until(() => userNames(page), ['Amélie Laurent', 'Mateo García']);
    await filters.locator('select[name="sort"]').selectOption('email');
    await until(() => userNames(page), ['Mateo García', 'Amélie Laurent']);
    await filters.locator('select[name="permission"]').selectOption('');
    await filters.locator('select[name="sort"]').selectOption('name');
    await filters.locator('select[name="order"]').selectOption('asc');

    // Add a user with an invitation.
    await page.locator('#add-user-open').click();
    const add = page.locator('#add-user-form');
    await add.locator('input[name="firstName"]').fill('Grace');
    await add.locator('input[name="lastName"]').fill('Hopper');
    await add.locator('input[name="email"]').fill('grace.hopper@contoso.example');
    expect(await add.locator('input[name="invite"]').isChecked()).toBe(true);
    await add.locator('button[type="submit"]').click();
    await see(message, 'Added Grace Hopper (grace.hopper@contoso.example): an invitation is on its way.');

    // Her permissions: a dependency refusal, readable, then a grant that holds.
    await filters.locator('input[name="search"]').fill('hopper');
    await filters.locator('input[name="search"]').press('Enter');
    await until(() => userNames(page), ['Grace Hopper']);
    await page.locator('#users-table tbody button', { hasText: 'Grace Hopper' }).click();
    await see(page.locator('#user-title'), 'Grace Hopper');
    await dialog.locator('input[name="permissions"][value="tickets.edit"]').check();
    await dialog.locator('#access-form button[type="submit"]').click();
    await see(
      dialog.locator('#user-message'),
      'A permission depends on another: "tickets.edit" requires "tickets.view"',
    );
    await dialog.locator('input[name="permissions"][value="tickets.view"]').check();
    await dialog.locator('#access-form button[type="submit"]').click();
    await see(dialog.locator('#user-message'), 'Access saved.');
    await see(dialog.locator('#user-facts'), 'Edit tickets, View tickets');

    // Disable and enable her, then send the invitation again (the earlier link stops working).
    await dialog.getByRole('button', { name: 'Disable' }).click();
    await see(dialog.locator('#user-message'), 'Disabled');
    await see(dialog.locator('#user-facts'), 'disabled');
    await dialog.getByRole('button', { name: 'Enable' }).click();
    await see(dialog.locator('#user-message'), 'Enabled.');
    await see(dialog.locator('#user-facts'), 'pending');
    await dialog.getByRole('button', { name: 'Send invitation' }).click();
    await see(dialog.locator('#user-message'), 'Invitation sent');
    await dialog.getByRole('button', { name: 'Close' }).click();

    // Her own account is not hers to disable.
    await filters.locator('input[name="search"]').fill('carla');
    await filters.locator('input[name="search"]').press('Enter');
    await until(() => userNames(page), ['Carla Díaz']);
    await page.locator('#users-table tbody button', { hasText: 'Carla Díaz' }).click();
    await see(page.locator('#user-title'), 'Carla Díaz');
    await see(dialog.locator('#user-sessions'), '(this browser)');
    await dialog.getByRole('button', { name: 'Disable' }).click();
    await see(dialog.locator('#user-message'), 'Not on your own account:');
    await dialog.getByRole('button', { name: 'Close' }).click();

    // A CSV import: the progress bar fills, bad rows are listed, the history grows.
    const csv = join(dataDir, 'new-people.csv');
    await writeFile(
      csv,
      [
        'email,first_name,last_name,roles,permissions',
        'ulla.berg@contoso.example,Ulla,Berg,basic,',
        'tess.tag@contoso.example,Tess,<i>Tag</i>,,tickets.view',
        'not an address,Bad,Address,,',
        'felix.ford@fabrikam.example,Felix,Ford,,',
        'vic.gap@contoso.example,Vic,Gap,,tickets.edit',
        '',
      ].join('\r\n'),
    );
    await page.locator('.tabs button[data-tab="import"]').click();
    await see(page.locator('#import-history tbody'), 'Show report');
    const historyBefore = await page.locator('#import-history tbody tr').count();
    await page.locator('#import-form input[name="file"]').setInputFiles(csv);
    await page.locator('#import-form button[type="submit"]').click();
    await see(page.locator('#import-message'), 'Import of new-people.csv finished.');
    const progress = page.locator('#import-progress');
    expect(await progress.evaluate((bar: HTMLProgressElement) => [bar.value, bar.max])).toEqual([5, 5]);
    await see(page.locator('#import-progress-text'), '5 of 5 rows');
    const exceptions = page.locator('#import-exceptions tbody tr');
    await until(() => exceptions.count(), 3);
    const cells = async (column: number) =>
      page.locator(`#import-exceptions tbody tr td:nth-child(${column})`).allTextContents();
    expect(await cells(1)).toEqual(['4', '5', '6']);
    expect(await cells(3)).toEqual(['VALIDATION_FAILED', 'EMAIL_TAKEN', 'PERMISSION_DEPENDENCY']);
    expect(await cells(2)).toEqual(['not an address', 'felix.ford@fabrikam.example', 'vic.gap@contoso.example']);
    await see(page.locator('#import-counts'), 'Created2');
    await until(() => page.locator('#import-history tbody tr').count(), historyBefore + 1);

    // Names are shown as text, never as markup.
    await page.locator('.tabs button[data-tab="users"]').click();
    await filters.locator('input[name="search"]').fill('tess');
    await filters.locator('input[name="search"]').press('Enter');
    await until(() => userNames(page), ['Tess <i>Tag</i>']);

    // The audit trail, newest first, a page at a time.
    await page.locator('.tabs button[data-tab="audit"]').click();
    const auditRows = page.locator('#audit-table tbody tr');
    await until(() => auditRows.count(), 25);
    expect(await auditRows.first().getAttribute('data-action')).toBe('import.finished');
    const newest = await auditRows.allTextContents();
    await page.locator('#audit-next').click();
    await until(async () => (await auditRows.first().textContent()) !== newest[0], true);
    await page.locator('#audit-filters input[name="action"]').fill('user.disabled');
    await page.locator('#audit-filters button[type="submit"]').click();
    await see(page.locator('#audit-table tbody tr').first(), 'Grace Hopper');
    await see(page.locator('#audit-table tbody tr').first(), 'Carla Díaz');
    await page.locator('#sign-out').click();
    await see(page.locator('#signin-message'), 'You are signed out.');

    // Grace opens the newest invitation in the outbox; the first one no longer works.
    const grace = await freshPage();
    await grace.goto(`${demo.url}/dev/outbox`);
    const invitations = grace.locator('.mail[data-to="grace.hopper@contoso.example"][data-kind="invitation"]');
    await until(() => invitations.count(), 2);
    const staleLink = await invitations.nth(1).locator('a.mail-link').getAttribute('href');
    await grace.goto(staleLink as string);
    await see(grace.locator('#token-status'), 'Link not valid');
    await grace.goto(`${demo.url}/dev/outbox`);
    await invitations.first().locator('a.mail-link').click();
    await see(grace.locator('#invitee-name'), 'Grace Hopper');
    await see(grace.locator('#invitee-organization'), 'Contoso');
    await grace.locator('#accept-form input[name="password"]').fill(newPassword);
    await grace.locator('#accept-form input[name="repeat"]').fill(newPassword);
    await grace.locator('#accept-form button[type="submit"]').click();
    await see(grace.locator('#token-message'), 'Terms not accepted');
    await grace.locator('#terms-field input').check();
    await grace.locator('#accept-form button[type="submit"]').click();
    await see(grace.locator('#whoami'), 'Grace Hopper');
    expect(new URL(grace.url()).pathname).toBe('/');
  }, 180_000);

  it('a customer manager picks among the partner’s customers', async () => {
    const page = await freshPage();
    await signIn(page, demo.url, demoAccounts.customerManager, demoPassword);
    await see(page.locator('#whoami'), 'Mike Meyer');
    const options = page.locator('#organization option');
    await see(options, 'Contoso (customer of Northwind Partners)');
    await see(options, 'Fabrikam (customer of Northwind Partners)');
    await see(options, '↳ Contoso Research');
    await see(options, 'Northwind Partners (partner)');
    expect(await page.locator('#organization option:checked').textContent()).toBe(
      'Contoso (customer of Northwind Partners)',
    );
    await see(page.locator('#users-table tbody'), 'Carla Díaz');
    const fabrikam = await options.filter({ hasText: 'Fabrikam' }).getAttribute('value');
    await page.locator('#organization').selectOption(fabrikam as string);
    await until(() => userNames(page), ['Hugo Blanc', 'Felix Ford', 'Greta Lind', 'Inès Moreau']);
  }, 120_000);

  it('a temporary password must be changed at sign-in; a reset link from the outbox sets a new one', async () => {
    const page = await freshPage();
    await signIn(page, demo.url, demoAccounts.mustChangePassword, demoPassword);
    await see(page.locator('#password-change-email'), demoAccounts.mustChangePassword);
    await page.locator('#password-change-form input[name="password"]').fill(newPassword);
    await page.locator('#password-change-form input[name="repeat"]').fill(newPassword);
    await page.locator('#password-change-form button[type="submit"]').click();
    await see(page.locator('#whoami'), 'Nina Novak');
    await page.locator('#sign-out').click();

    await page.locator('#signin-view details summary').click();
    await page.locator('#forgot-form input[name="email"]').fill(demoAccounts.mustChangePassword);
    await page.locator('#forgot-form button[type="submit"]').click();
    await see(page.locator('#forgot-message'), 'a reset link is on its way');
    await page.goto(`${demo.url}/dev/outbox`);
    await page
      .locator(`.mail[data-to="${demoAccounts.mustChangePassword}"][data-kind="password-reset"] a`)
      .first()
      .click();
    const reset = page.locator('#reset-form');
    await reset.locator('input[name="password"]').fill('yet another passphrase here');
    await reset.locator('input[name="repeat"]').fill('yet another passphrase here');
    await reset.locator('button[type="submit"]').click();
    await see(page.locator('#token-status'), 'Your password is changed.');
    await signIn(page, demo.url, demoAccounts.mustChangePassword, 'yet another passphrase here');
    await see(page.locator('#whoami'), 'Nina Novak');

    // Her admin sees where she is signed in and signs her out there.
    const admin = await freshPage();
    await signIn(admin, demo.url, demoAccounts.companyAdmin, demoPassword);
    const filters = admin.locator('#user-filters');
    await filters.locator('input[name="search"]').fill('nina');
    await filters.locator('input[name="search"]').press('Enter');
    await until(() => userNames(admin), ['Nina Novak']);
    await admin.locator('#users-table tbody button', { hasText: 'Nina Novak' }).click();
    const sessions = admin.locator('#user-sessions li');
    await until(() => sessions.count(), 1);
    await see(sessions.first(), 'HeadlessChrome');
    await sessions.first().getByRole('button', { name: 'Sign out there' }).click();
    await see(admin.locator('#user-message'), 'Signed out on that device.');
    await see(admin.locator('#user-sessions'), 'Not signed in anywhere.');
    await page.reload();
    await until(() => page.locator('#signin-view').isVisible(), true);
    await until(() => page.locator('#portal-view').isVisible(), false);
  }, 120_000);
});
