import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { type CookieOptions, createSsoEndpoints, httpStatusOfCode } from '../../src/http/index.js';
import { isTenantryError, TenantryError, type UserManagement } from '../../src/index.js';
import type { DemoIdentity } from './identity.js';

const noStore = { 'cache-control': 'no-store' };

/** A refusal as the API words it, for the demo's own endpoints. */
function refusal(context: Context, error: unknown) {
  if (!isTenantryError(error)) throw error;
  const status = httpStatusOfCode[error.code] as 400;
  return context.json({ error: { code: error.code, message: error.message } }, status, noStore);
}

/** Whether a request comes from the page itself, as JSON (what a form on another site cannot send). */
function fromThePage(context: Context): boolean {
  const site = context.req.header('sec-fetch-site');
  return (!site || site === 'same-origin') && (context.req.header('content-type') ?? '').includes('application/json');
}

/**
 * Single sign-on in the demo: tenantry's browser endpoints at `/sso/*` (begin, callback, ACS, metadata), and two of
 * the demo's own. `GET /demo/sso-name` names the company of a connection discovery answered, for the sign-in
 * button. `POST /demo/dns-records` publishes a domain claim's TXT record in the demo's DNS server, standing in for
 * the company's IT at their DNS provider (demo only: no real portal can, nor should, write its customers' DNS).
 */
export function mountSso(
  app: Hono,
  um: UserManagement,
  options: { sessionCookie: CookieOptions; sessionCookieName: string; identity: DemoIdentity },
): void {
  // The peer's address goes with the sign-in to its session and the audit trail, as with the API's own sign-in.
  const peers = new WeakMap<Request, string>();
  const endpoints = createSsoEndpoints(um, {
    basePath: '/api',
    sessionCookie: options.sessionCookie,
    clientIp: (request) => peers.get(request),
  });
  app.all('/sso/*', async (context) => {
    const address = getConnInfo(context).remote.address;
    if (address) peers.set(context.req.raw, address);
    const answer = await endpoints(context.req.raw);
    return answer ?? context.text('Not found', 404);
  });

  // Which company a connection belongs to. The answer names a customer of the portal to whoever asks with a
  // connection id (only discovery gives one out), which a real portal may prefer not to: the page then says
  // "your company's SSO".
  app.get('/demo/sso-name', async (context) => {
    const connectionId = context.req.query('connectionId') ?? '';
    const operator = um.as({ type: 'operator' });
    for (const organization of await operator.organizations.list({})) {
      const connections = await operator.sso.list(organization.id);
      if (connections.some((connection) => connection.id === connectionId && connection.enabled)) {
        return context.json({ name: organization.name }, 200, noStore);
      }
    }
    return context.json({ error: { code: 'NOT_FOUND', message: 'No such connection' } }, 404, noStore);
  });

  // Demo only: what the company's IT does at their DNS provider. The signed-in user must administer the
  // organization (its claims are read as them), and only a claim's own record is published.
  app.post('/demo/dns-records', async (context) => {
    if (!fromThePage(context)) {
      return context.json({ error: { code: 'CROSS_ORIGIN', message: 'Only the page itself publishes' } }, 403, noStore);
    }
    const body = (await context.req.json().catch(() => null)) as { organizationId?: unknown; domain?: unknown } | null;
    try {
      const token = getCookie(context, options.sessionCookieName);
      if (!token) throw new TenantryError('SESSION_INVALID', 'Not signed in');
      const session = await um.auth.validateSession(token);
      if (typeof body?.organizationId !== 'string' || typeof body.domain !== 'string') {
        throw new TenantryError('VALIDATION_FAILED', 'organizationId and domain are required');
      }
      const claims = await um.as(session.actor).domains.list(body.organizationId);
      const claim = claims.find((candidate) => candidate.domain === body.domain);
      if (!claim) throw new TenantryError('NOT_FOUND', 'The organization claims no such domain');
      await options.identity.publish(claim.verification.recordName, claim.verification.recordValue);
      return context.json({ name: claim.verification.recordName, value: claim.verification.recordValue }, 200, noStore);
    } catch (error) {
      return refusal(context, error);
    }
  });
}
