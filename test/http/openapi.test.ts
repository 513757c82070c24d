import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { httpStatusOfCode } from '../../src/http/index.js';
import { errorCodes } from '../../src/index.js';
import { httpFixture } from './support.js';

interface Operation {
  operationId: string;
  security: unknown[];
  parameters?: { name: string; in: string; required: boolean; schema: Record<string, unknown> }[];
  requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
  responses: Record<string, unknown>;
}

async function documentOf() {
  const { call } = await httpFixture();
  const { status, json } = await call('GET', '/api/openapi.json');
  expect(status).toBe(200);
  const operations: Operation[] = Object.values(json.paths as Record<string, Record<string, Operation>>).flatMap(
    (methods) => Object.values(methods),
  );
  return {
    document: json,
    operations,
    byId: new Map(operations.map((operation) => [operation.operationId, operation])),
  };
}

describe('fetch handler: the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const { document } = await documentOf();
    expect(document.openapi).toBe('3.1.0');
    const result = await new Validator().validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('has an operation for every auth flow and every actor operation', async () => {
    const { byId } = await documentOf();
    const expected = [
      ...['signIn', 'completePasswordChange', 'validateSession', 'signOut', 'changePassword'].map(
        (name) => `auth.${name}`,
      ),
      ...['requestPasswordReset', 'resetPassword', 'inspectInvitation', 'acceptInvitation'].map(
        (name) => `auth.${name}`,
      ),
      ...['issueAccessToken', 'getJwks'].map((name) => `auth.${name}`),
      ...['verifySecondFactor', 'enrollTotp', 'confirmTotp', 'enrollTotpForSignIn', 'confirmTotpForSignIn'].map(
        (name) => `auth.${name}`,
      ),
      ...['listFactors', 'removeFactor', 'regenerateRecoveryCodes'].map((name) => `auth.${name}`),
      ...['passkeyRegistrationOptions', 'registerPasskey', 'passkeyOptions', 'verifyPasskey'].map(
        (name) => `auth.${name}`,
      ),
      ...['passkeyRegistrationOptionsForSignIn', 'registerPasskeyForSignIn'].map((name) => `auth.${name}`),
      'organizations.setSecurityPolicy',
      ...['factors', 'resetFactors'].map((name) => `users.${name}`),
      ...['create', 'get', 'list', 'update', 'setFeatures', 'setAllowedRoles', 'setContactPerson'].map(
        (name) => `organizations.${name}`,
      ),
      ...['add', 'get', 'list', 'update', 'changeEmail', 'setAccess', 'disable', 'enable', 'unlock'].map(
        (name) => `users.${name}`,
      ),
      ...['setExpiry', 'erase', 'invalidateSessions', 'sessions', 'revokeSession', 'resetPassword'].map(
        (name) => `users.${name}`,
      ),
      ...['setResourceAccess', 'grantResource', 'revokeResource'].map((name) => `users.${name}`),
      ...['holders', 'forget'].map((name) => `resources.${name}`),
      ...['send', 'createLink', 'inviteByEmail'].map((name) => `invitations.${name}`),
      ...['list', 'createCustom', 'deleteCustom'].map((name) => `roles.${name}`),
      'permissions.list',
      'audit.list',
      'audit.export',
      ...['run', 'list', 'get'].map((name) => `imports.${name}`),
      ...['add', 'verify', 'list', 'remove'].map((name) => `domains.${name}`),
      ...['createConnection', 'list', 'update', 'remove'].map((name) => `sso.${name}`),
      ...['discover', 'beginSso', 'completeSso'].map((name) => `auth.${name}`),
      'importTemplate',
    ];
    expect([...byId.keys()].sort()).toEqual(expected.sort());
    // Two routes of one operation (enrolling by session or by a waiting sign-in) have ids of their own.
    const { operations } = await documentOf();
    expect(byId.size).toBe(operations.length);
  });

  it('describes bodies and query parameters from the schemas the library parses them with', async () => {
    const { byId } = await documentOf();
    const add = byId.get('users.add') as Operation;
    const addSchema = add.requestBody?.content['application/json']?.schema as {
      required: string[];
      properties: Record<string, { maxLength?: number }>;
      additionalProperties: boolean;
    };
    expect(addSchema.required).toEqual(expect.arrayContaining(['organizationId', 'email', 'firstName', 'lastName']));
    expect(addSchema.properties.firstName?.maxLength).toBe(200);
    expect(addSchema.additionalProperties).toBe(false);

    const list = byId.get('users.list') as Operation;
    const parameters = new Map(list.parameters?.map((parameter) => [parameter.name, parameter]));
    expect(parameters.get('organizationId')?.required).toBe(true);
    expect(parameters.get('limit')?.schema).toMatchObject({ type: 'integer', maximum: 200, default: 50 });
    expect(parameters.get('roles')).toMatchObject({ required: false, style: 'form', explode: true });

    const setAccess = byId.get('users.setAccess') as Operation;
    expect(setAccess.parameters?.map((parameter) => [parameter.name, parameter.in])).toEqual([['userId', 'path']]);
    expect(byId.get('auth.signIn')?.security).toEqual([]);
    expect(byId.get('users.get')?.security).toEqual([{ bearer: [] }, { cookie: [] }]);
    expect(Object.keys((byId.get('imports.run') as Operation).requestBody?.content ?? {})).toEqual(['text/csv']);
  });

  it('maps every error code to an HTTP status', () => {
    for (const code of errorCodes) expect(httpStatusOfCode[code], code).toBeGreaterThanOrEqual(400);
    expect(httpStatusOfCode).toMatchObject({
      VALIDATION_FAILED: 400,
      NOT_FOUND: 404,
      FORBIDDEN: 403,
      INVALID_CREDENTIALS: 401,
      EMAIL_TAKEN: 409,
      LAST_ADMIN: 409,
      CONFLICT: 409,
    });
  });
});
