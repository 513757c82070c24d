import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryStorage } from '../../adapters/memory/index.js';
import { createFetchHandler, createSsoEndpoints } from '../../src/http/index.js';
import {
  baseUrl,
  oidcConnection,
  type SsoWorld,
  ssoCompany,
  startSsoWorld,
  stopSsoWorld,
} from '../scenarios/sso-fixture.js';
import { httpFixture } from './support.js';

const encryptionKeys = [{ id: 'k1', key: new Uint8Array(32).fill(5) }];
const cookieOf = (response: Response) => (response.headers.get('set-cookie') ?? '').split(';')[0] as string;

describe('fetch handler: single sign-on', () => {
  let world: SsoWorld;
  beforeAll(async () => {
    world = await startSsoWorld();
  }, 60_000);
  afterAll(() => stopSsoWorld(world));

  it('connects a company to its SAML provider and signs a newcomer in, the session in the cookie', async () => {
    const { call, signIn, organization } = await httpFixture(
      {},
      { encryptionKeys, dns: world.dns.resolver(), links: { baseUrl } },
    );
    const { cookie } = await signIn();
    const claim = await call('POST', `/api/organizations/${organization.id}/domains`, {
      cookie,
      body: { domain: 'example.test' },
    });
    world.dns.setTxt(claim.json.verification.recordName, [claim.json.verification.recordValue]);
    const verified = await call('POST', `/api/organizations/${organization.id}/domains/example.test/verification`, {
      cookie,
    });
    expect(verified.json.status).toBe('verified');
    const created = await call('POST', `/api/organizations/${organization.id}/sso-connections`, {
      cookie,
      body: {
        provider: { type: 'saml', idpMetadataXml: world.saml.metadataXml },
        options: { name: 'Acme IdP', defaultAccess: { roles: ['basic'] } },
      },
    });
    expect([created.status, created.json.acsUrl, created.json.entityId]).toEqual([
      201,
      `${baseUrl}/sso/acs`,
      `${baseUrl}/sso/metadata`,
    ]);
    const listed = await call('GET', `/api/organizations/${organization.id}/sso-connections`, { cookie });
    expect(listed.json.map((connection: { name: string }) => connection.name)).toEqual(['Acme IdP']);

    const email = 'nia@example.test';
    expect((await call('POST', '/api/auth/discover', { body: { email } })).json).toEqual({
      method: 'sso',
      connectionId: created.json.id,
    });
    const started = await call('POST', '/api/auth/sso', { body: { target: { email }, options: { returnTo: '/me' } } });
    const posted = await world.saml.respond(started.json.url, {
      nameId: email,
      email,
      givenName: 'Nia',
      familyName: 'New',
    });
    const finished = await call('POST', '/api/auth/sso/completion', {
      body: { state: started.json.state, samlResponse: posted.samlResponse },
    });
    expect(finished.json).toMatchObject({ kind: 'session', created: true, returnTo: '/me', user: { email } });
    expect(finished.json).not.toHaveProperty('token');
    const session = await call('GET', '/api/auth/session', { cookie: cookieOf(finished.response) });
    expect([session.json.user.email, session.json.session.authenticationMethods]).toEqual([email, ['sso']]);

    const again = await call('POST', '/api/auth/sso/completion', {
      body: { state: started.json.state, samlResponse: posted.samlResponse },
    });
    expect([again.status, again.json.error.code]).toEqual([401, 'SSO_FAILED']);
    const disabled = await call('PATCH', `/api/sso-connections/${created.json.id}`, {
      cookie,
      body: { enabled: false },
    });
    expect(disabled.json.enabled).toBe(false);
    expect((await call('POST', '/api/auth/discover', { body: { email } })).json).toEqual({ method: 'password' });
    const removed = await call('DELETE', `/api/sso-connections/${created.json.id}`, { cookie });
    expect(removed.status).toBe(204);
  });

  it('runs the browser’s round trip: begin redirects to the provider, the callback sets the session cookie', async () => {
    const company = await ssoCompany(memoryStorage, world);
    await oidcConnection(company, world);
    const api = createFetchHandler(company.um, { basePath: '/api' });
    const pages = createSsoEndpoints(company.um, { basePath: '/api' });
    const begun = (await pages(
      new Request(`${baseUrl}/sso/begin?email=cleo%40contoso.test&returnTo=%2Fusers`),
    )) as Response;
    expect(begun.status).toBe(303);
    const stateCookie = cookieOf(begun);
    expect(begun.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=None; Secure; Max-Age=600/u);
    const callbackUrl = await world.oidc.signIn(begun.headers.get('location') as string, 'cleo');
    // Without the state cookie, the callback is another browser's: refused.
    const stranger = (await pages(new Request(callbackUrl))) as Response;
    expect(stranger.headers.get('location')).toBe('/?sso_error=state-missing');
    const back = (await pages(new Request(callbackUrl, { headers: { cookie: stateCookie } }))) as Response;
    expect([back.status, back.headers.get('location')]).toEqual([303, '/users']);
    const sessionCookie = back.headers
      .getSetCookie()
      .find((cookie) => cookie.startsWith('__Host-tenantry_session=')) as string;
    const session = await api(
      new Request(`${baseUrl}/api/auth/session`, { headers: { cookie: sessionCookie.split(';')[0] as string } }),
    );
    expect((await session.json()).user.email).toBe('cleo@contoso.test');
    // The same callback again: the state is spent.
    const replayed = (await pages(new Request(callbackUrl, { headers: { cookie: stateCookie } }))) as Response;
    expect(replayed.headers.get('location')).toMatch(/^\/\?sso_error=/u);
    const metadata = (await pages(new Request(`${baseUrl}/sso/metadata`))) as Response;
    expect(await metadata.text()).toContain(`entityID="${baseUrl}/sso/metadata"`);
    expect(await pages(new Request(`${baseUrl}/elsewhere`))).toBeNull();
  });
});
