import { describe, expect, it } from 'vitest';
import { httpFixture, origin, password } from './support.js';

describe('fetch handler: cross-origin changes', () => {
  it('refuses a cookie-authenticated change from another site, and changes nothing', async () => {
    const { call, signIn, admin } = await httpFixture();
    const { cookie } = await signIn();
    const path = `/api/users/${admin.id}`;
    const body = { firstName: 'Mallory' };
    const bySite = await call('PATCH', path, { cookie, body, headers: { 'sec-fetch-site': 'cross-site' } });
    expect([bySite.status, bySite.json.error.code]).toEqual([403, 'CROSS_ORIGIN']);
    const byOrigin = await call('PATCH', path, {
      cookie,
      body,
      headers: { origin: 'https://evil.example', 'sec-fetch-site': '' },
    });
    expect(byOrigin.status).toBe(403);
    expect((await call('GET', path, { cookie })).json.firstName).toBe('Ada');
  });

  it('refuses a sign-in posted from another site (login CSRF)', async () => {
    const { call, admin } = await httpFixture();
    const forged = await call('POST', '/api/auth/sign-in', {
      body: { email: admin.email, password },
      headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    });
    expect(forged.status).toBe(403);
  });

  it('lets trusted origins, bearer tokens and clients without browser headers through', async () => {
    const fixture = await httpFixture({ trustedOrigins: ['https://admin.example.test'] });
    const { cookie } = await fixture.signIn();
    const path = `/api/users/${fixture.admin.id}`;
    const trusted = await fixture.call('PATCH', path, {
      cookie,
      body: { firstName: 'Ada' },
      headers: { origin: 'https://admin.example.test', 'sec-fetch-site': 'same-site' },
    });
    expect(trusted.status).toBe(200);
    const bearer = await fixture.call('PATCH', path, {
      bearer: cookie.split('=')[1] as string,
      body: { firstName: 'Ada' },
      headers: { origin: 'https://elsewhere.example', 'sec-fetch-site': 'cross-site' },
    });
    expect(bearer.status).toBe(200);
    const response = await fixture.handle(
      new Request(`${origin}${path}`, {
        method: 'PATCH',
        headers: { cookie, 'content-type': 'application/json' },
        body: JSON.stringify({ firstName: 'Ada' }),
      }),
    );
    expect(response.status).toBe(200);
  });
});

describe('fetch handler: request bodies and routes', () => {
  it('refuses a body over the limit with 413, by its declared length or as it streams', async () => {
    const { call, signIn, admin, handle } = await httpFixture({ maxBodyBytes: 1_000 });
    const { cookie } = await signIn();
    const large = await call('PATCH', `/api/users/${admin.id}`, { cookie, body: { firstName: 'x'.repeat(2_000) } });
    expect([large.status, large.json.error.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    const chunks = ['{"firstName":"', 'y'.repeat(800), 'y'.repeat(800), '"}'];
    const streamed = await handle(
      new Request(`${origin}/api/users/${admin.id}`, {
        method: 'PATCH',
        headers: { cookie, 'content-type': 'application/json', origin },
        body: new ReadableStream({
          start(controller) {
            for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
            controller.close();
          },
        }),
        duplex: 'half',
      } as RequestInit),
    );
    expect(streamed.status).toBe(413);
  });

  it('takes JSON only as application/json, and says what is wrong with malformed JSON', async () => {
    const { call, signIn, admin } = await httpFixture();
    const { cookie } = await signIn();
    const path = `/api/users/${admin.id}`;
    const form = await call('PATCH', path, {
      cookie,
      raw: 'firstName=Eve',
      contentType: 'application/x-www-form-urlencoded',
    });
    expect([form.status, form.json.error.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    const broken = await call('PATCH', path, { cookie, raw: '{"firstName":', contentType: 'application/json' });
    expect([broken.status, broken.json.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    const extra = await call('PATCH', path, { cookie, body: { firstName: 'Ada', isAdmin: true } });
    expect(extra.status).toBe(400);
  });

  it('refuses a body, or a content type a form could send, on changes that take none', async () => {
    const { call, signIn } = await httpFixture();
    const { cookie } = await signIn();
    const form = await call('POST', '/api/auth/sign-out', { cookie, raw: 'a=b', contentType: 'text/plain' });
    expect([form.status, form.json.error.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    const withBody = await call('POST', '/api/auth/sign-out', { cookie, body: { everywhere: true } });
    expect([withBody.status, withBody.json.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    // The session survived both refusals; an empty JSON body is what some clients send, and is taken.
    expect((await call('GET', '/api/auth/session', { cookie })).status).toBe(200);
    expect((await call('POST', '/api/auth/sign-out', { cookie, body: {} })).status).toBe(204);
  });

  it('answers RATE_LIMITED with 429 and Retry-After, keyed by the address the server passes on', async () => {
    const { handle } = await httpFixture();
    const signIn = (clientIp: string) =>
      handle(
        new Request(`${origin}/api/auth/sign-in`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'sec-fetch-site': 'same-origin' },
          body: JSON.stringify({ email: `nobody.${Math.random()}@example.test`, password: 'wrong but long password' }),
        }),
        { clientIp },
      );
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 20; attempt++) statuses.push((await signIn('203.0.113.1')).status);
    expect(statuses.every((status) => status === 401)).toBe(true);
    const limited = await signIn('203.0.113.1');
    expect(limited.status).toBe(429);
    expect((await limited.json()).error.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await signIn('203.0.113.2')).status).toBe(401);
  });

  it('answers HEAD as GET would, without a body', async () => {
    const { call, signIn, admin } = await httpFixture();
    const { cookie } = await signIn();
    const head = await call('HEAD', `/api/users/${admin.id}`, { cookie });
    expect([head.status, head.text]).toEqual([200, '']);
    expect(head.response.headers.get('content-type')).toMatch(/^application\/json/);
    expect((await call('HEAD', '/api/users/nobody', { cookie })).status).toBe(404);
  });

  it('answers unknown paths with 404 and wrong methods with 405 and Allow', async () => {
    const { call } = await httpFixture();
    expect((await call('GET', '/api/nothing/here')).status).toBe(404);
    expect((await call('GET', '/elsewhere')).status).toBe(404);
    const wrong = await call('DELETE', '/api/auth/sign-in');
    expect(wrong.status).toBe(405);
    expect(wrong.response.headers.get('allow')).toBe('POST');
  });

  it('answers an unexpected failure with a bare 500 and reports it to onError', async () => {
    const reported: unknown[] = [];
    const { call } = await httpFixture({
      authenticate: async () => {
        throw new Error('database password is hunter2');
      },
      onError: (error) => reported.push(error),
    });
    const failed = await call('GET', '/api/organizations');
    expect(failed.status).toBe(500);
    expect(failed.text).not.toContain('hunter2');
    expect(failed.json.error.code).toBe('INTERNAL');
    expect(reported).toHaveLength(1);
  });
});

describe('fetch handler: imports', () => {
  const csv = ['email,first_name,last_name', 'grace@acme.test,Grace,Hopper', 'not an address,Eve,Evans', ''].join(
    '\r\n',
  );

  it('serves the template and imports a CSV body, keeping the report in the history', async () => {
    const { call, signIn, organization } = await httpFixture();
    const { cookie } = await signIn();
    const template = await call('GET', '/api/imports/template');
    expect(template.response.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(template.text).toMatch(/^email,first_name,last_name,/);

    const path = `/api/organizations/${organization.id}/imports`;
    const report = await call('POST', `${path}?mode=skip&dryRun=false`, { cookie, raw: csv, contentType: 'text/csv' });
    expect(report.status).toBe(201);
    expect(report.json).toMatchObject({ created: 1, failed: 1, dryRun: false });
    expect(report.json.exceptions).toEqual([expect.objectContaining({ row: 3, code: 'VALIDATION_FAILED' })]);
    const history = await call('GET', path, { cookie });
    expect(history.json.map((entry: { id: string }) => entry.id)).toEqual([report.json.id]);
    expect((await call('GET', `/api/imports/${report.json.id}`, { cookie })).json.created).toBe(1);
    const badMode = await call('POST', `${path}?mode=merge`, { cookie, raw: csv, contentType: 'text/csv' });
    expect(badMode.json.error.code).toBe('VALIDATION_FAILED');
  });

  it('streams progress lines and then the report as NDJSON when asked', async () => {
    const { call, signIn, organization } = await httpFixture();
    const { cookie } = await signIn();
    const rows = Array.from({ length: 1_200 }, (_, index) => `user${index}@acme.test,User,Number${index}`);
    const streamed = await call('POST', `/api/organizations/${organization.id}/imports?dryRun=true`, {
      cookie,
      raw: ['email,first_name,last_name', ...rows].join('\n'),
      contentType: 'text/csv',
      headers: { accept: 'application/x-ndjson' },
    });
    expect(streamed.response.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    const lines = streamed.text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const progress = lines.filter((line) => line.type === 'progress').map((line) => line.processed);
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(lines.at(-1)).toMatchObject({ type: 'report', report: { created: 1_200, dryRun: true } });
  });

  it('streams an error line when the file cannot be imported', async () => {
    const { call, signIn, organization } = await httpFixture();
    const { cookie } = await signIn();
    const streamed = await call('POST', `/api/organizations/${organization.id}/imports`, {
      cookie,
      raw: 'name,age\nx,1\n',
      contentType: 'text/csv',
      headers: { accept: 'application/x-ndjson' },
    });
    const lines = streamed.text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.at(-1)).toMatchObject({ type: 'error', error: { code: 'VALIDATION_FAILED' } });
  });
});
