import { expect } from 'vitest';
import type { MemoryMailer } from '../../adapters/memory/index.js';

/** The password the flows choose. */
const password = 'correct horse battery staple 42';

/** The token of the newest mailed link. */
function newestToken(mailer: MemoryMailer): string {
  const link = mailer.outbox.at(-1)?.link;
  const token = link ? new URL(link).searchParams.get('token') : null;
  if (!token) throw new Error('no link in the newest mail');
  return token;
}

/** One JSON request over real HTTP, with the session cookie when given. */
async function request(baseUrl: string, method: string, path: string, body?: unknown, cookie?: string) {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (cookie) headers.cookie = cookie;
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  const json =
    (response.headers.get('content-type') ?? '').startsWith('application/json') && text ? JSON.parse(text) : undefined;
  return { status: response.status, json, text, headers: response.headers };
}

/**
 * A portal admin's day over HTTP against a running server: the first admin
 * activates from the mail, signs in with a cookie, adds and invites a user,
 * who accepts; access changes and their refusals; a CSV import; the audit
 * trail; sign-out.
 */
export async function runPortalFlow(baseUrl: string, mailer: MemoryMailer, organizationId: string): Promise<void> {
  expect((await request(baseUrl, 'GET', '/health')).json).toEqual({ ok: true });
  const openapi = await request(baseUrl, 'GET', '/api/openapi.json');
  expect(openapi.json.openapi).toBe('3.1.0');

  const accepted = await request(baseUrl, 'POST', '/api/auth/invitation/accept', {
    token: newestToken(mailer),
    password,
  });
  expect(accepted.status).toBe(200);
  const adminEmail = accepted.json.user.email as string;

  const signedIn = await request(baseUrl, 'POST', '/api/auth/sign-in', { email: adminEmail, password });
  expect(signedIn.status).toBe(200);
  const cookie = (signedIn.headers.get('set-cookie') ?? '').split(';')[0] as string;
  expect(cookie).toMatch(/^__Host-tenantry_session=/);

  const added = await request(
    baseUrl,
    'POST',
    '/api/users',
    { organizationId, email: 'grace@acme.example', firstName: 'Grace', lastName: 'Hopper', roles: ['basic'] },
    cookie,
  );
  expect(added.status).toBe(201);
  expect(added.json.invitationSent).toBe(true);
  const graceAccepted = await request(baseUrl, 'POST', '/api/auth/invitation/accept', {
    token: newestToken(mailer),
    password,
  });
  expect(graceAccepted.json.user.status).toBe('active');

  const graceId = added.json.user.id as string;
  const refused = await request(
    baseUrl,
    'PUT',
    `/api/users/${graceId}/access`,
    { roles: [], permissions: ['tickets.edit'] },
    cookie,
  );
  expect([refused.status, refused.json.error.code]).toEqual([422, 'PERMISSION_DEPENDENCY']);
  const granted = await request(
    baseUrl,
    'PUT',
    `/api/users/${graceId}/access`,
    { roles: ['advanced'], permissions: [] },
    cookie,
  );
  expect(granted.json.effectivePermissions).toEqual(['tickets.edit', 'tickets.view']);

  const csvResponse = await fetch(`${baseUrl}/api/organizations/${organizationId}/imports`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'text/csv' },
    body: 'email,first_name,last_name\nalan@acme.example,Alan,Turing\nbroken,Bad,Row\n',
  });
  const report = await csvResponse.json();
  expect([csvResponse.status, report.created, report.failed]).toEqual([201, 1, 1]);

  const listed = await request(
    baseUrl,
    'GET',
    `/api/users?organizationId=${organizationId}&status=active&status=pending&sort=name&order=asc`,
    undefined,
    cookie,
  );
  expect(listed.json.items.map((user: { lastName: string }) => user.lastName)).toEqual([
    'Hopper',
    'Lovelace',
    'Turing',
  ]);

  const audit = await request(
    baseUrl,
    'GET',
    `/api/audit?organizationId=${organizationId}&limit=50`,
    undefined,
    cookie,
  );
  const actions = audit.json.items.map((event: { action: string }) => event.action);
  expect(actions).toEqual(expect.arrayContaining(['user.created', 'import.finished']));

  expect((await request(baseUrl, 'POST', '/api/auth/sign-out', undefined, cookie)).status).toBe(204);
  expect((await request(baseUrl, 'GET', '/api/auth/session', undefined, cookie)).status).toBe(401);
}
