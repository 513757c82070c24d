import { describe, expect, it } from 'vitest';
import { fields } from '../scenarios/profile-fields.js';
import { resources } from '../scenarios/resources.js';
import { person } from '../support/tenantry.js';
import { httpFixture } from './support.js';

describe('fetch handler: resource access and profile fields', () => {
  it('grants, replaces, lists holders of, revokes and forgets access, each answer by its schema', async () => {
    const { call, signIn, organization, operator } = await httpFixture({}, { resources, fields });
    await operator.organizations.setFeatures(organization.id, ['data-estate']);
    const { cookie } = await signIn();
    const added = await call('POST', '/api/users', {
      cookie,
      body: { organizationId: organization.id, ...person('Bob', 'Http'), fields: { title: 'Engineer' } },
    });
    expect(added.status).toBe(201);
    const bob = added.json.user;
    expect(bob.fields).toEqual({ title: 'Engineer' });
    const granted = await call('PUT', `/api/users/${bob.id}/resources/instance/inst-1`, { cookie });
    expect([granted.status, granted.json.effectiveResourceAccess]).toEqual([200, { instance: ['inst-1'] }]);
    const all = await call('PUT', `/api/users/${bob.id}/resources/job`, { cookie, body: { access: 'all' } });
    expect(all.json.resourceAccess).toEqual({ instance: ['inst-1'], job: 'all' });
    const holders = await call('GET', `/api/organizations/${organization.id}/resources/job/job-9/holders?limit=10`, {
      cookie,
    });
    expect(holders.json.items.map((user: { id: string }) => user.id)).toEqual([bob.id]);
    const listed = await call(
      'GET',
      `/api/users?organizationId=${organization.id}&status=pending&resourceType=instance&resourceId=inst-1`,
      { cookie },
    );
    expect(listed.json.items.map((user: { id: string }) => user.id)).toEqual([bob.id]);
    const revoked = await call('DELETE', `/api/users/${bob.id}/resources/instance/inst-1`, { cookie });
    expect(revoked.json.resourceAccess).toEqual({ job: 'all' });
    const unlicensed = await call('PUT', `/api/users/${bob.id}/resources/project/apollo`, { cookie });
    expect([unlicensed.status, unlicensed.json.error.code]).toEqual([422, 'RESOURCE_UNAVAILABLE']);
    await call('PUT', `/api/users/${bob.id}/resources/instance/inst-2`, { cookie });
    const forgotten = await call('DELETE', `/api/organizations/${organization.id}/resources/instance/inst-2`, {
      cookie,
    });
    expect(forgotten.json).toEqual({ revoked: 1 });
    const bad = await call('PATCH', `/api/users/${bob.id}`, {
      cookie,
      body: { fields: { picture: 'http://x.test/a.png' } },
    });
    expect([bad.status, bad.json.error.details.issues[0].path]).toEqual([400, 'fields.picture']);
  });

  it('documents the routes with the operations’ own schemas', async () => {
    const { call } = await httpFixture({}, { resources, fields });
    const { json } = await call('GET', '/api/openapi.json');
    expect(Object.keys(json.paths)).toEqual(
      expect.arrayContaining([
        '/users/{userId}/resources/{type}',
        '/users/{userId}/resources/{type}/{resourceId}',
        '/organizations/{organizationId}/resources/{type}/{resourceId}/holders',
      ]),
    );
    const parameters = json.paths['/users'].get.parameters.map((parameter: { name: string }) => parameter.name);
    expect(parameters).toEqual(expect.arrayContaining(['resourceType', 'resourceId', 'search']));
  });
});
