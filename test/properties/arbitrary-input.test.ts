import fc from 'fast-check';
import { exportJWK, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { type DnsResolver, TenantryError } from '../../src/index.js';
import { fields } from '../scenarios/profile-fields.js';
import { resources } from '../scenarios/resources.js';
import { embeddedStorages, type MakeDumpedStorage } from '../support/dumped-storages.js';
import { makeTenantry, person, sessionOf } from '../support/tenantry.js';
import { anyText, type Call, deeplyNested, hostileJson, type Known, shapedCall } from './hostile-input.js';

const actorMethods: [space: string, method: string][] = [
  ['organizations', 'create'],
  ['organizations', 'get'],
  ['organizations', 'list'],
  ['organizations', 'update'],
  ['organizations', 'setFeatures'],
  ['organizations', 'setAllowedRoles'],
  ['organizations', 'setContactPerson'],
  ['organizations', 'setSecurityPolicy'],
  ['users', 'add'],
  ['users', 'get'],
  ['users', 'list'],
  ['users', 'update'],
  ['users', 'changeEmail'],
  ['users', 'setAccess'],
  ['users', 'disable'],
  ['users', 'enable'],
  ['users', 'unlock'],
  ['users', 'setExpiry'],
  ['users', 'erase'],
  ['users', 'invalidateSessions'],
  ['users', 'resetPassword'],
  ['users', 'factors'],
  ['users', 'resetFactors'],
  ['users', 'setResourceAccess'],
  ['users', 'grantResource'],
  ['users', 'revokeResource'],
  ['resources', 'holders'],
  ['resources', 'forget'],
  ['invitations', 'send'],
  ['invitations', 'createLink'],
  ['invitations', 'inviteByEmail'],
  ['roles', 'list'],
  ['permissions', 'list'],
  ['roles', 'createCustom'],
  ['roles', 'deleteCustom'],
  ['audit', 'list'],
  ['imports', 'run'],
  ['imports', 'list'],
  ['imports', 'get'],
  ['domains', 'add'],
  ['domains', 'verify'],
  ['domains', 'list'],
  ['domains', 'remove'],
  ['sso', 'createConnection'],
  ['sso', 'list'],
  ['sso', 'update'],
  ['sso', 'remove'],
];

const authMethods = [
  'signIn',
  'completePasswordChange',
  'requestPasswordReset',
  'resetPassword',
  'changePassword',
  'validateSession',
  'signOut',
  'issueAccessToken',
  'verifyAccessToken',
  'getJwks',
  'inspectInvitation',
  'acceptInvitation',
  'verifySecondFactor',
  'enrollTotp',
  'confirmTotp',
  'listFactors',
  'removeFactor',
  'regenerateRecoveryCodes',
  'passkeyRegistrationOptions',
  'registerPasskey',
  'passkeyOptions',
  'verifyPasskey',
  'discover',
  'beginSso',
  'completeSso',
  'ssoMetadata',
];

/**
 * Refusals recorded by design: a failed sign-in (the audit trail, the account's failure count), an address
 * taken elsewhere (the actor's audit trail, so that probing shows) and a domain whose TXT record was not found
 * (`domain.verification-failed`). No other refusal writes anything, but for the calls below.
 */
const recordedWhenRefused = new Set(['INVALID_CREDENTIALS', 'EMAIL_TAKEN', 'DOMAIN_UNVERIFIED']);

/** Refusals recorded by one call only: a failed SSO sign-in (`sso.failed`); an OIDC discovery failing writes nothing. */
const recordedWhenRefusedBy: Record<string, string> = { 'auth.completeSso': 'SSO_FAILED' };

const recorded = ({ space, method }: Call, code: string) =>
  recordedWhenRefused.has(code) || recordedWhenRefusedBy[`${space}.${method}`] === code;

/** DNS that knows no name, at once: domain verifications fail without a query leaving the machine. */
const noDns: DnsResolver = {
  resolveTxt: async (name) => {
    throw Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
  },
};

/** Runs per adapter: enough to reach every method many times, within a few seconds each. */
const runs: Record<string, number> = { memory: 1_000, pglite: 200, sqlite: 1_000 };

const password = 'a long passphrase nobody guesses';

/**
 * Acme with its admin Ann (signed in) and Bob, on the given storage, with access tokens configured, DNS that
 * answers here, and identity providers given 200 ms: an issuer that passes validation is not waited for long.
 */
async function installation(make: MakeDumpedStorage) {
  const { storage, dump } = await make();
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const accessTokens = { privateKey, publicKey: await exportJWK(publicKey), alg: 'EdDSA' as const, issuer: 'portal' };
  const { um, operator, as, mailer } = await makeTenantry(() => storage, {
    accessTokens,
    resources,
    fields,
    dns: noDns,
    sso: { timeoutMs: 200 },
  });
  const { organization, firstUser } = await operator.organizations.create({
    name: 'Acme',
    firstUser: person('Ann', 'Admin'),
  });
  const invitation = new URL(mailer.outbox.at(-1)?.link as string).searchParams.get('token') as string;
  const { token: sessionToken } = sessionOf(await um.auth.acceptInvitation({ token: invitation, password }));
  const { user } = await as(firstUser.id).users.add({
    organizationId: organization.id,
    ...person('Bob', 'Basic'),
    roles: ['basic'],
  });
  const known: Known = {
    organizationId: organization.id,
    userIds: [firstUser.id, user.id],
    emails: [firstUser.email, user.email],
    password,
    sessionToken,
  };
  return { um, dump, known };
}

/** Calls of any method with anything at all as arguments. */
function looseCall({ organizationId, userIds }: Known): fc.Arbitrary<Call> {
  const ids = [organizationId, ...userIds];
  const argument = fc.oneof(
    fc.jsonValue(),
    hostileJson,
    anyText,
    fc.constantFrom(...ids, undefined, null, new Date(Number.NaN), new Date('2030-01-01T00:00:00Z')),
    fc.record(
      { organizationId: fc.constantFrom(...ids), email: anyText, firstName: anyText, csv: anyText },
      { requiredKeys: [] },
    ),
    fc.record(
      { permissions: fc.array(anyText), roles: fc.array(fc.string()), canSignIn: fc.jsonValue() },
      { requiredKeys: [] },
    ),
  );
  const args = fc.array(fc.oneof(argument, fc.constantFrom('instance', 'job', 'all', 'none', { ids: ['i-1'] })), {
    maxLength: 3,
  });
  return fc.oneof(
    fc
      .tuple(fc.constantFrom(...actorMethods), args)
      .map(([[space, method], values]) => ({ space, method, args: values })),
    fc
      .tuple(fc.constantFrom(...authMethods), args)
      .map(([method, values]) => ({ space: 'auth', method, args: values })),
  );
}

function actorOf({ userIds }: Known): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.constantFrom<unknown>({ type: 'operator' }, ...userIds.map((userId) => ({ type: 'user', userId }))),
    anyText.map((userId) => ({ type: 'user', userId })),
    fc.jsonValue(),
    deeplyNested,
  );
}

type Methods = Record<string, (...values: unknown[]) => Promise<unknown>>;

for (const [name, make] of embeddedStorages) {
  describe(`${name}: arbitrary input`, () => {
    it('yields only TenantryErrors, and a refused call changes nothing', async () => {
      const { um, dump, known } = await installation(make);
      await fc.assert(
        fc.asyncProperty(fc.oneof(looseCall(known), shapedCall(known)), actorOf(known), async (call, who) => {
          const before = await dump();
          try {
            const space =
              call.space === 'auth' ? um.auth : (um.as(who as never) as unknown as Record<string, unknown>)[call.space];
            await (space as unknown as Methods)[call.method]?.(...call.args);
          } catch (error) {
            if (!(error instanceof TenantryError)) throw error;
            expect(error.code).toMatch(/^[A-Z_]+$/);
            if (!recorded(call, error.code)) expect(await dump()).toEqual(before);
          }
        }),
        { numRuns: runs[name] ?? 300 },
      );
      // A bound on a fixed number of runs, not a timing: PGlite's 200 took 32 s on a loaded two-core machine.
    }, 120_000);
  });
}
