import { generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { defineResources } from '../../src/index.js';
import { canAccess } from '../../src/rules/index.js';
import { codeOf, type MakeStorage, makeTenantry, permissions, person, sessionOf } from '../support/tenantry.js';

/** The seeds' resources: instances a data estate admin manages (000), jobs and licensed projects (001). */
export const resources = defineResources(permissions, {
  instance: { label: 'Instances', managedBy: 'instances.manage' },
  job: { label: 'Jobs' },
  project: { label: 'Projects', feature: 'projects' },
});

const password = 'a long passphrase nobody guesses';

async function contoso(makeStorage: MakeStorage, options: Parameters<typeof makeTenantry>[1] = {}) {
  const t = await makeTenantry(makeStorage, { resources, ...options });
  const { organization, firstUser } = await t.operator.organizations.create({
    name: 'Contoso',
    features: ['data-estate'],
    firstUser: person('Carla', 'Admin'),
  });
  const carla = t.as(firstUser.id);
  const add = async (first: string, extra: { permissions?: string[] } = {}) =>
    (await carla.users.add({ organizationId: organization.id, ...person(first, 'Contoso'), ...extra })).user;
  const dana = await add('Dana', { permissions: ['instances.manage'] });
  const bob = await add('Bob');
  return { ...t, organization, carla, admin: firstUser, add, dana, bob };
}

export function describeResourceAccess(name: string, makeStorage: MakeStorage): void {
  describe(`${name}: access to resources`, () => {
    it('lets a data estate admin give a colleague two instances, and change nothing else (seed 000)', async () => {
      const { as, dana, bob, carla, organization, um } = await contoso(makeStorage);
      const asDana = as(dana.id);
      await asDana.users.grantResource(bob.id, 'instance', 'inst-sales');
      const granted = await asDana.users.grantResource(bob.id, 'instance', 'inst-finance');
      expect(granted.effectiveResourceAccess).toEqual({ instance: ['inst-finance', 'inst-sales'] });
      // She reads her colleagues, to find whom to give access…
      expect((await asDana.users.get(bob.id)).email).toBe(bob.email);
      const { items } = await asDana.users.list({ organizationId: organization.id, status: ['pending', 'active'] });
      expect(items.map((user) => user.id)).toContain(bob.id);
      // …and changes nothing else of theirs, nor her own access.
      expect(await codeOf(asDana.users.setAccess(bob.id, { roles: ['basic'] }))).toBe('FORBIDDEN');
      expect(await codeOf(asDana.users.setResourceAccess(bob.id, 'job', 'all'))).toBe('FORBIDDEN');
      expect(await codeOf(asDana.users.update(bob.id, { firstName: 'Robert' }))).toBe('FORBIDDEN');
      expect(await codeOf(asDana.users.disable(bob.id))).toBe('FORBIDDEN');
      // Reading a colleague is not reading where they signed in from.
      expect(await codeOf(asDana.users.sessions(bob.id))).toBe('FORBIDDEN');
      expect(await codeOf(asDana.users.grantResource(dana.id, 'instance', 'inst-sales'))).toBe('SELF_MODIFICATION');
      // Bob opens the instances he was given, and no other.
      const { link } = await carla.invitations.createLink(bob.id);
      const signedIn = sessionOf(
        await um.auth.acceptInvitation({ token: new URL(link).searchParams.get('token') ?? '', password }),
      );
      const session = await um.auth.validateSession(signedIn.token);
      expect(canAccess(session, 'instance', 'inst-sales')).toBe(true);
      expect(canAccess(session, 'instance', 'inst-hr')).toBe(false);
      expect(canAccess(session, 'job', 'job-1')).toBe(false);
    });

    it('gives all jobs, then narrows to three, with each change in the trail (seed 001)', async () => {
      const { carla, bob, organization } = await contoso(makeStorage);
      await carla.users.setResourceAccess(bob.id, 'job', 'all');
      const holders = async (resourceId: string) =>
        (await carla.resources.holders({ organizationId: organization.id, type: 'job', resourceId })).items.map(
          (user) => user.id,
        );
      expect(await holders('job-4')).toEqual([bob.id]);
      const narrowed = await carla.users.setResourceAccess(bob.id, 'job', {
        ids: ['job-3', 'job-1', 'job-2', 'job-1'],
      });
      expect(narrowed.resourceAccess).toEqual({ job: ['job-1', 'job-2', 'job-3'] });
      expect(await holders('job-4')).toEqual([]);
      expect(await holders('job-2')).toEqual([bob.id]);
      const trail = await carla.audit.list({ organizationId: organization.id, action: 'user.resources.changed' });
      expect(trail.items.map((event) => event.changes['resources.job'])).toEqual([
        { before: 'all', after: ['job-1', 'job-2', 'job-3'] },
        { before: null, after: 'all' },
      ]);
      const none = await carla.users.setResourceAccess(bob.id, 'job', 'none');
      expect(none.resourceAccess).toEqual({});
    });

    it('refuses projects until the operator licenses them, and keeps grants when the license goes (seed 001)', async () => {
      const { carla, bob, organization, operator } = await contoso(makeStorage);
      expect(await codeOf(carla.users.grantResource(bob.id, 'project', 'apollo'))).toBe('RESOURCE_UNAVAILABLE');
      expect(await codeOf(carla.users.setResourceAccess(bob.id, 'library', 'all'))).toBe('RESOURCE_UNAVAILABLE');
      await operator.organizations.setFeatures(organization.id, ['data-estate', 'projects']);
      expect((await carla.users.grantResource(bob.id, 'project', 'apollo')).effectiveResourceAccess).toEqual({
        project: ['apollo'],
      });
      await operator.organizations.setFeatures(organization.id, ['data-estate']);
      const unlicensed = await carla.users.get(bob.id);
      expect(unlicensed.resourceAccess).toEqual({ project: ['apollo'] });
      expect(unlicensed.effectiveResourceAccess).toEqual({});
      expect(canAccess(unlicensed, 'project', 'apollo')).toBe(false);
      const listed = await carla.users.list({
        organizationId: organization.id,
        status: ['pending'],
        resource: { type: 'project', id: 'apollo' },
      });
      expect(listed.items).toEqual([]);
      await operator.organizations.setFeatures(organization.id, ['data-estate', 'projects']);
      expect(canAccess(await carla.users.get(bob.id), 'project', 'apollo')).toBe(true);
    });

    it('lists the holders of a resource, all of its type included, page by page and in users.list', async () => {
      const { carla, add, organization } = await contoso(makeStorage);
      const people = [];
      for (const first of ['Ann', 'Ben', 'Cid', 'Dee', 'Eve']) people.push(await add(first));
      const [ann, ben, cid, dee, eve] = people as [
        (typeof people)[0],
        (typeof people)[0],
        (typeof people)[0],
        (typeof people)[0],
        (typeof people)[0],
      ];
      await carla.users.grantResource(ann.id, 'instance', 'inst-1');
      await carla.users.setResourceAccess(ben.id, 'instance', 'all');
      await carla.users.setResourceAccess(cid.id, 'instance', { ids: ['inst-1', 'inst-2'] });
      await carla.users.grantResource(dee.id, 'instance', 'inst-2');
      await carla.users.setResourceAccess(eve.id, 'job', 'all');
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await carla.resources.holders({
          organizationId: organization.id,
          type: 'instance',
          resourceId: 'inst-1',
          limit: 2,
          ...(cursor ? { cursor } : {}),
        });
        seen.push(...page.items.map((user) => user.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen.sort()).toEqual([ann.id, ben.id, cid.id].sort());
      const listed = await carla.users.list({
        organizationId: organization.id,
        status: ['pending'],
        resource: { type: 'instance', id: 'inst-1' },
        sort: 'name',
        order: 'asc',
      });
      expect(listed.items.map((user) => user.firstName)).toEqual(['Ann', 'Ben', 'Cid']);
    });

    it('forgets a deleted resource, and keeps other companies out of reach', async () => {
      const { carla, bob, dana, organization, operator, as } = await contoso(makeStorage);
      await carla.users.grantResource(bob.id, 'instance', 'inst-old');
      await carla.users.grantResource(dana.id, 'instance', 'inst-old');
      await carla.users.grantResource(bob.id, 'instance', 'inst-new');
      const other = await operator.organizations.create({ name: 'Fabrikam', firstUser: person('Fay', 'Other') });
      const fay = as(other.firstUser.id);
      expect(await codeOf(fay.users.grantResource(bob.id, 'instance', 'inst-x'))).toBe('NOT_FOUND');
      expect(
        await codeOf(
          fay.resources.holders({ organizationId: organization.id, type: 'instance', resourceId: 'inst-old' }),
        ),
      ).toBe('NOT_FOUND');
      expect(
        await codeOf(
          fay.resources.forget({ organizationId: organization.id, type: 'instance', resourceId: 'inst-old' }),
        ),
      ).toBe('NOT_FOUND');
      expect(
        await as(dana.id).resources.forget({
          organizationId: organization.id,
          type: 'instance',
          resourceId: 'inst-old',
        }),
      ).toEqual({ revoked: 2 });
      expect((await carla.users.get(bob.id)).resourceAccess).toEqual({ instance: ['inst-new'] });
    });

    it('drops an erased user’s grants and keeps the trail of them', async () => {
      const { carla, bob, organization } = await contoso(makeStorage);
      await carla.users.grantResource(bob.id, 'instance', 'inst-1');
      await carla.users.erase(bob.id);
      const holders = await carla.resources.holders({
        organizationId: organization.id,
        type: 'instance',
        resourceId: 'inst-1',
      });
      expect(holders.items).toEqual([]);
      const trail = await carla.audit.list({ organizationId: organization.id, targetId: bob.id });
      expect(trail.items.map((event) => event.action)).toContain('user.resources.changed');
      expect(await codeOf(carla.users.grantResource(bob.id, 'instance', 'inst-2'))).toBe('CONFLICT');
    });

    it('puts small access in access tokens, and reads larger access from the session when verified strictly', async () => {
      const { privateKey, publicKey } = await generateKeyPair('EdDSA', { extractable: true });
      const t = await contoso(makeStorage, {
        accessTokens: { privateKey, publicKey, alg: 'EdDSA', issuer: 'portal' },
      });
      const { link } = await t.carla.invitations.createLink(t.bob.id);
      const { token } = sessionOf(
        await t.um.auth.acceptInvitation({ token: new URL(link).searchParams.get('token') ?? '', password }),
      );
      await t.carla.users.grantResource(t.bob.id, 'instance', 'inst-1');
      const small = await t.um.auth.verifyAccessToken(await t.um.auth.issueAccessToken(token));
      expect(small.res).toEqual({ instance: ['inst-1'] });
      expect(canAccess(small, 'instance', 'inst-1')).toBe(true);
      const many = Array.from({ length: 60 }, (_, index) => `inst-${index}`);
      await t.carla.users.setResourceAccess(t.bob.id, 'instance', { ids: many });
      const jwt = await t.um.auth.issueAccessToken(token);
      const large = await t.um.auth.verifyAccessToken(jwt);
      expect([large.res, large.res_omitted]).toEqual([undefined, true]);
      const strict = await t.um.auth.verifyAccessToken(jwt, { strict: true });
      expect(canAccess(strict, 'instance', 'inst-59')).toBe(true);
    });
  });
}
