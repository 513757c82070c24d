import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../src/index.js';
import { codeOf, type MakeStorage, makeTenantry, person } from '../support/tenantry.js';

async function directory(makeStorage: MakeStorage) {
  const t = await makeTenantry(makeStorage);
  const { organization, firstUser } = await t.operator.organizations.create({
    name: 'Acme',
    firstUser: person('Ann', 'Admin'),
  });
  const ann = t.as(firstUser.id);
  const people = [
    ['Grace', 'Hopper', ['advanced']],
    ['Alan', 'Turing', ['basic']],
    ['Ada', 'Lovelace', ['basic']],
    ['Édouard', 'Lucas', []],
    ['Barbara', 'Liskov', ['advanced']],
  ] as const;
  const ids: string[] = [];
  for (const [first, last, roles] of people) {
    t.clock.advance(60_000);
    const { user } = await ann.users.add({
      organizationId: organization.id,
      ...person(first, last),
      roles: [...roles],
    });
    ids.push(user.id);
  }
  return { ...t, organization, firstUser, ann, ids };
}

export function describeDirectoryAndAudit(name: string, makeStorage: MakeStorage): void {
  describe(`${name}: directory and audit trail`, () => {
    it('lists pending users only when asked, newest first by default', async () => {
      const { ann, organization } = await directory(makeStorage);
      expect((await ann.users.list({ organizationId: organization.id })).items).toEqual([]);
      const pending = await ann.users.list({ organizationId: organization.id, status: 'pending' });
      expect(pending.items.map((user) => user.lastName)).toEqual([
        'Liskov',
        'Lucas',
        'Lovelace',
        'Turing',
        'Hopper',
        'Admin',
      ]);
    });

    it('searches names, full names and addresses, ignoring case and accents', async () => {
      const { ann, organization } = await directory(makeStorage);
      const search = async (text: string) =>
        (
          await ann.users.list({
            organizationId: organization.id,
            status: 'pending',
            search: text,
            sort: 'name',
            order: 'asc',
          })
        ).items.map((user) => user.lastName);
      expect(await search('LOV')).toEqual(['Lovelace']);
      expect(await search('ada love')).toEqual(['Lovelace']);
      expect(await search('TUR')).toEqual(['Turing']);
      expect(await search('édouard')).toEqual(['Lucas']);
      // Accents and case do not matter either way.
      expect(await search('EDOUARD')).toEqual(['Lucas']);
      expect(await search('@example.test')).toHaveLength(6);
    });

    it('filters by role, by effective permission and by creation window', async () => {
      const { ann, organization, clock } = await directory(makeStorage);
      const list = (query: Record<string, unknown>) =>
        ann.users.list({ organizationId: organization.id, status: 'pending', sort: 'name', order: 'asc', ...query });
      expect((await list({ roles: ['advanced'] })).items.map((u) => u.lastName)).toEqual(['Hopper', 'Liskov']);
      expect((await list({ permissions: ['tickets.view'] })).items.map((u) => u.lastName)).toEqual([
        'Hopper',
        'Liskov',
        'Lovelace',
        'Turing',
      ]);
      expect((await list({ permissions: ['instances.manage'] })).items).toEqual([]);
      const start = new Date(clock.now().getTime() - 150_000);
      expect((await list({ createdAfter: start })).items.map((u) => u.lastName)).toEqual([
        'Liskov',
        'Lovelace',
        'Lucas',
      ]);
    });

    it('keeps paging steady while users are added between pages', async () => {
      const { ann, organization } = await directory(makeStorage);
      const query = {
        organizationId: organization.id,
        status: 'pending' as const,
        sort: 'email' as const,
        order: 'asc' as const,
        limit: 3,
      };
      const first = await ann.users.list(query);
      const last = first.items.at(-1)?.email as string;
      // One address sorts before the cursor, one after it.
      await ann.users.add({
        organizationId: organization.id,
        email: 'aaa.early@example.test',
        firstName: 'Early',
        lastName: 'Bird',
      });
      await ann.users.add({
        organizationId: organization.id,
        email: 'zzz.late@example.test',
        firstName: 'Late',
        lastName: 'Comer',
      });
      const rest: string[] = [];
      let cursor = first.nextCursor ?? undefined;
      while (cursor) {
        const page = await ann.users.list({ ...query, cursor });
        rest.push(...page.items.map((user) => user.email));
        cursor = page.nextCursor ?? undefined;
      }
      expect(rest.every((email) => email > last)).toBe(true);
      expect(rest).toContain('zzz.late@example.test');
      expect(rest).not.toContain('aaa.early@example.test');
      expect(new Set([...first.items.map((user) => user.email), ...rest]).size).toBe(first.items.length + rest.length);
    });

    it('pages with opaque cursors that only fit their own query', async () => {
      const { ann, organization } = await directory(makeStorage);
      const query = { organizationId: organization.id, status: 'pending' as const, sort: 'email' as const, limit: 2 };
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await ann.users.list({ ...query, ...(cursor ? { cursor } : {}) });
        seen.push(...page.items.map((user) => user.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen).toHaveLength(6);
      expect(new Set(seen).size).toBe(6);
      const first = await ann.users.list(query);
      const next = first.nextCursor as string;
      expect(await codeOf(ann.users.list({ ...query, order: 'asc', cursor: next }))).toBe('VALIDATION_FAILED');
      expect(await codeOf(ann.users.list({ ...query, search: 'a', cursor: next }))).toBe('VALIDATION_FAILED');
      expect(await codeOf(ann.users.list({ ...query, cursor: `${next.slice(0, -2)}xx` }))).toBe('VALIDATION_FAILED');
      expect(await codeOf(ann.users.list({ ...query, cursor: 'forged' }))).toBe('VALIDATION_FAILED');
      expect(await codeOf(ann.users.list({ ...query, limit: 0 }))).toBe('VALIDATION_FAILED');
      expect(await codeOf(ann.users.list({ ...query, limit: 201 }))).toBe('VALIDATION_FAILED');
    });

    it('records every change with who, what and when, newest first, page by page', async () => {
      const { ann, operator, organization, firstUser, ids } = await directory(makeStorage);
      await ann.users.setAccess(ids[0] as string, { roles: ['basic'] });
      const first = await operator.audit.list({ organizationId: organization.id, limit: 3 });
      expect(first.items[0]).toMatchObject({
        action: 'user.permissions.changed',
        actor: { type: 'user', userId: firstUser.id },
        targetId: ids[0],
        changes: { roles: { before: ['advanced'], after: ['basic'] } },
      });
      const rest = await operator.audit.list({
        organizationId: organization.id,
        limit: 50,
        cursor: first.nextCursor as string,
      });
      const actions = [...first.items, ...rest.items].map((event) => event.action);
      expect(actions.at(-1)).toBe('organization.created');
      expect(actions.filter((action) => action === 'user.created')).toHaveLength(6);
      expect(await codeOf(ann.audit.list({ organizationId: 'org_nope' }))).toBe('NOT_FOUND');
    });

    it('emits events after commit, to every and to one action, never for a refused call', async () => {
      const { um, ann, organization, firstUser, ids } = await directory(makeStorage);
      const all: AuditEvent[] = [];
      const disabled: AuditEvent[] = [];
      const stopAll = um.on('*', (event) => {
        all.push(event);
      });
      um.on('user.disabled', (event) => {
        disabled.push(event);
      });
      um.on('user.disabled', () => {
        throw new Error('a broken subscriber');
      });
      await ann.users.disable(ids[1] as string);
      expect(await codeOf(ann.users.disable(firstUser.id))).toBe('SELF_MODIFICATION');
      expect(disabled.map((event) => event.targetId)).toEqual([ids[1]]);
      stopAll();
      await ann.users.enable(ids[1] as string);
      expect(all.map((event) => event.action)).toEqual(['user.disabled']);
      expect(all[0]?.organizationId).toBe(organization.id);
    });
  });
}
