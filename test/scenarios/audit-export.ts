import { describe, expect, it } from 'vitest';
import type { ActorApi, AuditEvent, AuditExport, ListAuditInput } from '../../src/index.js';
import { codeOf, type MakeStorage, makeTenantry, person } from '../support/tenantry.js';

/** Acme with its admin Ann, a second admin Bob, a member Mia without rights, five users added a minute apart; and Globex. */
async function trail(makeStorage: MakeStorage) {
  const t = await makeTenantry(makeStorage);
  const { organization, firstUser } = await t.operator.organizations.create({
    name: 'Acme',
    firstUser: person('Ann', 'Admin'),
  });
  const ann = t.as(firstUser.id);
  const organizationId = organization.id;
  const bob = (await ann.users.add({ organizationId, ...person('Bob', 'Second'), roles: ['manager'] })).user;
  const mia = (await ann.users.add({ organizationId, ...person('Mia', 'Member'), roles: ['basic'] })).user;
  const ids: string[] = [];
  for (const last of ['One', 'Two', 'Three', 'Four', 'Five']) {
    t.clock.advance(60_000);
    ids.push((await ann.users.add({ organizationId, ...person('User', last) })).user.id);
  }
  const globex = await t.operator.organizations.create({ name: 'Globex', firstUser: person('Gus', 'Globex') });
  return { ...t, organizationId, ann, annId: firstUser.id, bob, mia, ids, globex };
}

/** Every event of the trail, newest first, as `audit.list` pages it. */
async function listed(api: ActorApi, query: Omit<ListAuditInput, 'limit' | 'cursor'>) {
  const events: AuditEvent[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.audit.list({ ...query, limit: 200, ...(cursor ? { cursor } : {}) });
    events.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return events;
}

async function collect(trail: AuditExport): Promise<AuditEvent[]> {
  const events: AuditEvent[] = [];
  for await (const event of trail) events.push(event);
  return events;
}

export function describeAuditExport(name: string, makeStorage: MakeStorage): void {
  describe(`${name}: audit export`, () => {
    it('exports the whole trail newest first in pages, each event once, and records the export', async () => {
      const { ann, annId, organizationId } = await trail(makeStorage);
      const before = await listed(ann, { organizationId });
      const exported = await ann.audit.export({ organizationId }, { pageSize: 2 });
      const events = await collect(exported);
      expect(events.map((event) => event.id)).toEqual(before.map((event) => event.id));
      expect(new Set(events.map((event) => event.id)).size).toBe(events.length);
      expect(events.at(-1)?.action).toBe('organization.created');

      // The NDJSON says the same, a line per event, fields in the documented order, dates as ISO text.
      let text = '';
      for await (const line of exported.lines()) text += line;
      const lines = text.split('\n');
      expect(lines.pop()).toBe('');
      expect(lines.map((line) => JSON.parse(line))).toEqual(JSON.parse(JSON.stringify(before)));
      expect(Object.keys(JSON.parse(lines[0] as string))).toEqual([
        'id',
        'at',
        'actor',
        'organizationId',
        'action',
        'targetId',
        'changes',
        'metadata',
      ]);
      expect(JSON.parse(lines[0] as string).at).toBe((before[0] as AuditEvent).at.toISOString());
      expect(await new Response(exported.stream()).text()).toBe(text);

      // Exporting is audited, once per call, with its filters; the export does not hold its own event.
      const [record] = (await ann.audit.list({ organizationId, action: 'audit.exported' })).items;
      expect(record).toMatchObject({
        actor: { type: 'user', userId: annId },
        organizationId,
        targetId: null,
        metadata: { filters: {}, newestEventId: before[0]?.id },
      });
      expect(events.map((event) => event.action)).not.toContain('audit.exported');
    });

    it('filters by action, target and time (after inclusive, before exclusive), as audit.list does', async () => {
      const { ann, organizationId, ids, clock } = await trail(makeStorage);
      const created = await collect(
        await ann.audit.export({ organizationId, action: 'user.created' }, { pageSize: 3 }),
      );
      expect(created.map((event) => event.targetId).slice(0, 5)).toEqual([...ids].reverse());
      expect(created.every((event) => event.action === 'user.created')).toBe(true);
      expect(created).toHaveLength(8);

      await ann.users.disable(ids[1] as string);
      const about = await collect(await ann.audit.export({ organizationId, targetId: ids[1] }));
      expect(about.map((event) => event.action)).toEqual(['user.disabled', 'user.created']);

      const now = clock.now().getTime();
      const window = { after: new Date(now - 180_000), before: new Date(now - 60_000) };
      const inWindow = await collect(await ann.audit.export({ organizationId, ...window }, { pageSize: 1 }));
      expect(inWindow.map((event) => event.targetId)).toEqual([ids[2], ids[1]]);
      const asText = await collect(
        await ann.audit.export({
          organizationId,
          after: window.after.toISOString(),
          before: window.before.toISOString(),
        }),
      );
      expect(asText.map((event) => event.id)).toEqual(inWindow.map((event) => event.id));
      const [record] = (await ann.audit.list({ organizationId, action: 'audit.exported' })).items;
      expect(record?.metadata.filters).toEqual({
        after: window.after.toISOString(),
        before: window.before.toISOString(),
      });
    });

    it('leaves out what is recorded once the export began, even in the same instant', async () => {
      const { ann, organizationId, clock } = await trail(makeStorage);
      const before = await listed(ann, { organizationId });
      const exported = await ann.audit.export({ organizationId }, { pageSize: 2 });
      // Same instant as the export's start (the test clock stands still), then later.
      await ann.users.add({ organizationId, ...person('Same', 'Instant') });
      const iterator = exported[Symbol.asyncIterator]();
      const first = await iterator.next();
      clock.advance(1000);
      await ann.users.add({ organizationId, ...person('Much', 'Later') });
      const rest: AuditEvent[] = [];
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) rest.push(next.value);
      expect([first.value as AuditEvent, ...rest].map((event) => event.id)).toEqual(before.map((event) => event.id));
      // Read again, the export holds the same events.
      expect((await collect(exported)).map((event) => event.id)).toEqual(before.map((event) => event.id));
    });

    it('reads a long trail in pages of 500, each event once, many in the same millisecond', async () => {
      const { ann, storage, organizationId } = await trail(makeStorage);
      const start = Date.parse('2025-06-01T00:00:00Z');
      const bulk: AuditEvent[] = Array.from({ length: 1234 }, (_, index) => ({
        id: `evt_bulk${String(index).padStart(6, '0')}`,
        at: new Date(start + Math.floor(index / 7) * 1000),
        actor: { type: 'operator' },
        organizationId,
        action: 'bulk.event',
        targetId: `item${index % 10}`,
        changes: {},
        metadata: { index },
      }));
      for (let at = 0; at < bulk.length; at += 200) {
        await storage.transaction((tx) => tx.audit.insert(bulk.slice(at, at + 200)));
      }
      const before = await listed(ann, { organizationId });
      const events = await collect(await ann.audit.export({ organizationId }));
      expect(events.map((event) => event.id)).toEqual(before.map((event) => event.id));
      expect(new Set(events.map((event) => event.id)).size).toBe(before.length);
      expect(before.length).toBeGreaterThan(1234);
      const bulkIds = events.filter((event) => event.action === 'bulk.event').map((event) => event.metadata.index);
      expect(bulkIds).toEqual(Array.from({ length: 1234 }, (_, index) => 1233 - index));
    });

    it('refuses those who do not administer the organization, and bad input, before reading anything', async () => {
      const { ann, as, mia, globex, organizationId, operator } = await trail(makeStorage);
      expect(await codeOf(as(mia.id).audit.export({ organizationId }))).toBe('FORBIDDEN');
      expect(await codeOf(as(globex.firstUser.id).audit.export({ organizationId }))).toBe('NOT_FOUND');
      expect(await codeOf(ann.audit.export({ organizationId: 'org_nope' }))).toBe('NOT_FOUND');
      const bad: unknown[] = [
        { organizationId, limit: 10 },
        { organizationId, cursor: 'abc' },
        { organizationId, after: 'yesterday' },
        { organizationId, action: '' },
        { organizationId, action: 'a\u0000b' },
        { organizationId, targetId: 42 },
        {},
        null,
      ];
      for (const query of bad) expect(await codeOf(ann.audit.export(query as never))).toBe('VALIDATION_FAILED');
      for (const pageSize of [0, 1001, 2.5]) {
        expect(await codeOf(ann.audit.export({ organizationId }, { pageSize }))).toBe('VALIDATION_FAILED');
      }
      // Nothing of that was recorded as an export.
      expect((await operator.audit.list({ organizationId, action: 'audit.exported' })).items).toEqual([]);
      // The operator may export any organization's trail.
      const listedBefore = await listed(operator, { organizationId: globex.organization.id });
      const theirs = await collect(await operator.audit.export({ organizationId: globex.organization.id }));
      expect(theirs.map((event) => event.id)).toEqual(listedBefore.map((event) => event.id));
      expect(theirs.at(-1)?.action).toBe('organization.created');
    });

    it('checks the rights again for every page: an admin demoted mid-export is refused', async () => {
      const { ann, as, bob, organizationId } = await trail(makeStorage);
      const iterator = (await as(bob.id).audit.export({ organizationId }, { pageSize: 2 }))[Symbol.asyncIterator]();
      expect((await iterator.next()).done).toBe(false);
      expect((await iterator.next()).done).toBe(false);
      await ann.users.setAccess(bob.id, { roles: [] });
      const drain = async () => {
        for (let next = await iterator.next(); !next.done; next = await iterator.next());
      };
      // The next page read after the demotion is refused (the page read before it may still be handed out).
      expect(await codeOf(drain())).toBe('FORBIDDEN');
    });
  });
}
