import { describe, expect, it } from 'vitest';
import { codeOf, type MakeStorage, makeTenantry, person } from '../support/tenantry.js';

async function twoAdmins(makeStorage: MakeStorage) {
  const t = await makeTenantry(makeStorage);
  const { organization, firstUser: ann } = await t.operator.organizations.create({
    name: 'Acme',
    firstUser: person('Ann', 'Admin'),
  });
  const { user: bob } = await t
    .as(ann.id)
    .users.add({ organizationId: organization.id, ...person('Bob', 'Admin'), permissions: ['org.admin'] });
  return { ...t, organization, ann, bob };
}

function outcomes(results: PromiseSettledResult<unknown>[]) {
  return results.map((result) =>
    result.status === 'fulfilled' ? 'ok' : ((result.reason as { code?: string }).code ?? String(result.reason)),
  );
}

/**
 * Races that must end with exactly one winner and the invariants intact.
 * `loser` is what the loser of a mutual demotion is told: `LAST_ADMIN`
 * wherever calls issued at once read how the actor stood before either
 * changed anything (the orchestrator reads it in a transaction of its own,
 * which every storage that runs calls one after the other queues first);
 * `either` on a pooled server, where it depends on whether the loser began
 * before the winner committed (the cross-process races hold the row to make
 * them overlap, and prove `LAST_ADMIN` there).
 */
export function describeConcurrency(
  name: string,
  makeStorage: MakeStorage,
  { loser = 'LAST_ADMIN' }: { loser?: 'LAST_ADMIN' | 'FORBIDDEN' | 'either' } = {},
): void {
  const loserCodes = loser === 'either' ? ['LAST_ADMIN', 'FORBIDDEN'] : [loser];
  describe(`${name}: concurrent calls`, () => {
    it('leaves exactly one admin when two admins demote each other at once', async () => {
      const { as, operator, organization, ann, bob } = await twoAdmins(makeStorage);
      const results = await Promise.allSettled([
        as(ann.id).users.setAccess(bob.id, { permissions: [] }),
        as(bob.id).users.setAccess(ann.id, { permissions: [] }),
      ]);
      const codes = outcomes(results);
      expect(codes.filter((code) => code === 'ok')).toHaveLength(1);
      // The loser waited for the winner's lock: demoting the one admin left is refused as such.
      expect(loserCodes).toContain(codes.find((code) => code !== 'ok'));
      const { items } = await operator.users.list({ organizationId: organization.id, status: ['pending', 'active'] });
      expect(items.filter((user) => user.isAdmin)).toHaveLength(1);
    });

    it('refuses every simultaneous demotion after the first with LAST_ADMIN', async () => {
      const { operator, organization, ann, bob } = await twoAdmins(makeStorage);
      const results = await Promise.allSettled([
        operator.users.setAccess(ann.id, { permissions: [] }),
        operator.users.setAccess(bob.id, { permissions: [] }),
        operator.users.disable(bob.id),
        operator.users.setExpiry(bob.id, '2026-12-31T00:00:00Z'),
      ]);
      // Which call wins depends on who gets the lock first (on a pooled server, not the order of the calls);
      // whatever wins, every refusal is LAST_ADMIN and one admin is left.
      const codes = outcomes(results);
      expect(codes.every((code) => code === 'ok' || code === 'LAST_ADMIN')).toBe(true);
      expect(codes).toContain('LAST_ADMIN');
      const { items } = await operator.users.list({ organizationId: organization.id, status: ['pending', 'active'] });
      expect(items.filter((user) => user.isAdmin)).toHaveLength(1);
    });

    it('answers FORBIDDEN to an admin demoted before the call began', async () => {
      const { as, ann, bob } = await twoAdmins(makeStorage);
      await as(ann.id).users.setAccess(bob.id, { permissions: [] });
      expect(await codeOf(as(bob.id).users.setAccess(ann.id, { permissions: [] }))).toBe('FORBIDDEN');
      expect(await codeOf(as(bob.id).users.disable(ann.id))).toBe('FORBIDDEN');
    });

    it('leaves exactly one admin when two admins disable each other at once', async () => {
      const { as, operator, organization, ann, bob } = await twoAdmins(makeStorage);
      const results = await Promise.allSettled([as(ann.id).users.disable(bob.id), as(bob.id).users.disable(ann.id)]);
      const codes = outcomes(results);
      expect(codes.filter((code) => code === 'ok')).toHaveLength(1);
      // The loser was disabled while it waited, but the change it asked for would leave no admin.
      expect(loserCodes).toContain(codes.find((code) => code !== 'ok'));
      const { items } = await operator.users.list({ organizationId: organization.id, status: ['pending', 'active'] });
      expect(items.filter((user) => user.isAdmin)).toHaveLength(1);
    });

    it('takes the same address once when it is added twice at once in different cases', async () => {
      const { as, organization, ann } = await twoAdmins(makeStorage);
      const results = await Promise.allSettled([
        as(ann.id).users.add({
          organizationId: organization.id,
          email: 'Dup.User@Example.test',
          firstName: 'D',
          lastName: 'U',
        }),
        as(ann.id).users.add({
          organizationId: organization.id,
          email: 'dup.user@EXAMPLE.TEST',
          firstName: 'D',
          lastName: 'U',
        }),
      ]);
      expect(outcomes(results).sort()).toEqual(['EMAIL_TAKEN', 'ok']);
    });

    it('adds twenty different users at once without losing one', async () => {
      const { as, operator, organization, ann } = await twoAdmins(makeStorage);
      const adds = Array.from({ length: 20 }, (_, index) =>
        as(ann.id).users.add({ organizationId: organization.id, ...person(`User${index}`, 'Parallel') }),
      );
      await Promise.all(adds);
      const { items } = await operator.users.list({
        organizationId: organization.id,
        status: ['pending'],
        search: 'parallel',
        limit: 50,
      });
      expect(items).toHaveLength(20);
    });

    it('keeps an admin when a role change and a feature removal race', async () => {
      const { as, operator, organization, ann, bob } = await twoAdmins(makeStorage);
      await operator.organizations.setFeatures(organization.id, ['data-estate']);
      const { user: carl } = await as(ann.id).users.add({
        organizationId: organization.id,
        ...person('Carl', 'Data'),
        permissions: ['instances.manage'],
      });
      await Promise.allSettled([
        operator.organizations.setFeatures(organization.id, []),
        as(ann.id).users.setAccess(carl.id, { roles: ['manager'], permissions: [] }),
        as(bob.id).users.setAccess(ann.id, { permissions: [] }),
        as(ann.id).users.setAccess(bob.id, { permissions: [] }),
      ]);
      const { items } = await operator.users.list({ organizationId: organization.id, status: ['pending', 'active'] });
      expect(items.filter((user) => user.isAdmin).length).toBeGreaterThanOrEqual(1);
      expect(await codeOf(operator.users.setAccess(carl.id, { permissions: ['nope'] }))).toBe('PERMISSION_UNAVAILABLE');
    });
  });
}
