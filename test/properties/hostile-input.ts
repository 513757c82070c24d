import fc from 'fast-check';

/** Characters no name, id or stored string may hold as they are: NUL, unpaired surrogates, controls, bidi overrides. */
const hostileCharacter = fc.constantFrom(
  '\u0000',
  '\uD800',
  '\uDBFF',
  '\uDC00',
  '\uDFFF',
  '\u202A',
  '\u202E',
  '\u2066',
  '\u2069',
  '\r',
  '\n',
  '\t',
  '\u0085',
  '\u001B',
  '\u007F',
);
const ordinaryCharacter = fc.constantFrom('a', 'Z', '7', ' ', '.', '-', '+', '@', 'é', 'ß', '李', '😀');
const mixedCharacter = fc.oneof(hostileCharacter, ordinaryCharacter);

/** Short strings mixing ordinary and hostile characters. */
export const hostileText = fc.string({ unit: mixedCharacter, minLength: 1, maxLength: 10 });

/** Any string a caller might send: hostile, printable ASCII, or any code point at all. */
export const anyText = fc.oneof(
  hostileText,
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 10 }),
);

/** Arrays or objects nested 20 to 3,000 levels deep around a string. */
export const deeplyNested = fc
  .record({ depth: fc.integer({ min: 20, max: 3_000 }), asArray: fc.boolean(), leaf: anyText })
  .map(({ depth, asArray, leaf }) => {
    let value: unknown = leaf;
    for (let level = 0; level < depth; level++) value = asArray ? [value] : { a: value };
    return value;
  });

/** JSON whose strings and keys may be hostile, and now and then nested far too deep. */
export const hostileJson = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3, stringUnit: mixedCharacter }) },
  { weight: 1, arbitrary: deeplyNested },
);

/** What a generated call needs to know of the installation it runs against. */
export interface Known {
  organizationId: string;
  userIds: string[];
  emails: string[];
  password: string;
  sessionToken: string;
}

/** One call of the public API: `space` is an `um.as(actor)` namespace, or `auth` for `um.auth`. */
export interface Call {
  space: string;
  method: string;
  args: unknown[];
}

const call = (space: string, method: string, ...args: fc.Arbitrary<unknown>[]): fc.Arbitrary<Call> =>
  fc.tuple(...args).map((values) => ({ space, method, args: values }));

/**
 * Calls shaped like real ones, right but for a hostile string, a deep nest or
 * a wrong value here and there, so that they get past the first check and
 * reach the flows and storage.
 */
export function shapedCall(known: Known): fc.Arbitrary<Call> {
  const [bobId] = known.userIds.slice(-1);
  // Mostly good values, so that whole calls succeed too; now and then a bad one.
  const mostly = <T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<unknown>) =>
    fc.oneof({ weight: 3, arbitrary: good }, { weight: 1, arbitrary: bad });
  const id = fc.oneof(fc.constantFrom(known.organizationId, ...known.userIds), anyText, deeplyNested);
  const organizationId = mostly(fc.constant(known.organizationId), anyText);
  const email = fc.oneof(
    fc.stringMatching(/^[a-z][a-z.]{0,8}[a-z]$/u).map((local) => `${local}@acme.example`),
    fc.constantFrom(...known.emails, `erased+${bobId}@erased.invalid`, `ERASED+${bobId}@ERASED.INVALID`, '+@x.example'),
    anyText.map((local) => `${local}@acme.example`),
  );
  const name = mostly(fc.constantFrom('Ann', 'Zoë', "O'Brien", '李 Wei', 'Łukasz'), anyText);
  const text = mostly(fc.constantFrom('+49 30 1234', 'Berlin', 'dd.MM.yyyy'), anyText);
  const secret = fc.oneof(
    fc.constant(known.password),
    anyText.map((text) => `a long passphrase ${text}`),
    anyText,
  );
  const token = fc.oneof(fc.constant(known.sessionToken), anyText);
  const person = fc.record(
    { email, firstName: name, lastName: name, phone: text, invite: fc.boolean() },
    { requiredKeys: ['email', 'firstName', 'lastName'] },
  );
  const address = fc.record({ line1: name, city: name, country: fc.constantFrom('DE', 'France'), region: text });
  const profile = fc.record(
    { phone: text, website: text, addresses: fc.record({ legal: address }) },
    { requiredKeys: [] },
  );
  const attributes = mostly(
    fc.dictionary(fc.constantFrom('version', 'tier', 'ünïcode'), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 2 }),
    fc.oneof(fc.dictionary(anyText, hostileJson, { maxKeys: 3 }), deeplyNested),
  );
  const preferences = fc.record(
    { locale: mostly(fc.constant('de-DE'), anyText), dateFormat: text, numberFormat: text },
    { requiredKeys: [] },
  );
  const csvRows = fc.array(fc.tuple(email, name, name), { maxLength: 4 });
  const csv = fc.oneof(
    csvRows.map((rows) => ['email,first_name,last_name', ...rows.map((row) => row.join(','))].join('\n')),
    fc.constantFrom<unknown>(42, null, undefined, {}, [], true),
    deeplyNested,
  );
  const some = (shape: Record<string, fc.Arbitrary<unknown>>) => fc.record(shape, { requiredKeys: [] });
  return fc.oneof(
    call(
      'organizations',
      'create',
      fc.record({ name, firstUser: person, profile, attributes }, { requiredKeys: ['name', 'firstUser'] }),
    ),
    call('organizations', 'get', id),
    call('organizations', 'list', some({ partnerId: id, parentId: id })),
    call('organizations', 'update', id, some({ name, profile, attributes })),
    call(
      'users',
      'add',
      fc
        .tuple(organizationId, person, preferences)
        .map(([at, who, prefs]) => ({ organizationId: at, ...who, preferences: prefs })),
    ),
    call('users', 'get', id),
    call('users', 'update', id, some({ firstName: name, lastName: name, phone: anyText, preferences })),
    call('users', 'changeEmail', id, email),
    call(
      'users',
      'list',
      fc.record({ organizationId, search: anyText, cursor: anyText }, { requiredKeys: ['organizationId'] }),
    ),
    call(
      'users',
      'setAccess',
      id,
      some({ roles: fc.array(fc.oneof(fc.constant('basic'), anyText), { maxLength: 2 }) }),
    ),
    call('users', 'erase', id),
    call('users', 'resetPassword', id, fc.record({ mode: fc.constant('temporary'), password: secret })),
    call(
      'invitations',
      'inviteByEmail',
      fc.record({ organizationId, emails: fc.array(email, { minLength: 1, maxLength: 3 }), send: fc.boolean() }),
    ),
    call(
      'roles',
      'createCustom',
      organizationId,
      fc.record({ key: anyText, label: name, permissions: fc.constant([]) }),
    ),
    call('roles', 'deleteCustom', organizationId, anyText),
    call(
      'audit',
      'list',
      fc.record({ organizationId, action: anyText, targetId: id }, { requiredKeys: ['organizationId'] }),
    ),
    call('imports', 'run', fc.record({ organizationId, csv })),
    call(
      'auth',
      'signIn',
      fc.record({ email, password: secret, ip: anyText, userAgent: anyText }, { requiredKeys: ['email', 'password'] }),
    ),
    call('auth', 'requestPasswordReset', fc.record({ email })),
    call('auth', 'resetPassword', fc.record({ token, newPassword: secret })),
    call('auth', 'changePassword', fc.record({ sessionToken: token, currentPassword: secret, newPassword: secret })),
    call('auth', 'validateSession', token),
    call('auth', 'acceptInvitation', fc.record({ token, password: secret, acceptTerms: fc.boolean() })),
  );
}
