import { availableParallelism } from 'node:os';
import { AccessTokenKeys, type AccessTokenOptions } from './access-tokens.js';
import { type ActorApi, actorApi } from './actor-api.js';
import { type AuthApi, authApi } from './auth-api.js';
import { definePermissions, type PermissionCatalog, type RoleCatalog } from './catalog.js';
import { CursorCodec } from './cursor.js';
import { EventBus, type EventHandler } from './events.js';
import { type FieldCatalog, noFields } from './fields.js';
import type { FlowContext } from './flows/context.js';
import { importTemplate } from './import/columns.js';
import { Admission } from './limits/admission.js';
import { AuditSampler } from './limits/audit-sampler.js';
import { memoryRateLimiter } from './limits/memory-rate-limiter.js';
import type { MailTemplates } from './mail/templates.js';
import { type MaintenanceApi, maintenanceApi } from './maintenance-api.js';
import { act, type Orchestra } from './operations/act.js';
import { Courier } from './operations/courier.js';
import type { Operation, OperationResult } from './operations/operation.js';
import { recordMailFailure } from './operations/outbox.js';
import { type OutboxApi, outboxApi } from './outbox-api.js';
import { boundedHasher } from './passwords/bounded-hasher.js';
import { commonPasswordChecker } from './passwords/common-password-checker.js';
import { defaultPasswordHasher } from './passwords/default-hasher.js';
import type { PasswordHasher } from './passwords/password-hasher.js';
import { type Policy, type PolicyInput, resolvePolicy } from './policy.js';
import { type Clock, systemClock } from './ports/clock.js';
import { type DnsResolver, systemDnsResolver } from './ports/dns.js';
import type { Mailer } from './ports/mailer.js';
import type { PasswordChecker } from './ports/password-checker.js';
import type { RateLimiter } from './ports/rate-limiter.js';
import type { Storage } from './ports/storage.js';
import { randomBytes } from './random.js';
import { noResources, type ResourceCatalog } from './resources.js';
import { actorSchema } from './schemas/actor.js';
import { type DomainVerificationOptions, domainVerificationOptionsSchema } from './schemas/domains.js';
import { parseInput } from './schemas/parse.js';
import { type EncryptionKey, SecretBox } from './secrets/secret-box.js';
import { OidcRelyingParty } from './sso/oidc.js';
import type { Actor, AuditEvent } from './types.js';

/** How to build a {@link UserManagement}. */
export interface UserManagementOptions {
  /** Where organizations, users and the audit trail live. */
  storage: Storage;
  /** How mail leaves (through the outbox, after the change that causes it commits). */
  mailer: Mailer;
  /** Where time comes from (default: the system clock). */
  clock?: Clock;
  /**
   * Checks new passwords beyond length: a reason to refuse, or null. Default:
   * {@link commonPasswordChecker} (common passwords, names and words); `null` turns it off.
   */
  passwordChecker?: PasswordChecker | null;
  /**
   * How passwords are hashed (default: {@link defaultPasswordHasher}, argon2id
   * at an OWASP setting, upgrading scrypt hashes at the next sign-in). Hashes
   * in flight are bounded per process by `policy.hashing`.
   */
  passwordHasher?: PasswordHasher;
  /**
   * Allowances of sign-in, password resets and links per client address and
   * account (`policy.rateLimits`). Default: the storage's own, shared by its
   * processes (PostgreSQL, SQLite), else {@link memoryRateLimiter}.
   */
  rateLimiter?: RateLimiter;
  /** The permission catalog (default: only the built-ins). */
  permissions?: PermissionCatalog;
  /** The standard roles (default: none). */
  roles?: RoleCatalog;
  /** The resource types users get access to (`defineResources`; default: none). */
  resources?: ResourceCatalog;
  /** The profile fields of users (`defineUserFields`; default: none). */
  fields?: FieldCatalog;
  /** Where the links in mail point. */
  links?: { baseUrl: string };
  /** Short-lived JWTs for other services (optional). */
  accessTokens?: AccessTokenOptions;
  /** Mail templates to use instead of the defaults, by kind. */
  mailTemplates?: Partial<MailTemplates>;
  /** Security settings and limits. */
  policy?: PolicyInput;
  /**
   * Key that signs page cursors. Set it (≥ 32 bytes) when several processes
   * serve the same installation, so a cursor from one is accepted by another.
   * Default: a random key per instance.
   */
  cursorSecret?: string | Uint8Array;
  /**
   * The installation's encryption keys (AES-256-GCM), the first one sealing,
   * every one opening what it sealed: set the same keys in every process.
   * With them, a mail the outbox sends again (after a crash or a failed
   * attempt) carries the same link; without, a fresh one. Second factors and
   * single sign-on need them.
   */
  encryptionKeys?: readonly EncryptionKey[];
  /**
   * Where new TOTP secrets and recovery codes come from. Default: the
   * operating system's cryptographic random source. Set it in tests only
   * (RFC 6238's test vectors need a known secret).
   */
  randomBytes?: (length: number) => Uint8Array;
  /**
   * Where the TXT records that prove an organization's mail domain are
   * looked up: `node:dns/promises`' shape, e.g. a `Resolver` set to your
   * servers. Default: a `Resolver` on the system's servers with bounded
   * timeouts and tries.
   */
  dns?: DnsResolver;
  /** How domains are verified: the record's prefix (`tenantry-verification`) and the lookup's time limit (5 s). */
  domainVerification?: DomainVerificationOptions;
  /**
   * How tenantry talks to identity providers: `timeoutMs` bounds each request
   * (10 s); `allowInsecureLoopback` lets an OpenID provider on this machine
   * use plain HTTP, for development only (never another host).
   */
  sso?: { timeoutMs?: number; allowInsecureLoopback?: boolean };
  /** Called when an event subscriber throws (default: ignored after `console.error`). */
  onEventError?: (error: unknown, event: AuditEvent) => void;
}

const noRoles: RoleCatalog = { keys: [], roles: new Map() };
const system = { type: 'system' } as const;

/**
 * Tenant user management: organizations, their users, permissions, roles and
 * the audit trail, with every rule enforced in one transaction per call.
 *
 * @example
 * ```ts
 * const um = new UserManagement({ storage: memoryStorage(), mailer: memoryMailer(), permissions, roles });
 * const { organization, firstUser } = await um.as({ type: 'operator' }).organizations.create({
 *   name: 'Acme', firstUser: { email: 'ada@acme.test', firstName: 'Ada', lastName: 'Lovelace' },
 * });
 * await um.as({ type: 'user', userId: firstUser.id }).users.add({
 *   organizationId: organization.id, email: 'grace@acme.test', firstName: 'Grace', lastName: 'Hopper',
 * });
 * ```
 */
export class UserManagement {
  /** The policy in force, defaults applied. */
  readonly policy: Policy;
  /** The password hasher in force. */
  readonly passwordHasher: PasswordHasher;
  /** The public flows: sign-in, sessions, invitations, password resets, access tokens. */
  readonly auth: AuthApi;
  /** What mail and events wait to be handed on, and the means to hand them on (a job, a timer). */
  readonly outbox: OutboxApi;
  /** Housekeeping as the system: `maintenance.purge` removes what the retention policy says is over. */
  readonly maintenance: MaintenanceApi;
  readonly #orchestra: Orchestra;

  constructor(options: UserManagementOptions) {
    this.policy = resolvePolicy(options.policy);
    this.passwordHasher = options.passwordHasher ?? defaultPasswordHasher();
    const hashing = new Admission({
      concurrency: this.policy.hashing.concurrency ?? availableParallelism(),
      maxWaiting: this.policy.hashing.maxWaiting,
      resource: 'password hashing',
    });
    const cursorKey =
      options.cursorSecret === undefined
        ? randomBytes(32)
        : typeof options.cursorSecret === 'string'
          ? new TextEncoder().encode(options.cursorSecret)
          : options.cursorSecret;
    const clock = options.clock ?? systemClock;
    const context: FlowContext = {
      storage: options.storage,
      mailer: options.mailer,
      clock,
      catalog: options.permissions ?? definePermissions({}),
      standardRoles: options.roles ?? noRoles,
      resources: options.resources ?? noResources,
      fields: options.fields ?? noFields,
      events: new EventBus(options.onEventError ?? reportEventError),
      cursors: new CursorCodec(cursorKey),
      policy: this.policy,
      passwordHasher: boundedHasher(this.passwordHasher, hashing),
      rateLimiter: options.rateLimiter ?? options.storage.rateLimiter ?? memoryRateLimiter(),
      auditSampler: new AuditSampler(),
      secrets: new SecretBox(options.encryptionKeys ?? []),
      randomBytes: options.randomBytes ?? randomBytes,
      accessTokens: options.accessTokens ? new AccessTokenKeys(options.accessTokens) : null,
      mailTemplates: options.mailTemplates ?? {},
      passwordChecker:
        options.passwordChecker === undefined ? commonPasswordChecker() : (options.passwordChecker ?? undefined),
      baseUrl: (options.links?.baseUrl ?? '').replace(/\/+$/, ''),
      dns: options.dns ?? systemDnsResolver(),
      sso: { oidc: new OidcRelyingParty({ ...options.sso, now: () => clock.now() }) },
      domainVerification: parseInput(domainVerificationOptionsSchema, options.domainVerification),
    };
    const courier = new Courier(context, (intent, reason) =>
      act(this.#orchestra, system, recordMailFailure, [intent, reason]),
    );
    this.#orchestra = { context, courier };
    this.auth = authApi((operation, ...args) => act(this.#orchestra, system, operation, args));
    this.maintenance = maintenanceApi((operation, ...args) => act(this.#orchestra, system, operation, args));
    this.outbox = outboxApi(this.#orchestra, (operation, ...args) => act(this.#orchestra, system, operation, args));
  }

  /**
   * Everything `actor` can do. Rights are checked on every call, against the
   * data as it is at that moment.
   */
  as(actor: Actor): ActorApi {
    const who = parseInput(actorSchema, actor) as Actor;
    return actorApi((operation, ...args) => act(this.#orchestra, who, operation, args));
  }

  /**
   * Runs one operation for an actor with arguments as they came (parsed by
   * the operation's schema): what the facades and tenantry's HTTP handler do.
   *
   * @internal
   */
  perform<Op extends Operation>(actor: Actor, operation: Op, args: readonly unknown[]): Promise<OperationResult<Op>> {
    return act(this.#orchestra, parseInput(actorSchema, actor) as Actor, operation, args);
  }

  /**
   * The header line of an import file for this installation: the built-in
   * columns, then `field.<key>` for each profile field and `access.<type>`
   * for each resource type.
   */
  importTemplate(): string {
    return importTemplate(this.#orchestra.context);
  }

  /**
   * Subscribes to audit events (`'*'` for all), delivered after the change
   * committed. While anyone subscribes to an action, its events also go
   * through the outbox, so a crash between commit and emission loses none.
   * Returns the unsubscribe function.
   */
  on(action: string, handler: EventHandler): () => void {
    return this.#orchestra.context.events.on(action, handler);
  }
}

function reportEventError(error: unknown, event: AuditEvent): void {
  console.error(`tenantry: a subscriber to "${event.action}" failed`, error);
}
