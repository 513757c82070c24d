import { describe, expect, it } from 'vitest';
import { httpFixture } from './support.js';

/** A signed-in admin of Acme, and a helper to add users to it over HTTP. */
async function signedInAdmin() {
  const fixture = await httpFixture();
  const { cookie } = await fixture.signIn();
  const add = async (firstName: string, lastName: string, extra: Record<string, unknown> = {}) => {
    const { json } = await fixture.call('POST', '/api/users', {
      cookie,
      body: {
        organizationId: fixture.organization.id,
        email: `${firstName}.${lastName}@acme.test`.toLowerCase(),
        firstName,
        lastName,
        invite: false,
        ...extra,
      },
    });
    return json.user as { id: string; email: string };
  };
  return { ...fixture, cookie, add };
}

describe('fetch handler: administering users', () => {
  it('lists with repeated and typed query parameters, and pages with the cursor', async () => {
    const { call, cookie, add, organization } = await signedInAdmin();
    for (const [first, last] of [
      ['Grace', 'Hopper'],
      ['Alan', 'Turing'],
      ['Édith', 'Piaf'],
    ]) {
      await add(first as string, last as string);
    }
    const base = `/api/users?organizationId=${organization.id}&status=pending&status=active&sort=name&order=asc`;
    const first = await call('GET', `${base}&limit=2`, { cookie });
    expect(first.status).toBe(200);
    expect(first.json.items.map((user: { lastName: string }) => user.lastName)).toEqual(['Admin', 'Hopper']);
    const second = await call('GET', `${base}&limit=2&cursor=${encodeURIComponent(first.json.nextCursor)}`, { cookie });
    expect(second.json.items.map((user: { lastName: string }) => user.lastName)).toEqual(['Piaf', 'Turing']);
    expect(second.json.nextCursor).toBeNull();

    const search = await call('GET', `${base}&search=EDITH`, { cookie });
    expect(search.json.items.map((user: { firstName: string }) => user.firstName)).toEqual(['Édith']);
    const activeOnly = await call('GET', `/api/users?organizationId=${organization.id}`, { cookie });
    expect(activeOnly.json.items.map((user: { lastName: string }) => user.lastName)).toEqual(['Admin']);

    const tooMany = await call('GET', `${base}&limit=500`, { cookie });
    expect(tooMany.status).toBe(400);
    expect(tooMany.json.error).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(tooMany.json.error.details.issues[0].path).toBe('limit');
    const forged = await call('GET', `${base}&cursor=forged`, { cookie });
    expect(forged.json.error.code).toBe('VALIDATION_FAILED');
  });

  it('changes access, status, expiry, address and sessions, with each refusal mapped to its status', async () => {
    const { call, cookie, add, admin, mailer } = await signedInAdmin();
    const grace = await add('Grace', 'Hopper');
    const user = (path = '') => `/api/users/${grace.id}${path}`;

    const needsView = await call('PUT', user('/access'), { cookie, body: { permissions: ['tickets.edit'] } });
    expect([needsView.status, needsView.json.error.code]).toEqual([422, 'PERMISSION_DEPENDENCY']);
    const granted = await call('PUT', user('/access'), {
      cookie,
      body: { permissions: ['tickets.view', 'tickets.edit'] },
    });
    expect(granted.json.effectivePermissions).toEqual(['tickets.edit', 'tickets.view']);
    const unavailable = await call('PUT', user('/access'), { cookie, body: { permissions: ['instances.manage'] } });
    expect([unavailable.status, unavailable.json.error.code]).toEqual([422, 'PERMISSION_UNAVAILABLE']);

    const self = await call('PUT', `/api/users/${admin.id}/access`, { cookie, body: { permissions: [] } });
    expect([self.status, self.json.error.code]).toEqual([403, 'SELF_MODIFICATION']);

    expect((await call('POST', user('/disable'), { cookie })).json.status).toBe('disabled');
    expect((await call('POST', user('/enable'), { cookie })).json.status).toBe('pending');
    const expiry = await call('PUT', user('/expiry'), { cookie, body: { expiresAt: '2027-01-01T00:00:00Z' } });
    expect(expiry.json.expiresAt).toBe('2027-01-01T00:00:00.000Z');
    const renamed = await call('PATCH', user(), { cookie, body: { firstName: 'Amazing Grace' } });
    expect(renamed.json.firstName).toBe('Amazing Grace');
    const moved = await call('PUT', user('/email'), { cookie, body: { email: 'grace@navy.test' } });
    expect(moved.json.email).toBe('grace@navy.test');
    const taken = await call('PUT', user('/email'), { cookie, body: { email: admin.email } });
    expect([taken.status, taken.json.error.code]).toEqual([409, 'EMAIL_TAKEN']);

    const link = await call('POST', user('/invitation-link'), { cookie });
    expect(link.json.link).toMatch(/accept-invitation\?token=/);
    const sent = await call('POST', user('/invitation'), { cookie });
    expect(sent.json.sent).toBe(true);
    expect(mailer.outbox.at(-1)?.to).toBe('grace@navy.test');
    expect((await call('DELETE', user('/sessions'), { cookie })).json).toEqual({ revoked: 0 });

    expect((await call('DELETE', user(), { cookie })).status).toBe(204);
    const gone = await call('GET', user(), { cookie });
    expect(gone.json.erasedAt).not.toBeNull();
    expect(gone.json.email).not.toBe('grace@navy.test');
    const nobody = await call('GET', '/api/users/no-such-user', { cookie });
    expect([nobody.status, nobody.json.error.code]).toEqual([404, 'NOT_FOUND']);
  });

  it('answers LAST_ADMIN with 409 when the last admin would be lost', async () => {
    // Staff act as the operator by a header; everyone else by their session.
    const fixture = await httpFixture({
      authenticate: async (request, { um, sessionToken }) => {
        if (request.headers.get('x-staff-key') === 'staff-secret') return { type: 'operator' };
        return sessionToken ? (await um.auth.validateSession(sessionToken)).actor : null;
      },
    });
    const staff = { headers: { 'x-staff-key': 'staff-secret' } };
    const path = `/api/users/${fixture.admin.id}/access`;
    const lastAdmin = await fixture.call('PUT', path, { ...staff, body: { permissions: [] } });
    expect([lastAdmin.status, lastAdmin.json.error.code]).toEqual([409, 'LAST_ADMIN']);
    const { cookie } = await fixture.signIn();
    const self = await fixture.call('GET', `/api/users/${fixture.admin.id}`, { cookie });
    expect(self.json.isAdmin).toBe(true);
  });

  it('invites a list of addresses, reads the organization, its roles and its audit trail', async () => {
    const { call, cookie, organization } = await signedInAdmin();
    const invited = await call('POST', '/api/invitations', {
      cookie,
      body: { organizationId: organization.id, emails: ['john.smith@acme.test', 'not an address'], roles: ['basic'] },
    });
    expect(invited.status).toBe(200);
    expect(invited.json.created.map((user: { firstName: string }) => user.firstName)).toEqual(['John']);
    expect(invited.json.rejected).toEqual([{ email: 'not an address', code: 'VALIDATION_FAILED' }]);

    expect((await call('GET', `/api/organizations/${organization.id}`, { cookie })).json.name).toBe('Acme');
    const renamed = await call('PATCH', `/api/organizations/${organization.id}`, {
      cookie,
      body: { name: 'Acme Inc.' },
    });
    expect(renamed.json.name).toBe('Acme Inc.');
    const roles = await call('GET', `/api/organizations/${organization.id}/roles`, { cookie });
    expect(roles.json.map((role: { key: string }) => role.key)).toContain('basic');
    const features = await call('PUT', `/api/organizations/${organization.id}/features`, {
      cookie,
      body: { features: ['data-estate'] },
    });
    expect([features.status, features.json.error.code]).toEqual([403, 'FORBIDDEN']);

    const audit = await call('GET', `/api/audit?organizationId=${organization.id}&limit=5`, { cookie });
    expect(audit.json.items[0].action).toBe('organization.updated');
    expect(audit.json).not.toHaveProperty('names');
    const named = await call('GET', `/api/audit?organizationId=${organization.id}&limit=1&names=true`, { cookie });
    expect(named.json.names).toEqual({
      [organization.id]: 'Acme Inc.',
      [audit.json.items[0].actor.userId]: 'Ada Admin',
    });
    const badFlag = await call('GET', `/api/audit?organizationId=${organization.id}&names=maybe`, { cookie });
    expect([badFlag.status, badFlag.json.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    const created = await call('GET', `/api/audit?organizationId=${organization.id}&action=user.created`, { cookie });
    expect(created.json.items.length).toBeGreaterThanOrEqual(2);
  });

  it('acts as the operator through a custom authenticate, and refuses when it answers null', async () => {
    const staffKey = 'staff-secret';
    const fixture = await httpFixture({
      authenticate: async (request) => (request.headers.get('x-staff-key') === staffKey ? { type: 'operator' } : null),
    });
    const path = `/api/organizations/${fixture.organization.id}/features`;
    const refused = await fixture.call('PUT', path, { body: { features: ['data-estate'] } });
    expect(refused.status).toBe(401);
    const done = await fixture.call('PUT', path, {
      body: { features: ['data-estate'] },
      headers: { 'x-staff-key': staffKey },
    });
    expect(done.json.features).toEqual(['data-estate']);
  });
});
