/**
 * Single sign-on: what `auth.completeSso` costs beyond the identity provider, on the memory adapter (and on a
 * PostgreSQL server where DATABASE_URL names one). SAML's completion asks no provider: the response is validated
 * here, signature included, so the call is tenantry's and node-saml's, and each response is validated again after
 * its call, timed on its own. OIDC's completion exchanges the code at the provider's token endpoint (a local
 * oidc-provider on loopback): the provider's share is that request's time at the provider, from its headers read
 * to its response sent. What the target holds is the call less that part, call by call. Each state is
 * single-use, so every call gets a sign-in of its own begun (for OIDC, also signed in at the provider's pages)
 * before the calls are timed, one after another.
 */
import { type Storage, UserManagement } from '../dist/index.js';
import { memoryMailer, memoryStorage } from '../dist/memory.js';
// The validation alone, from the sources the package is built from: it is not exported.
import { claimedRequestId, parseIdpMetadata, validateSamlResponse } from '../src/sso/saml.js';
import { startDnsServer, type TestDnsServer } from '../test/support/dns-server.js';
import { type OidcTestProvider, startOidcProvider } from '../test/support/oidc-provider.js';
import { type SamlTestIdp, startSamlIdp } from '../test/support/saml-idp.js';
import { withServer } from './databases.js';
import { noHashing, permissions, roles } from './fixtures.js';
import type { Budget, Measurement } from './harness.js';
import { type Counts, type Rounds, rowsOf, timeOneShot } from './one-shot.js';

const baseUrl = 'https://portal.example.test';
const clientId = 'portal';
const clientSecret = 'a client secret only the portal and the provider know';
/** Returning users signed in in turn, so that no one user's sessions pile up over the hundreds of calls. */
const RETURNING = 16;
/** What a portal passes from the request: the rate limits on failures read the client's allowance. */
const client = { ip: '203.0.113.7', userAgent: 'bench' };

/** A person at a provider: returning users (`ret…`) in a group the connections map to a role, newcomers in none. */
const person = (name: string, domain: string) => ({
  email: `${name}@${domain}`,
  givenName: name.replace(/\d+$/u, ''),
  familyName: 'Bench',
  groups: name.startsWith('ret') ? ['portal-editors'] : [],
});

/** The OIDC provider's accounts: the returning users, and enough newcomers for every call that creates one. */
function oidcAccounts(newcomers: number) {
  const names = [
    ...Array.from({ length: RETURNING }, (_, index) => `ret${index}`),
    ...Array.from({ length: newcomers }, (_, index) => `new${index}`),
  ];
  return names.map((name) => ({ id: name, emailVerified: true, ...person(name, 'fabrikam.test') }));
}

/**
 * An installation on `storage` (rate limits on, as by default) with two companies, each with its
 * domain verified through the test DNS server: Contoso signs in through SAML, Fabrikam through OIDC, both
 * mapping a group to a role.
 */
async function installation(storage: Storage, dns: TestDnsServer, saml: SamlTestIdp, oidc: OidcTestProvider) {
  const um = new UserManagement({
    storage,
    mailer: memoryMailer(),
    permissions,
    roles,
    passwordHasher: noHashing,
    encryptionKeys: [{ id: 'bench', key: new Uint8Array(32).fill(1) }],
    dns: dns.resolver(),
    sso: { allowInsecureLoopback: true },
    links: { baseUrl },
  });
  const operator = um.as({ type: 'operator' });
  const company = async (name: string, domain: string) => {
    const { organization, firstUser } = await operator.organizations.create({
      name,
      firstUser: { email: `ann@${domain}`, firstName: 'Ann', lastName: 'Admin', invite: false },
    });
    const admin = um.as({ type: 'user', userId: firstUser.id });
    const claim = await admin.domains.add(organization.id, domain);
    dns.setTxt(claim.verification.recordName, [claim.verification.recordValue]);
    await admin.domains.verify(organization.id, domain);
    return { organization, admin };
  };
  const access = {
    roleMapping: { claim: 'groups', map: { 'portal-editors': { roles: ['advanced'], permissions: [] } } },
    defaultAccess: { roles: ['basic'], permissions: [] },
  };
  const contoso = await company('Contoso', 'contoso.test');
  const samlConnection = await contoso.admin.sso.createConnection(
    contoso.organization.id,
    { type: 'saml', idpMetadataXml: saml.metadataXml },
    access,
  );
  const fabrikam = await company('Fabrikam', 'fabrikam.test');
  const oidcConnection = await fabrikam.admin.sso.createConnection(
    fabrikam.organization.id,
    { type: 'oidc', issuer: oidc.issuer, clientId, clientSecret, scopes: ['openid', 'email', 'profile', 'groups'] },
    access,
  );
  return { um, saml: samlConnection.id, oidc: oidcConnection.id };
}

/** Rounds of calls that each send one token request, and that request's time at the provider, call by call. */
async function withTokenTimes<Input>(
  provider: OidcTestProvider,
  counts: Counts,
  prepare: (index: number) => Promise<Input>,
  work: (input: Input) => Promise<unknown>,
): Promise<{ whole: Rounds; token: Rounds }> {
  const before = provider.timings('/token').length;
  const [whole = []] = await timeOneShot(counts, prepare, [work]);
  // The warm-up's token requests first, then each round's, in the order of its calls.
  const tokens = provider.timings('/token').slice(before + counts.warmup);
  if (tokens.length !== whole.flat().length) throw new Error(`${tokens.length} token requests, not one a call`);
  const token = whole.map((round, index) => tokens.slice(index * round.length, (index + 1) * round.length));
  return { whole, token: token.map((round) => round.map((taken) => taken * 1e6)) };
}

/**
 * What the provider's timing leaves in an OIDC call: the HTTP client's side of a request on loopback, seen in a
 * bare token request from here (the client authenticated, a made-up code refused), less its time at the provider.
 */
async function clientSide(suite: string, provider: OidcTestProvider, counts: Counts) {
  const authorization = `Basic ${btoa(`${clientId}:${encodeURIComponent(clientSecret)}`)}`;
  const form = { grant_type: 'authorization_code', code: 'made-up', redirect_uri: `${baseUrl}/sso/callback` };
  const request = async () => {
    const response = await fetch(`${provider.issuer}/token`, {
      method: 'POST',
      headers: { authorization },
      body: new URLSearchParams(form),
    });
    if (response.status !== 400) throw new Error(`the provider answered a made-up code with ${response.status}`);
    await response.text();
  };
  const { whole, token } = await withTokenTimes(provider, counts, async () => null, request);
  return rowsOf(suite, whole, token, [
    'OIDC: a bare token request from here (the client authenticated, a made-up code refused)',
    'OIDC: its HTTP client’s side on loopback (the request less its time at the provider)',
  ]);
}

type Installation = Awaited<ReturnType<typeof installation>>;
type SamlInput = { state: string; samlResponse: string; expectedRequestId: string };

/**
 * The cases on one installation: SAML and OIDC completions for returning users (signed in once before, in turn)
 * and for new ones (created just in time), each with the part that is not tenantry's timed beside it.
 */
async function completions(
  suite: string,
  t: Installation,
  idp: SamlTestIdp,
  provider: OidcTestProvider,
  counts: { saml: Counts; oidc: Counts },
): Promise<Measurement[]> {
  const complete = (input: { state: string; samlResponse: string } | { state: string; callbackUrl: string }) =>
    t.um.auth.completeSso({ ...input, ...client });

  // SAML: the sign-in begun and the IdP's signed response built for it, untimed. After each call its response is
  // validated again, timed on its own (node-saml's part: the signature, the conditions; replays are tenantry's).
  const idpSettings = parseIdpMetadata(idp.metadataXml);
  const sp = { acsUrl: `${baseUrl}/sso/acs`, entityId: `${baseUrl}/sso/metadata` };
  const samlFor = async (name: string): Promise<SamlInput> => {
    const { url, state } = await t.um.auth.beginSso({ connectionId: t.saml });
    const { samlResponse } = await idp.respond(url, {
      nameId: `${name}@contoso.test`,
      ...person(name, 'contoso.test'),
    });
    return { state, samlResponse, expectedRequestId: claimedRequestId(samlResponse) as string };
  };
  const validate = ({ samlResponse, expectedRequestId }: SamlInput) =>
    validateSamlResponse(idpSettings, sp, { samlResponse, expectedRequestId });
  const samlCompletion = ({ state, samlResponse }: SamlInput) => complete({ state, samlResponse });
  for (let index = 0; index < RETURNING; index++) await samlCompletion(await samlFor(`ret${index}`));
  const samlCase = (name: (index: number) => string) =>
    timeOneShot(counts.saml, (index) => samlFor(name(index)), [samlCompletion, validate]);
  const [samlBack = [], validation = []] = await samlCase((index) => `ret${index % RETURNING}`);
  const [samlNew = [], newValidation = []] = await samlCase((index) => `new${index}`);

  // OIDC: the sign-in begun and signed in at the provider's pages, to the callback URL, untimed.
  const oidcFor = async (account: string) => {
    const { url, state } = await t.um.auth.beginSso({ connectionId: t.oidc });
    return { state, callbackUrl: await provider.signIn(url, account) };
  };
  for (let index = 0; index < RETURNING; index++) await complete(await oidcFor(`ret${index}`));
  const keysBefore = provider.requests('/jwks');
  const oidcBack = await withTokenTimes(provider, counts.oidc, (index) => oidcFor(`ret${index % RETURNING}`), complete);
  const oidcNew = await withTokenTimes(provider, counts.oidc, (index) => oidcFor(`new${index}`), complete);
  const keysFetched = provider.requests('/jwks') - keysBefore;

  const validated = 'its response’s validation';
  const saml = rowsOf(suite, samlBack, validation, [
    'SAML completeSso, a returning user (to its session)',
    `SAML completeSso, a returning user, beyond ${validated}`,
    'SAML: its response’s validation alone (node-saml, the same response again after the call)',
  ]);
  const samlCreated = rowsOf(suite, samlNew, newValidation, [
    'SAML completeSso, a new user (created just in time, to its session)',
    `SAML completeSso, a new user, beyond ${validated}`,
  ]);
  const oidc = rowsOf(suite, oidcBack.whole, oidcBack.token, [
    'OIDC completeSso, a returning user (the token exchange with the provider included)',
    'OIDC completeSso, a returning user, beyond the provider’s round trip',
    'OIDC: the token request at the provider (its share of that call)',
  ]);
  const oidcCreated = rowsOf(suite, oidcNew.whole, oidcNew.token, [
    'OIDC completeSso, a new user (the token exchange included)',
    'OIDC completeSso, a new user, beyond the provider’s round trip',
  ]);
  const share = ([whole, part]: readonly Measurement[]) =>
    `${(((part?.median ?? 0) / (whole?.median ?? 0)) * 100).toFixed(0)} % of the call`;
  (saml[1] as Measurement).note = share(saml);
  (oidc[1] as Measurement).note =
    `${share(oidc)}, from its headers read to its response sent; ` +
    `the provider's keys fetched ${keysFetched} more time(s), after the first sign-ins`;
  const thanReturning = (created: Measurement, returning: Measurement) => {
    const more = created.median - returning.median;
    return `${(Math.abs(more) / 1e6).toFixed(2)} ms ${more < 0 ? 'less' : 'more'} than a returning user`;
  };
  samlCreated[0].note = thanReturning(samlCreated[0], saml[0]);
  oidcCreated[0].note = thanReturning(oidcCreated[0], oidc[0]);
  return [...saml, ...samlCreated, ...oidc, ...oidcCreated];
}

export async function ssoBenchmarks(budget: Budget, databaseUrl: string | undefined): Promise<Measurement[]> {
  const { quick } = budget;
  const times = (warmup: number, samples: number, rounds: number): Counts => ({ warmup, samples, rounds });
  // Each OIDC sign-in goes through the provider's pages first (tens of milliseconds), so fewer of them.
  const memory = {
    saml: quick ? times(5, 15, 2) : times(30, 100, 3),
    oidc: quick ? times(3, 10, 1) : times(10, 30, 2),
  };
  const server = quick ? memory : { saml: times(10, 50, 2), oidc: times(3, 25, 1) };
  const newcomers = Math.max(...[memory, server].map(({ oidc }) => oidc.warmup + oidc.samples * oidc.rounds));
  const [dns, idp, provider] = await Promise.all([
    startDnsServer(),
    startSamlIdp(),
    startOidcProvider({
      accounts: oidcAccounts(newcomers),
      clients: [{ clientId, clientSecret, redirectUris: [`${baseUrl}/sso/callback`] }],
      recordTimings: true,
    }),
  ]);
  try {
    const suite = 'completeSso (memory)';
    const rows = await completions(
      suite,
      await installation(memoryStorage(), dns, idp, provider),
      idp,
      provider,
      memory,
    );
    rows.push(...(await clientSide(suite, provider, quick ? times(5, 20, 1) : times(20, 100, 3))));
    const onServer = await withServer(databaseUrl, async (storage) => {
      const t = await installation(storage, dns, idp, provider);
      return completions('completeSso (PostgreSQL server)', t, idp, provider, server);
    });
    return [...rows, ...(onServer ?? [])];
  } finally {
    await Promise.all([dns.close(), idp.close(), provider.close()]);
  }
}
