import { once } from 'node:events';
import { get, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryStorage } from '../../adapters/memory/index.js';
import type { Actor, AuditEvent, Storage } from '../../src/index.js';
import { person } from '../support/tenantry.js';
import { httpFixture } from './support.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** A memory storage that counts the pages of the audit trail read from it (by their size). */
function countingStorage() {
  const inner = memoryStorage();
  const pageReads: number[] = [];
  const storage: Storage = {
    ...inner,
    transaction: (work) =>
      inner.transaction((tx) =>
        work({
          ...tx,
          audit: {
            ...tx.audit,
            list: (query) => {
              pageReads.push(query.limit);
              return tx.audit.list(query);
            },
          },
        }),
      ),
  };
  return { storage, pageReads };
}

/**
 * The fetch handler served over real HTTP on 127.0.0.1, acting as the user
 * named by `x-test-user` (else the session), with Acme's trail grown by
 * `events` synthetic events of about a kilobyte each.
 */
async function served(events = 0) {
  const { storage, pageReads } = countingStorage();
  const errors: unknown[] = [];
  const fixture = await httpFixture(
    {
      authenticate: async (request, context) => {
        const userId = request.headers.get('x-test-user');
        return userId ? ({ type: 'user', userId } satisfies Actor) : context.sessionActor();
      },
      onError: (error) => errors.push(error),
    },
    { storage },
  );
  const organizationId = fixture.organization.id;
  const bulk: AuditEvent[] = Array.from({ length: events }, (_, index) => ({
    id: `evt_bulk${String(index).padStart(6, '0')}`,
    at: new Date(Date.parse('2025-06-01T00:00:00Z') + index * 1000),
    actor: { type: 'operator' },
    organizationId,
    action: 'bulk.event',
    targetId: null,
    changes: {},
    metadata: { index, note: 'x'.repeat(1000) },
  }));
  for (let at = 0; at < bulk.length; at += 1000) {
    await storage.transaction((tx) => tx.audit.insert(bulk.slice(at, at + 1000)));
  }
  const server = serve({ fetch: (request) => fixture.handle(request), port: 0, hostname: '127.0.0.1' });
  await once(server, 'listening');
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  const { port } = server.address() as AddressInfo;
  const open = (path: string, userId = fixture.admin.id): Promise<IncomingMessage> =>
    new Promise((resolve, reject) => {
      get({ host: '127.0.0.1', port, path: `/api${path}`, headers: { 'x-test-user': userId } }, resolve).on(
        'error',
        reject,
      );
    });
  const text = async (response: IncomingMessage) => {
    let body = '';
    for await (const chunk of response) body += chunk;
    return body;
  };
  return { ...fixture, organizationId, pageReads, errors, open, text };
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** The export's page reads: those of its size (the first step reads one event to fix the bound). */
const pages = (reads: readonly number[]) => reads.filter((limit) => limit === 500).length;

describe('GET /audit/export over real HTTP', () => {
  it('streams the trail as NDJSON, a page per chunk as the client reads, newest first', async () => {
    const { open, text, organizationId, pageReads, operator } = await served(1200);
    const expected = (await operator.audit.list({ organizationId, limit: 200 })).items.slice(0, 3);
    const response = await open(`/audit/export?organizationId=${organizationId}`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['transfer-encoding']).toBe('chunked');
    const body = await text(response);
    const lines = body
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { id: string; at: string });
    // Acme's own events (the organization, its admin), then the 1200 older ones.
    expect(lines.length).toBeGreaterThan(1200);
    expect(lines.slice(0, 3).map((line) => line.id)).toEqual(expected.map((event) => event.id));
    expect(lines.at(-1)?.id).toBe('evt_bulk000000');
    expect(new Set(lines.map((line) => line.id)).size).toBe(lines.length);
    expect(lines[0]?.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    // Three pages of 500, each read in a call of its own.
    expect(pages(pageReads)).toBe(3);
  });

  it('reads no further than the client takes, and stops reading when it goes away', async () => {
    const { open, organizationId, pageReads } = await served(10_000);
    const response = await open(`/audit/export?organizationId=${organizationId}`);
    response.pause();
    await wait(300);
    // Half a megabyte a page: the sockets' buffers hold a few pages, not the twenty of the trail.
    const whilePaused = pages(pageReads);
    expect(whilePaused).toBeGreaterThan(0);
    expect(whilePaused).toBeLessThan(15);
    response.destroy();
    await wait(300);
    const afterLeaving = pages(pageReads);
    await wait(300);
    expect(pages(pageReads)).toBe(afterLeaving);
    expect(afterLeaving).toBeLessThan(20);
  });

  it('answers refusals before the first byte as JSON errors', async () => {
    const { open, text, organizationId, operator } = await served();
    const { user: member } = await operator.users.add({ organizationId, ...person('Mia', 'Member') });
    const cases: [string, string | undefined, number, string][] = [
      [`/audit/export?organizationId=${organizationId}`, member.id, 403, 'FORBIDDEN'],
      ['/audit/export?organizationId=org_nope', undefined, 404, 'NOT_FOUND'],
      [`/audit/export?organizationId=${organizationId}&limit=5`, undefined, 400, 'VALIDATION_FAILED'],
      [`/audit/export?organizationId=${organizationId}&after=yesterday`, undefined, 400, 'VALIDATION_FAILED'],
      ['/audit/export', undefined, 400, 'VALIDATION_FAILED'],
    ];
    for (const [path, userId, status, code] of cases) {
      const response = await open(path, userId);
      expect([path, response.statusCode]).toEqual([path, status]);
      expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(JSON.parse(await text(response)).error.code).toBe(code);
    }
    const unsigned = await open(`/audit/export?organizationId=${organizationId}`, '');
    expect(unsigned.statusCode).toBe(401);
    await text(unsigned);
  });

  it('filters as GET /audit does, and records the export', async () => {
    const { open, text, organizationId, call, signIn } = await served();
    const { cookie } = await signIn();
    const created = await call('GET', `/api/audit?organizationId=${organizationId}&action=user.created`, { cookie });
    const response = await open(`/audit/export?organizationId=${organizationId}&action=user.created`);
    const ids = (await text(response))
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line).id);
    expect(ids).toEqual(created.json.items.map((event: { id: string }) => event.id));
    const recorded = await call('GET', `/api/audit?organizationId=${organizationId}&action=audit.exported`, { cookie });
    expect(recorded.json.items[0].metadata).toMatchObject({ filters: { action: 'user.created' } });
  });

  it('cuts the body short, without its last chunk, when the rights go between pages', async () => {
    const { open, organizationId, operator, pageReads, errors } = await served(10_000);
    const { user: bob } = await operator.users.add({ organizationId, ...person('Bob', 'Second'), roles: ['manager'] });
    const response = await open(`/audit/export?organizationId=${organizationId}`, bob.id);
    expect(response.statusCode).toBe(200);
    response.pause();
    await wait(200);
    const before = pages(pageReads);
    await operator.users.setAccess(bob.id, { roles: [] });
    let received = 0;
    let failure: Error | undefined;
    response.on('data', (chunk: Buffer) => {
      received += chunk.length;
    });
    response.on('error', (error) => {
      failure = error;
    });
    const closed = new Promise((resolve) => response.on('close', resolve));
    response.resume();
    await closed;
    // The client sees the body cut off, not a complete export.
    expect(response.complete).toBe(false);
    expect(failure?.message).toBe('aborted');
    // The page asked for after the demotion is refused before it is read.
    expect(pages(pageReads)).toBe(before);
    expect(before).toBeLessThan(20);
    expect(received).toBeGreaterThan(0);
    // A refusal is expected: nothing is reported as an unexpected error.
    expect(errors).toEqual([]);
  });

  it('is in the OpenAPI document as an NDJSON answer with the query parameters of GET /audit', async () => {
    const { call } = await served();
    const { json } = await call('GET', '/api/openapi.json');
    const operation = json.paths['/audit/export'].get;
    expect(operation.operationId).toBe('audit.export');
    expect(Object.keys(operation.responses['200'].content)).toEqual(['application/x-ndjson']);
    expect(operation.responses['200'].content['application/x-ndjson'].schema).toEqual({
      $ref: '#/components/schemas/AuditEvent',
    });
    expect(operation.parameters.map((parameter: { name: string }) => parameter.name)).toEqual([
      'organizationId',
      'action',
      'targetId',
      'after',
      'before',
    ]);
  });
});
