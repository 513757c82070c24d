import { generateKeyPair, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';

/** A user the test provider knows, and the claims it states about them. */
export interface OidcTestAccount {
  id: string;
  email: string;
  emailVerified?: boolean;
  givenName: string;
  familyName: string;
  groups?: string[];
  /** How the provider says it authenticated the user (the ID token's `amr`). */
  amr?: string[];
}

/** A relying party registered at the test provider (it authenticates with client_secret_basic, the default). */
export interface OidcTestClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
}

/** What {@link startOidcProvider} runs. */
export interface OidcTestProviderOptions {
  accounts: readonly OidcTestAccount[];
  clients: readonly OidcTestClient[];
  /** Default 0: a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /**
   * Keep how long each request took, for {@link OidcTestProvider.timings}; default false, so that a provider
   * running for long keeps nothing.
   */
  recordTimings?: boolean;
}

/** A running OpenID provider on loopback, over plain HTTP. */
export interface OidcTestProvider {
  /** The issuer identifier, e.g. `http://127.0.0.1:49152`. */
  issuer: string;
  /** Signs `accountId` in at the provider's login and consent pages; answers the callback URL the browser is sent to. */
  signIn(authorizationUrl: string, accountId: string): Promise<string>;
  /** From now on the provider signs with a new key; it still publishes the old ones, as a provider rotating keys does. */
  rotateKeys(): Promise<void>;
  /** How many requests so far had a path starting with `path`, e.g. `/jwks` or `/.well-known/openid-configuration`. */
  requests(path: string): number;
  /**
   * With `recordTimings`, how long each request with a path starting with `path` took, in milliseconds, in the
   * order they came: from the request (its headers read) to the response's last byte handed to the socket.
   */
  timings(path: string): number[];
  close(): Promise<void>;
}

/** The part of oidc-provider's API this helper uses. */
interface ProviderInstance {
  callback(): (request: IncomingMessage, response: ServerResponse) => void;
  interactionFinished(request: unknown, response: unknown, result: InteractionResult, options?: unknown): Promise<void>;
}
interface InteractionResult {
  login?: { accountId: string; amr?: string[] };
  [step: string]: unknown;
}
type ProviderConstructor = new (issuer: string, configuration: Record<string, unknown>) => ProviderInstance;

/**
 * What oidc-provider prints on console.warn, with no option to keep quiet: once on loading on a Node.js release
 * older than it supports, and on every start about the quick start features this helper uses on purpose.
 */
const expectedWarnings = [
  'oidc-provider WARNING: Unsupported runtime.',
  'oidc-provider WARNING: a quick start development-only in-memory adapter is used,',
  'oidc-provider WARNING: a quick start development-only feature devInteractions is enabled,',
];

/** Leaves the expected warnings out of console.warn, and prints every other, until the returned function is called. */
function muteExpectedWarnings(): () => void {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    const [message] = args;
    if (typeof message !== 'string' || !expectedWarnings.some((expected) => message.includes(expected))) {
      warn.apply(console, args);
    }
  };
  return () => {
    console.warn = warn;
  };
}

let loadedProvider: Promise<ProviderConstructor> | undefined;

/** oidc-provider, loaded at the first start so that its warning about the runtime can be left out. */
function loadProvider(): Promise<ProviderConstructor> {
  if (!loadedProvider) {
    const unmute = muteExpectedWarnings();
    // @ts-expect-error oidc-provider ships no type declarations; the little used here is typed above.
    const loading: Promise<{ default: ProviderConstructor }> = import('oidc-provider');
    loadedProvider = loading.then((module) => module.default).finally(unmute);
  }
  return loadedProvider;
}

const generateKeyPairAsync = promisify(generateKeyPair);

async function newSigningKey(): Promise<Record<string, unknown>> {
  const { privateKey } = await generateKeyPairAsync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'RS256', use: 'sig' };
}

function accountClaims(account: OidcTestAccount): Record<string, unknown> {
  return {
    sub: account.id,
    email: account.email,
    email_verified: account.emailVerified ?? false,
    given_name: account.givenName,
    family_name: account.familyName,
    groups: account.groups ?? [],
  };
}

/**
 * Starts oidc-provider on loopback with the given accounts and clients: the
 * code flow with PKCE required, the accounts' claims in the ID token, and
 * the development login and consent pages, which {@link OidcTestProvider.signIn}
 * fills in over real HTTP.
 */
export async function startOidcProvider(options: OidcTestProviderOptions): Promise<OidcTestProvider> {
  const OidcProvider = await loadProvider();
  const accounts = new Map(options.accounts.map((account) => [account.id, account]));
  const cookieKeys = [randomBytes(32).toString('base64url')];
  let handle: ((request: IncomingMessage, response: ServerResponse) => void) | undefined;
  const requestsByPath = new Map<string, number>();
  const timed: { path: string; ms: number }[] = [];

  const server = createServer((request, response) => {
    const started = performance.now();
    const path = new URL(request.url ?? '/', 'http://provider').pathname;
    requestsByPath.set(path, (requestsByPath.get(path) ?? 0) + 1);
    if (options.recordTimings) response.once('finish', () => timed.push({ path, ms: performance.now() - started }));
    if (handle) handle(request, response);
    else response.writeHead(503).end();
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const issuer = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  // oidc-provider fixes its keys when it is made, so a rotation swaps in a
  // provider with the new key first (the one it signs with) behind the same
  // server and issuer. Its in-memory store is shared by every instance, so
  // codes and sessions made before the rotation stay good.
  let keys = [await newSigningKey()];
  const serve = () => {
    const configuration = {
      clients: options.clients.map((client) => ({
        client_id: client.clientId,
        client_secret: client.clientSecret,
        redirect_uris: client.redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
      })),
      findAccount: async (_context: unknown, id: string) => {
        const account = accounts.get(id);
        return account && { accountId: id, claims: async () => accountClaims(account) };
      },
      // oidc-provider states amr only where the request's claims parameter asks for it;
      // providers commonly send it with every ID token, so it comes with the openid scope.
      claims: {
        acr: null,
        auth_time: null,
        iss: null,
        sid: null,
        openid: ['sub', 'amr'],
        email: ['email', 'email_verified'],
        profile: ['given_name', 'family_name'],
        groups: ['groups'],
      },
      // The scopes' claims go into the ID token itself, as most providers put them.
      conformIdTokenClaims: false,
      features: { devInteractions: { enabled: true } },
      pkce: { required: () => true },
      jwks: { keys },
      cookies: { keys: cookieKeys },
      ttl: { AccessToken: 3600, AuthorizationCode: 60, Grant: 3600, IdToken: 3600, Interaction: 600, Session: 3600 },
    };
    const unmute = muteExpectedWarnings();
    let provider: ProviderInstance;
    try {
      provider = new OidcProvider(issuer, configuration);
    } finally {
      unmute();
    }
    // The development login takes an account id only; a real provider also
    // says how it authenticated the user, so the account's amr joins the login.
    const finish = provider.interactionFinished.bind(provider);
    provider.interactionFinished = (request, response, result, finishOptions) => {
      const amr = result.login && accounts.get(result.login.accountId)?.amr;
      const withAmr = result.login && amr ? { ...result, login: { ...result.login, amr } } : result;
      return finish(request, response, withAmr, finishOptions);
    };
    handle = provider.callback();
  };
  serve();

  return {
    issuer,
    signIn: (authorizationUrl, accountId) => signInThroughPages(issuer, authorizationUrl, accountId),
    async rotateKeys() {
      keys = [await newSigningKey(), ...keys];
      serve();
    },
    requests: (path) =>
      [...requestsByPath].reduce((count, [requested, times]) => count + (requested.startsWith(path) ? times : 0), 0),
    timings: (path) => timed.filter((entry) => entry.path.startsWith(path)).map((entry) => entry.ms),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** The cookies a browser keeps for one origin; paths and expiry beyond deletion do not matter here. */
class CookieJar {
  readonly #cookies = new Map<string, string>();

  store(response: Response): void {
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = cookie.split(';');
      const separator = pair.indexOf('=');
      const name = pair.slice(0, separator).trim();
      const value = pair.slice(separator + 1).trim();
      const expired = attributes.some((attribute) => {
        const [key = '', date = ''] = attribute.split('=');
        return key.trim().toLowerCase() === 'expires' && Date.parse(date) <= Date.now();
      });
      if (expired || value === '') this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

const pageLimit = 20;

/**
 * Plays the browser: follows the provider's redirects, answers its login page
 * with `accountId` and its consent page with yes, and stops at the first
 * redirect that leaves the provider, the callback to the relying party.
 */
async function signInThroughPages(issuer: string, authorizationUrl: string, accountId: string): Promise<string> {
  const origin = new URL(issuer).origin;
  const jar = new CookieJar();
  const request = async (url: string, form?: URLSearchParams) => {
    const response = await fetch(url, {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: { cookie: jar.header(), ...(form && { 'content-type': 'application/x-www-form-urlencoded' }) },
      ...(form && { body: form.toString() }),
    });
    jar.store(response);
    return response;
  };

  let response = await request(authorizationUrl);
  for (let page = 0; page < pageLimit; page += 1) {
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel();
      const next = new URL(location, response.url || origin);
      if (next.origin !== origin) return next.href;
      response = await request(next.href);
      continue;
    }
    const html = await response.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1]?.replaceAll('&amp;', '&');
    const prompt = /name="prompt" value="([^"]+)"/.exec(html)?.[1];
    if (response.status !== 200 || !action || !prompt) {
      throw new Error(`The provider answered ${response.status} without a sign-in form: ${html.slice(0, 500)}`);
    }
    const form = new URLSearchParams({ prompt });
    if (prompt === 'login') {
      form.set('login', accountId);
      form.set('password', 'any');
    }
    response = await request(new URL(action, origin).href, form);
  }
  throw new Error(`The sign-in did not reach the callback within ${pageLimit} pages`);
}
