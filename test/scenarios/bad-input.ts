import { describe, expect, it } from 'vitest';
import { createFetchHandler } from '../../src/http/index.js';
import { TenantryError } from '../../src/index.js';
import type { JsonValue } from '../../src/schemas/json.js';
import type { MakeDumpedStorage } from '../support/dumped-storages.js';
import { makeTenantry, person } from '../support/tenantry.js';

const NUL = '\u0000';
const LONE_SURROGATE = '\uD800';
/** What no answer may repeat back: controls (NUL, line breaks…), unpaired surrogates, bidirectional controls. */
const ECHOED = /[\p{Cc}\u202A-\u202E\u2066-\u2069\uD800-\uDFFF]/u;

async function installation(make: MakeDumpedStorage) {
  const { storage, dump } = await make();
  const t = await makeTenantry(() => storage);
  const acme = await t.operator.organizations.create({ name: 'Acme', firstUser: person('Ann', 'Admin') });
  const ann = t.as(acme.firstUser.id);
  const { user: bob } = await ann.users.add({
    organizationId: acme.organization.id,
    ...person('Bob', 'Basic'),
    roles: ['basic'],
  });
  return { ...t, dump, ann, bob, organization: acme.organization };
}

/** Each call answers VALIDATION_FAILED without repeating the bad text, and storage and the outbox stay as they were. */
async function expectEachRefusedChangingNothing(
  t: Awaited<ReturnType<typeof installation>>,
  calls: Record<string, () => Promise<unknown>>,
): Promise<void> {
  const before = await t.dump();
  const mails = t.mailer.outbox.length;
  for (const [label, call] of Object.entries(calls)) {
    const error = await Promise.resolve()
      .then(call)
      .then(
        () => null,
        (caught: unknown) => caught,
      );
    expect(error, label).toBeInstanceOf(TenantryError);
    expect((error as TenantryError).code, label).toBe('VALIDATION_FAILED');
    const { message, details } = error as TenantryError;
    expect(message, label).not.toMatch(ECHOED);
    // JSON writes NUL, unpaired surrogates and line breaks as escapes.
    expect(JSON.stringify(details), label).not.toMatch(/\\u0000|\\ud[89a-f]|\\r|\\n|[\u202A-\u202E\u2066-\u2069]/iu);
  }
  expect(await t.dump()).toEqual(before);
  expect(t.mailer.outbox).toHaveLength(mails);
}

function nestedObject(depth: number): JsonValue {
  let value: JsonValue = { leaf: 1 };
  for (let level = 1; level < depth; level++) value = { a: value };
  return value;
}

function nestedArray(depth: number): JsonValue {
  let value: JsonValue = [1];
  for (let level = 1; level < depth; level++) value = [value];
  return value;
}

export function describeBadInput(name: string, make: MakeDumpedStorage): void {
  describe(`${name}: bad input`, () => {
    it.each([
      ['a NUL', NUL],
      ['an unpaired surrogate', LONE_SURROGATE],
    ])(
      'refuses %s in names, phone, organization, profile, attributes, ids, keys, search and secrets, changing nothing',
      async (_, bad) => {
        const t = await installation(make);
        const { operator, ann, bob, organization, um } = t;
        const organizationId = organization.id;
        const address = { line1: `Main St${bad}`, city: 'Berlin', country: 'DE' };
        await expectEachRefusedChangingNothing(t, {
          'organization name': () =>
            operator.organizations.create({ name: `Ac${bad}me`, firstUser: person('Cy', 'Doe') }),
          'first user name': () =>
            operator.organizations.create({
              name: 'Fine',
              firstUser: { ...person('Cy', 'Doe'), lastName: `D${bad}oe` },
            }),
          'first name': () => ann.users.add({ organizationId, ...person('Cy', 'Doe'), firstName: `C${bad}y` }),
          'last name': () => ann.users.add({ organizationId, ...person('Cy', 'Doe'), lastName: `${bad}` }),
          phone: () => ann.users.add({ organizationId, ...person('Cy', 'Doe'), phone: `+49 ${bad}30` }),
          email: () => ann.users.add({ organizationId, ...person('Cy', 'Doe'), email: `cy${bad}@acme.example` }),
          'name update': () => ann.users.update(bob.id, { firstName: `Bo${bad}b` }),
          preferences: () => ann.users.update(bob.id, { preferences: { dateFormat: `dd${bad}MM` } }),
          rename: () => operator.organizations.update(organizationId, { name: `Acme${bad}` }),
          'profile phone': () => operator.organizations.update(organizationId, { profile: { phone: bad } }),
          'profile address': () =>
            operator.organizations.update(organizationId, { profile: { addresses: { legal: address } } }),
          'attribute value': () => operator.organizations.update(organizationId, { attributes: { note: `x${bad}` } }),
          'attribute key': () => operator.organizations.update(organizationId, { attributes: { [`k${bad}`]: 1 } }),
          'nested attribute': () =>
            operator.organizations.update(organizationId, { attributes: { deep: { list: ['ok', bad] } } }),
          'organization id': () => operator.organizations.get(`${organizationId}${bad}`),
          'user id': () => ann.users.get(`${bob.id}${bad}`),
          'user id to disable': () => ann.users.disable(bad),
          'actor id': () => um.as({ type: 'user', userId: `${bob.id}${bad}` }).users.get(bob.id),
          'role key': () => ann.users.setAccess(bob.id, { roles: [`basic${bad}`] }),
          'role label': () => operator.roles.createCustom(organizationId, { key: 'k', label: bad, permissions: [] }),
          search: () => ann.users.list({ organizationId, search: `Bo${bad}` }),
          cursor: () => ann.users.list({ organizationId, cursor: bad }),
          'audit action': () => ann.audit.list({ organizationId, action: `user.${bad}` }),
          'audit target': () => ann.audit.list({ organizationId, targetId: bad }),
          'invited address': () => ann.invitations.inviteByEmail({ organizationId, emails: [`x${bad}@acme.example`] }),
          'sign-in password': () => um.auth.signIn({ email: bob.email, password: `a long passphrase${bad}` }),
          'sign-in client': () => um.auth.signIn({ email: bob.email, password: 'whatever it is', userAgent: bad }),
          'reset token': () => um.auth.resetPassword({ token: bad, newPassword: 'a long passphrase nobody guesses' }),
          'temporary password': () =>
            ann.users.resetPassword(bob.id, { mode: 'temporary', password: `pass${bad}word` }),
        });
      },
    );

    it('refuses control characters and bidirectional overrides in names and other display text', async () => {
      const t = await installation(make);
      const { operator, ann, bob, organization } = t;
      const organizationId = organization.id;
      const calls: Record<string, () => Promise<unknown>> = {};
      for (const [label, bad] of Object.entries({
        CRLF: '\r\n',
        tab: '\t',
        C1: '\u0085',
        RLO: '\u202E',
        RLI: '\u2067',
      })) {
        calls[`${label} in a first name`] = () => ann.users.add({ organizationId, ...person(`Ev${bad}e`, 'Doe') });
        calls[`${label} at the end of a last name`] = () => ann.users.update(bob.id, { lastName: `Basic${bad}` });
        calls[`${label} in a phone`] = () => ann.users.update(bob.id, { phone: `+49${bad}30` });
        calls[`${label} in an organization name`] = () =>
          operator.organizations.update(organizationId, { name: `A${bad}` });
        calls[`${label} in an address line`] = () =>
          operator.organizations.update(organizationId, {
            profile: { addresses: { actual: { line1: `Main${bad}St`, city: 'Berlin', country: 'DE' } } },
          });
        calls[`${label} in a role label`] = () =>
          operator.roles.createCustom(organizationId, { key: 'k', label: `Lab${bad}el`, permissions: [] });
      }
      await expectEachRefusedChangingNothing(t, calls);
      const zoe = { email: 'zoe@acme.example', firstName: 'Zoë', lastName: "O'Brien-Łukasz 李" };
      const { user } = await ann.users.add({ organizationId, ...zoe });
      expect([user.firstName, user.lastName]).toEqual(['Zoë', "O'Brien-Łukasz 李"]);
    });

    it('refuses attributes nested thousands of levels deep before any access check, and keeps 32 levels', async () => {
      const t = await installation(make);
      const { operator, as, bob, organization } = t;
      const deep = nestedObject(3_000);
      expect(JSON.stringify(deep).length).toBeGreaterThan(18_000);
      await expectEachRefusedChangingNothing(t, {
        'by the operator': () => operator.organizations.update(organization.id, { attributes: { deep } }),
        'by a user without the right': () => as(bob.id).organizations.update(organization.id, { attributes: { deep } }),
        'as arrays': () => operator.organizations.update(organization.id, { attributes: { deep: nestedArray(3_000) } }),
        'as a whole input': () => operator.organizations.get(nestedArray(3_000) as never),
        'one level too deep': () =>
          operator.organizations.update(organization.id, { attributes: { deep: nestedObject(33) } }),
      });
      const kept = await operator.organizations.update(organization.id, { attributes: { deep: nestedObject(32) } });
      expect(kept.attributes.deep).toEqual(nestedObject(32));
      expect((await operator.organizations.get(organization.id)).attributes.deep).toEqual(nestedObject(32));
    });

    it('refuses an import source that is not text, bytes, chunks or a stream before anything happens', async () => {
      const t = await installation(make);
      const { ann, as, bob, organization } = t;
      const organizationId = organization.id;
      await expectEachRefusedChangingNothing(t, {
        number: () => ann.imports.run({ organizationId, csv: 42 as never }),
        missing: () => ann.imports.run({ organizationId } as never),
        null: () => ann.imports.run({ organizationId, csv: null as never }),
        'plain object': () => ann.imports.run({ organizationId, csv: {} as never }),
        array: () => ann.imports.run({ organizationId, csv: ['email'] as never }),
        'by a user without the right': () => as(bob.id).imports.run({ organizationId, csv: 42 as never }),
      });
      expect(await ann.imports.list(organizationId)).toEqual([]);
    });

    it('makes a cell with a NUL, an unpaired surrogate or a control character its row’s exception, importing the rest', async () => {
      const { ann, organization } = await installation(make);
      const csv = [
        'email,first_name,last_name,phone',
        'good.one@acme.example,Good,One,',
        `nul@acme.example,Nu${NUL}ll,Row,`,
        `lone@acme.example,Lone,Sur${LONE_SURROGATE}rogate,`,
        `bidi@acme.example,\u202Eevil,Row,`,
        `bad${NUL}mail@acme.example,Bad,Mail,`,
        'phone@acme.example,Phone,Row,+49\u008530',
        'good.two@acme.example,Good,Two,',
      ].join('\n');
      const report = await ann.imports.run({ organizationId: organization.id, csv });
      expect(report.created).toBe(2);
      expect(report.exceptions.map(({ row, email, code }) => [row, email, code])).toEqual([
        [3, 'nul@acme.example', 'VALIDATION_FAILED'],
        [4, 'lone@acme.example', 'VALIDATION_FAILED'],
        [5, 'bidi@acme.example', 'VALIDATION_FAILED'],
        [6, 'bad\uFFFDmail@acme.example', 'VALIDATION_FAILED'],
        [7, 'phone@acme.example', 'VALIDATION_FAILED'],
      ]);
      expect(report.exceptions.map(({ message }) => message.split(':')[0])).toEqual([
        'first_name',
        'last_name',
        'first_name',
        'email',
        'phone',
      ]);
      for (const { message } of report.exceptions) expect(message).not.toMatch(ECHOED);
      expect((await ann.imports.get(report.id)).exceptions).toEqual(report.exceptions);
      const { items } = await ann.users.list({ organizationId: organization.id, status: 'pending', search: 'good' });
      expect(items.map((user) => user.lastName).sort()).toEqual(['One', 'Two']);
    });

    it('answers 400 VALIDATION_FAILED over HTTP for a NUL in a path or a query, changing nothing', async () => {
      const t = await installation(make);
      const handle = createFetchHandler(t.um, { basePath: '/api', authenticate: async () => ({ type: 'operator' }) });
      const before = await t.dump();
      for (const path of [
        '/api/organizations/%00',
        `/api/users/${t.bob.id}%00`,
        `/api/users?organizationId=${t.organization.id}&search=%00`,
      ]) {
        const response = await handle(new Request(`https://portal.example.test${path}`));
        expect(response.status, path).toBe(400);
        const body = (await response.json()) as { error: { code: string; message: string } };
        expect(body.error.code, path).toBe('VALIDATION_FAILED');
        expect(body.error.message, path).not.toMatch(ECHOED);
      }
      expect(await t.dump()).toEqual(before);
    });
  });
}
