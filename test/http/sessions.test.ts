import { describe, expect, it } from 'vitest';
import { httpFixture, password, tokenOf } from './support.js';

describe('fetch handler: sessions', () => {
  it('signs in with an HttpOnly, SameSite, Secure __Host- cookie, and keeps the token out of the body', async () => {
    const { signIn, call, admin } = await httpFixture();
    const { setCookie, cookie, json } = await signIn();
    // __Host-: a sibling subdomain or plain HTTP cannot set a cookie of that name to shadow it.
    expect(setCookie).toMatch(/^__Host-tenantry_session=[\w-]+; Path=\/; HttpOnly; SameSite=Lax; Secure; Expires=/);
    expect(json.kind).toBe('session');
    expect(json.token).toBeUndefined();
    expect(json.user.email).toBe(admin.email);

    const session = await call('GET', '/api/auth/session', { cookie });
    expect(session.status).toBe(200);
    expect(session.json.user.id).toBe(admin.id);
    expect(session.json.permissions).toContain('org.admin');
    expect(session.response.headers.get('cache-control')).toBe('no-store');
  });

  it('signs out: the cookie is cleared and the session no longer works', async () => {
    const { signIn, call } = await httpFixture();
    const { cookie } = await signIn();
    const out = await call('POST', '/api/auth/sign-out', { cookie });
    expect(out.status).toBe(204);
    expect(out.response.headers.get('set-cookie')).toMatch(/^__Host-tenantry_session=; .*Max-Age=0/);
    const after = await call('GET', '/api/auth/session', { cookie });
    expect(after.status).toBe(401);
    expect(after.json.error.code).toBe('SESSION_INVALID');
    expect(after.response.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('with bearer tokens only, answers the token in the body and accepts it in the Authorization header', async () => {
    const { call, admin } = await httpFixture({ sessionCookie: false });
    const signedIn = await call('POST', '/api/auth/sign-in', { body: { email: admin.email, password } });
    expect(signedIn.response.headers.get('set-cookie')).toBeNull();
    expect(typeof signedIn.json.token).toBe('string');
    const me = await call('GET', `/api/users/${admin.id}`, { bearer: signedIn.json.token });
    expect(me.status).toBe(200);
    expect(me.json.email).toBe(admin.email);
    const cookieOnly = await call('GET', `/api/users/${admin.id}`, {
      cookie: `__Host-tenantry_session=${signedIn.json.token}`,
    });
    expect(cookieOnly.status).toBe(401);
  });

  it('names the cookie __Secure- when it is scoped to a path or a domain, and leaves an insecure one bare', async () => {
    for (const [sessionCookie, expected] of [
      [{ path: '/api' }, /^__Secure-tenantry_session=[\w-]+; Path=\/api; HttpOnly; SameSite=Lax; Secure; Expires=/],
      [{ domain: 'example.test' }, /^__Secure-tenantry_session=[\w-]+; Path=\/api; .*Secure; Domain=example\.test/],
      [{ secure: false }, /^tenantry_session=[\w-]+; Path=\/api; HttpOnly; SameSite=Lax; Expires=/],
      [{ name: '__Host-portal' }, /^__Host-portal=[\w-]+; Path=\/; /],
    ] as const) {
      const { signIn, call } = await httpFixture({ sessionCookie });
      const { setCookie, cookie } = await signIn();
      expect(setCookie).toMatch(expected);
      expect((await call('GET', '/api/auth/session', { cookie })).status).toBe(200);
    }
  });

  it('answers a wrong password with 401 INVALID_CREDENTIALS and no cookie', async () => {
    const { call, admin } = await httpFixture();
    const wrong = await call('POST', '/api/auth/sign-in', {
      body: { email: admin.email, password: 'not the password at all' },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.json.error.code).toBe('INVALID_CREDENTIALS');
    expect(wrong.response.headers.get('set-cookie')).toBeNull();
  });

  it('takes an invitation from the mail to a signed-in session', async () => {
    const { call, signIn, mailer, organization } = await httpFixture();
    const { cookie } = await signIn();
    const added = await call('POST', '/api/users', {
      cookie,
      body: { organizationId: organization.id, email: 'grace@acme.test', firstName: 'Grace', lastName: 'Hopper' },
    });
    expect(added.status).toBe(201);
    expect(added.json.invitationSent).toBe(true);
    const token = tokenOf(mailer.outbox.at(-1)?.link);

    const preview = await call('POST', '/api/auth/invitation', { body: { token } });
    expect(preview.json).toMatchObject({ email: 'grace@acme.test', organizationName: 'Acme' });
    const accepted = await call('POST', '/api/auth/invitation/accept', { body: { token, password } });
    expect(accepted.status).toBe(200);
    const graceCookie = (accepted.response.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const session = await call('GET', '/api/auth/session', { cookie: graceCookie });
    expect(session.json.user.email).toBe('grace@acme.test');
    const again = await call('POST', '/api/auth/invitation/accept', { body: { token, password } });
    expect(again.status).toBe(400);
    expect(again.json.error.code).toBe('TOKEN_INVALID');
  });

  it('resets a password from the mailed link, answering the same for unknown addresses', async () => {
    const { call, signIn, mailer, admin } = await httpFixture();
    const unknown = await call('POST', '/api/auth/password-reset/request', { body: { email: 'nobody@nowhere.test' } });
    const known = await call('POST', '/api/auth/password-reset/request', { body: { email: admin.email } });
    expect([unknown.status, known.status]).toEqual([204, 204]);
    const token = tokenOf(mailer.outbox.at(-1)?.link);
    const newPassword = 'a brand new passphrase for ada';
    expect((await call('POST', '/api/auth/password-reset', { body: { token, newPassword } })).status).toBe(204);
    expect((await signIn(admin.email, password)).json.error.code).toBe('INVALID_CREDENTIALS');
    expect((await signIn(admin.email, newPassword)).json.kind).toBe('session');
  });

  it("changes one's own password with the session, ending the other sessions", async () => {
    const { call, signIn } = await httpFixture();
    const first = await signIn();
    const second = await signIn();
    const newPassword = 'another long passphrase for ada';
    const changed = await call('POST', '/api/auth/password', {
      cookie: first.cookie,
      body: { currentPassword: password, newPassword },
    });
    expect(changed.status).toBe(204);
    expect((await call('GET', '/api/auth/session', { cookie: first.cookie })).status).toBe(200);
    expect((await call('GET', '/api/auth/session', { cookie: second.cookie })).status).toBe(401);
  });

  it("lists a user's sessions and ends one of them by its id", async () => {
    const { call, signIn, admin } = await httpFixture();
    const first = await signIn();
    const second = await signIn();
    const own = (await call('GET', '/api/auth/session', { cookie: first.cookie })).json.session;
    const listed = await call('GET', `/api/users/${admin.id}/sessions`, { cookie: second.cookie });
    expect(listed.status).toBe(200);
    expect(listed.json.map((session: { id: string }) => session.id)).toContain(own.id);
    const ended = await call('DELETE', `/api/users/${admin.id}/sessions/${own.id}`, { cookie: second.cookie });
    expect(ended.status).toBe(204);
    expect((await call('GET', '/api/auth/session', { cookie: first.cookie })).status).toBe(401);
    expect((await call('GET', '/api/auth/session', { cookie: second.cookie })).status).toBe(200);
    const again = await call('DELETE', `/api/users/${admin.id}/sessions/${own.id}`, { cookie: second.cookie });
    expect([again.status, again.json.error.code]).toEqual([404, 'NOT_FOUND']);
  });

  it('records the client address from the clientIp option, and the user agent, on the session', async () => {
    const { call, admin } = await httpFixture({ clientIp: (request) => request.headers.get('x-test-ip') ?? undefined });
    const signedIn = await call('POST', '/api/auth/sign-in', {
      body: { email: admin.email, password },
      headers: { 'x-test-ip': '203.0.113.7', 'user-agent': 'Portal test' },
    });
    const cookie = (signedIn.response.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const session = await call('GET', '/api/auth/session', { cookie });
    expect(session.json.session).toMatchObject({ ip: '203.0.113.7', userAgent: 'Portal test' });
  });

  it('refuses a sign-in body with fields besides the address and password', async () => {
    const { call, admin } = await httpFixture();
    const spoofed = await call('POST', '/api/auth/sign-in', { body: { email: admin.email, password, ip: '10.0.0.1' } });
    expect(spoofed.status).toBe(400);
    expect(spoofed.json.error.code).toBe('VALIDATION_FAILED');
  });
});
