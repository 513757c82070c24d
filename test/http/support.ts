import { createFetchHandler, type FetchHandlerOptions } from '../../src/http/index.js';
import type { Organization } from '../../src/index.js';
import { makeTenantry, person } from '../support/tenantry.js';
import { Conformance } from './conformance.js';

/** The origin the handler runs under in these tests. */
export const origin = 'https://portal.example.test';
/** A password the policy accepts. */
export const password = 'correct horse battery staple 42';

/** Options of one request made by {@link httpFixture}'s `call`. */
export interface CallOptions {
  body?: unknown;
  /** Raw body text, sent with `contentType`. */
  raw?: string;
  contentType?: string;
  cookie?: string;
  bearer?: string;
  headers?: Record<string, string>;
}

/**
 * An installation behind the fetch handler at `/api`, with one organization
 * whose first admin has activated their account (`admin`, signed in by
 * neither cookie nor token yet).
 */
export async function httpFixture(
  options: FetchHandlerOptions = {},
  installation: Parameters<typeof makeTenantry>[1] = {},
) {
  const t = await makeTenantry(undefined, installation);
  const handle = createFetchHandler(t.um, { basePath: '/api', ...options });
  const served = await handle(new Request(`${origin}/api/openapi.json`));
  const conformance = new Conformance(await served.json(), '/api');
  const acme = await t.operator.organizations.create({ name: 'Acme', firstUser: person('Ada', 'Admin') });
  const admin = { ...acme.firstUser, password };
  await t.um.auth.acceptInvitation({ token: tokenOf(t.mailer.outbox.at(-1)?.link), password });

  /** One request through the handler, same-origin unless `headers` say otherwise. */
  const call = async (method: string, path: string, request: CallOptions = {}) => {
    const headers: Record<string, string> = { origin, 'sec-fetch-site': 'same-origin', ...request.headers };
    if (request.cookie) headers.cookie = request.cookie;
    if (request.bearer) headers.authorization = `Bearer ${request.bearer}`;
    let body: string | null = null;
    if (request.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(request.body);
    } else if (request.raw !== undefined) {
      headers['content-type'] = request.contentType ?? 'text/plain';
      body = request.raw;
    }
    const response = await handle(new Request(`${origin}${path}`, { method, headers, body }));
    const text = await response.text();
    const type = response.headers.get('content-type') ?? '';
    const json = type.startsWith('application/json') && text ? JSON.parse(text) : undefined;
    conformance.check(method, path, response.status, json);
    return { response, status: response.status, json, text };
  };

  /** Signs in over HTTP and returns the cookie to send back. */
  const signIn = async (email = admin.email, secret = password) => {
    const { response, json } = await call('POST', '/api/auth/sign-in', { body: { email, password: secret } });
    const setCookie = response.headers.get('set-cookie') ?? '';
    return { cookie: setCookie.split(';')[0] as string, setCookie, json };
  };

  return { ...t, handle, call, signIn, conformance, admin, organization: acme.organization as Organization };
}

/** The token of a mailed link. */
export function tokenOf(link: string | undefined): string {
  const token = link ? new URL(link).searchParams.get('token') : null;
  if (!token) throw new Error(`no token in ${link}`);
  return token;
}
