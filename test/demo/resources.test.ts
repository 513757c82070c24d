import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoAccounts, demoPassword } from '../../examples/demo/seed-people.js';
import { type RunningDemo, startDemo } from '../../examples/demo/server.js';
import { hasChromium, launchChromium, see, signIn, until, userNames } from './browser.js';

// The seeded pictures point at a name that never resolves; the browser is given two of them (the rest fail).
const pictures = 'https://pictures.contoso.example/';
const loadable = ['jose.nunez.svg', 'bjorn.svg'];
const svg =
  '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8" height="8" fill="#2457c5"/></svg>';

describe.skipIf(!hasChromium)('resource access and profile fields in the demo portal (headless Chromium)', () => {
  let dataDir: string;
  let demo: RunningDemo;
  let browser: Browser;
  const operator = () => demo.um.as({ type: 'operator' });

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'tenantry-demo-resources-'));
    [demo, browser] = await Promise.all([startDemo({ dataDir, port: 0 }), launchChromium()]);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await demo?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** A page with cookies of its own, where only the `loadable` pictures load. */
  const freshPage = async (): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.route(`${pictures}**`, (route) =>
      loadable.some((name) => route.request().url() === `${pictures}${name}`)
        ? route.fulfill({ contentType: 'image/svg+xml', body: svg })
        : route.abort('namenotresolved'),
    );
    return context.newPage();
  };

  /** Searches the users table for `search`, then opens the one user it finds; answers their id. */
  const openUser = async (page: Page, search: string, name: string): Promise<string> => {
    const box = page.locator('#user-filters input[name="search"]');
    await box.fill(search);
    await box.press('Enter');
    await until(() => userNames(page), [name]);
    await page.locator('#users-table tbody button', { hasText: name }).click();
    await see(page.locator('#user-title'), name);
    return (await page.locator('#users-table tbody tr').first().getAttribute('data-user-id')) as string;
  };

  /** One call from the page, with its session cookie, as its scripts would make it. */
  const call = (page: Page, method: string, path: string, body?: unknown) =>
    page.evaluate(
      async ([method, path, body]) => {
        const init: RequestInit = { method: method as string, headers: { 'content-type': 'application/json' } };
        if (body !== undefined) init.body = JSON.stringify(body);
        const response = await fetch(path as string, init);
        return { status: response.status, code: (await response.json())?.error?.code as string | undefined };
      },
      [method, path, body] as const,
    );

  const stored = (userId: string) => operator().users.get(userId);
  const sorted = (access: unknown) => (Array.isArray(access) ? [...access].sort() : access);

  it('a company admin gives a colleague all jobs, then only two; the list finds them by job; pictures or initials', async () => {
    const page = await freshPage();
    await signIn(page, demo.url, demoAccounts.companyAdmin, demoPassword);
    await see(page.locator('#whoami'), 'Carla Díaz');
    const dialog = page.locator('#user-dialog');
    const avatarOf = (name: string) =>
      page.locator('#users-table tbody tr', { hasText: name }).locator('.avatar').getAttribute('data-avatar');

    // A picture that loads is shown; one that fails, or none, leaves the initials.
    const search = page.locator('#user-filters input[name="search"]');
    for (const [query, name, shown, initials] of [
      ['nunez', 'José Núñez', 'picture', 'JN'],
      ['angstrom', 'Zoë Ångström', 'initials', 'ZÅ'],
      ['ortega', 'Felipe Ortega', 'initials', 'FO'],
    ] as const) {
      await search.fill(query);
      await search.press('Enter');
      await until(() => userNames(page), [name]);
      await until(() => avatarOf(name), shown);
      if (shown === 'initials') {
        await see(page.locator('#users-table .avatar .initials'), initials);
        expect(await page.locator('#users-table .avatar img').count()).toBe(0);
      }
    }

    const felipe = await openUser(page, 'ortega', 'Felipe Ortega');
    const jobs = dialog.locator('fieldset[data-type="job"]');
    expect(await disabled(jobs)).toBe(false);
    await jobs.getByLabel('All jobs').check();
    expect(await jobs.locator('input[value="J-1001"]').isDisabled()).toBe(true);
    await dialog.getByRole('button', { name: 'Save resource access' }).click();
    await see(dialog.locator('#user-message'), 'Resource access saved.');
    expect((await stored(felipe)).resourceAccess).toEqual({ job: 'all' });

    await jobs.getByLabel('These jobs').check();
    await jobs.getByLabel('J-1001 Quarterly close').check();
    await jobs.getByLabel('J-1003 Inventory sync').check();
    await dialog.getByRole('button', { name: 'Save resource access' }).click();
    await until(async () => sorted((await stored(felipe)).resourceAccess.job), ['J-1001', 'J-1003']);
    await see(dialog.locator('#user-message'), 'Resource access saved.');
    expect(await jobs.getByLabel('These jobs').isChecked()).toBe(true);
    expect(await jobs.getByLabel('J-1003 Inventory sync').isChecked()).toBe(true);
    expect(await jobs.getByLabel('J-1002 Payroll run').isChecked()).toBe(false);
    await dialog.getByRole('button', { name: 'Close' }).click();

    // Who may open J-1003: José (all jobs) and Felipe; Carla administers, which gives no access of its own.
    await search.fill('');
    await page.locator('#user-filters select[name="resource"]').selectOption({ label: 'J-1003 Inventory sync' });
    await until(() => userNames(page), ['José Núñez', 'Felipe Ortega']);
    await page.locator('#user-filters select[name="resource"]').selectOption({ label: 'Anything' });

    // Her own access is not hers to change: the pickers are there, disabled.
    await openUser(page, 'carla', 'Carla Díaz');
    expect(await dialog.locator('#resource-pickers fieldset:enabled').count()).toBe(0);
    await see(dialog.locator('#resources-note'), 'Nobody changes their own access.');
    expect(await dialog.getByRole('button', { name: 'Save resource access' }).count()).toBe(0);
  }, 120_000);

  it('a data estate admin gives a colleague two instances and is offered nothing else; the API refuses the rest', async () => {
    const page = await freshPage();
    await signIn(page, demo.url, demoAccounts.dataEstateAdmin, demoPassword);
    await see(page.locator('#whoami'), 'Mateo García');
    await see(page.locator('#users-table tbody'), 'Carla Díaz');
    for (const part of ['#add-user-open', '#invite-open', '.tabs [data-tab="import"]', '.tabs [data-tab="audit"]']) {
      await until(() => page.locator(part).isVisible(), false);
    }

    const aiko = await openUser(page, 'aiko', 'Aiko Suzuki');
    const dialog = page.locator('#user-dialog');
    const before = await stored(aiko);
    // The only controls: the instances picker, its save button and Close.
    const enabled = dialog.locator(':is(input, select, textarea):enabled:visible');
    await until(
      async () => new Set(await enabled.evaluateAll((inputs) => inputs.map((input) => input.getAttribute('name')))),
      new Set(['instance-scope', 'resource-instance']),
    );
    expect(await dialog.locator('button:visible').allTextContents()).toEqual(['Save resource access', 'Close']);
    expect(await disabled(dialog.locator('fieldset[data-type="job"]'))).toBe(true);
    await see(dialog.locator('fieldset[data-type="job"] legend'), 'a company admin changes this');
    await see(dialog.locator('#user-facts'), 'Basic');

    const instances = dialog.locator('fieldset[data-type="instance"]');
    await instances.getByLabel('Production EU').check();
    await instances.getByLabel('Staging').check();
    await dialog.getByRole('button', { name: 'Save resource access' }).click();
    await see(dialog.locator('#user-message'), 'Resource access saved.');
    expect(sorted((await stored(aiko)).resourceAccess.instance)).toEqual(['prod-eu', 'staging']);

    // What the page does not offer, the API refuses.
    const path = `/api/users/${aiko}`;
    expect(await call(page, 'PUT', `${path}/access`, { roles: [], permissions: ['tickets.view'] })).toEqual({
      status: 403,
      code: 'FORBIDDEN',
    });
    expect(await call(page, 'PUT', `${path}/resources/job`, { access: 'all' })).toEqual({
      status: 403,
      code: 'FORBIDDEN',
    });
    expect(await call(page, 'POST', `${path}/disable`)).toEqual({ status: 403, code: 'FORBIDDEN' });
    const after = await stored(aiko);
    expect(after).toMatchObject({ status: 'active', roles: before.roles, permissions: before.permissions });
    expect(after.resourceAccess.job).toBeUndefined();
  }, 120_000);

  it('a user changes their own picture and signature under My profile; their admin sees them and cannot change them', async () => {
    const page = await freshPage();
    await signIn(page, demo.url, 'bjorn.muller@contoso.example', demoPassword);
    await see(page.locator('#whoami'), 'Björn Müller');
    // Not an admin: no directory, the way to their own profile instead.
    await see(page.locator('#users-unreadable'), 'My profile');
    await until(() => page.locator('#users-directory').isVisible(), false);

    await page.getByRole('button', { name: 'My profile' }).click();
    const form = page.locator('#profile-form');
    await see(form.locator('#profile-access'), 'Jobsnone');
    await form.locator('input[name="picture"]').fill('http://pictures.contoso.example/bjorn.svg');
    await form.getByRole('button', { name: 'Save profile' }).click();
    await see(page.locator('#profile-message'), 'Enter an https:// address');
    const picture = `${pictures}bjorn.svg`;
    const signature = 'Björn Müller\nWarehouse lead, Contoso';
    await form.locator('input[name="picture"]').fill(picture);
    await form.locator('textarea[name="signature"]').fill(signature);
    await form.getByRole('button', { name: 'Save profile' }).click();
    await see(page.locator('#profile-message'), 'Profile saved.');
    await until(() => page.locator('#whoami .avatar').getAttribute('data-avatar'), 'picture');
    expect((await stored(await idOf(page))).fields).toEqual({ picture, signature });

    const admin = await freshPage();
    await signIn(admin, demo.url, demoAccounts.companyAdmin, demoPassword);
    await see(admin.locator('#whoami'), 'Carla Díaz');
    const id = await openUser(admin, 'muller', 'Björn Müller');
    await until(() => admin.locator('#users-table tbody .avatar').getAttribute('data-avatar'), 'picture');
    const dialog = admin.locator('#user-dialog');
    await see(dialog.locator('[data-field="picture"]'), picture);
    await see(dialog.locator('[data-field="signature"]'), 'Warehouse lead, Contoso');
    await see(dialog.locator('[data-field="signature"]'), '(only the user changes it)');
    expect(await dialog.locator('input[name="picture"], textarea').count()).toBe(0);
    expect(await call(admin, 'PATCH', `/api/users/${id}`, { fields: { signature: 'Signed by Carla' } })).toEqual({
      status: 403,
      code: 'FORBIDDEN',
    });
    expect((await stored(id)).fields).toEqual({ picture, signature });
  }, 120_000);

  it('projects count only while the operator licenses them; taken away, a grant stays stored but stops counting', async () => {
    const organizations = await operator().organizations.list({});
    const contoso = organizations.find((organization) => organization.name === 'Contoso');
    if (!contoso) throw new Error('no Contoso');
    const page = await freshPage();
    await signIn(page, demo.url, demoAccounts.companyAdmin, demoPassword);
    await see(page.locator('#whoami'), 'Carla Díaz');
    const dialog = page.locator('#user-dialog');
    const projects = dialog.locator('fieldset[data-type="project"]');
    const felipe = await openUser(page, 'ortega', 'Felipe Ortega');
    expect(await projects.count()).toBe(0);

    await operator().organizations.setFeatures(contoso.id, [...contoso.features, 'projects']);
    await page.reload();
    await openUser(page, 'ortega', 'Felipe Ortega');
    await projects.getByLabel('Data warehouse migration').check();
    await dialog.getByRole('button', { name: 'Save resource access' }).click();
    await see(dialog.locator('#user-message'), 'Resource access saved.');
    expect((await stored(felipe)).effectiveResourceAccess).toMatchObject({ project: ['P-01'] });

    await operator().organizations.setFeatures(contoso.id, contoso.features);
    await page.reload();
    await openUser(page, 'ortega', 'Felipe Ortega');
    await see(dialog.locator('#resource-pickers'), 'Access to instances');
    expect(await projects.count()).toBe(0);
    const after = await stored(felipe);
    expect(after.resourceAccess.project).toEqual(['P-01']);
    expect(after.effectiveResourceAccess.project).toBeUndefined();
  }, 120_000);
});

/** Whether a fieldset is disabled (with everything in it). */
function disabled(fieldset: Locator): Promise<boolean> {
  return fieldset.evaluate((element: HTMLFieldSetElement) => element.disabled);
}

/** The signed-in user's id, from their session. */
async function idOf(page: Page): Promise<string> {
  return page.evaluate(async () => (await (await fetch('/api/auth/session')).json()).user.id as string);
}
