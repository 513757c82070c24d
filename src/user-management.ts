import { availableParallelism } from 'node:os';
import type { AccessTokenOptions } from './access-tokens.js';
import type { ActorApi } from './actor-api.js';
import { type AuthApi, authApi } from './auth-api.js';
import { definePermissions, type PermissionCatalog, type RoleCatalog } from './catalog.js';
import { CursorCodec } from './cursor.js';
import { isTenantryError } from './errors.js';
import { EventBus, type EventHandler } from './events.js';
import { recordTakenAddresses } from './flows/address-probes.js';
import { resetPasswordAsAdmin } from './flows/admin-password-reset.js';
import { listAudit } from './flows/audit.js';
import type { FlowContext } from './flows/context.js';
import { getImport, listImports, runImport } from './flows/imports.js';
import { inviteUser } from './flows/invitations.js';
import { inviteByEmail } from './flows/invite-by-email.js';
import {
  createOrganization,
  getOrganization,
  listOrganizations,
  setAllowedRoles,
  setContactPerson,
  setFeatures,
  updateOrganization,
} from './flows/organizations.js';
import { createCustomRole, deleteCustomRole, listPermissions, listRoles } from './flows/roles.js';
import { act, type Unit } from './flows/unit.js';
import {
  disableUser,
  enableUser,
  eraseUser,
  invalidateSessions,
  setExpiry,
  unlockUser,
} from './flows/user-lifecycle.js';
import { listUsers } from './flows/user-list.js';
import { listUserSessions, revokeUserSession } from './flows/user-sessions.js';
import { addUser, changeEmail, getUser, setAccess, updateUser } from './flows/users.js';
import { Admission } from './limits/admission.js';
import { AuditSampler } from './limits/audit-sampler.js';
import { memoryRateLimiter } from './limits/memory-rate-limiter.js';
import { deliver } from './mail/delivery.js';
import type { MailTemplates } from './mail/templates.js';
import { boundedHasher } from './passwords/bounded-hasher.js';
import { commonPasswordChecker } from './passwords/common-password-checker.js';
import { defaultPasswordHasher } from './passwords/default-hasher.js';
import type { PasswordHasher } from './passwords/password-hasher.js';
import { type Policy, type PolicyInput, resolvePolicy } from './policy.js';
import { type Clock, systemClock } from './ports/clock.js';
import type { Mailer } from './ports/mailer.js';
import type { PasswordChecker } from './ports/password-checker.js';
import type { RateLimiter } from './ports/rate-limiter.js';
import type { Storage } from './ports/storage.js';
import { randomBytes } from './random.js';
import { actorSchema } from './schemas/actor.js';
import { parseInput } from './schemas/parse.js';
import type { Actor, AuditEvent } from './types.js';

/** How to build a {@link UserManagement}. */
export interface UserManagementOptions {
  /** Where organizations, users and the audit trail live. */
  storage: Storage;
  /** How mail leaves. */
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
  /** Called when an event subscriber throws (default: ignored after `console.error`). */
  onEventError?: (error: unknown, event: AuditEvent) => void;
}

const noRoles: RoleCatalog = { keys: [], roles: new Map() };

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
  readonly #context: FlowContext;

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
    this.#context = {
      storage: options.storage,
      mailer: options.mailer,
      clock: options.clock ?? systemClock,
      catalog: options.permissions ?? definePermissions({}),
      standardRoles: options.roles ?? noRoles,
      events: new EventBus(options.onEventError ?? reportEventError),
      cursors: new CursorCodec(cursorKey),
      policy: this.policy,
      passwordHasher: boundedHasher(this.passwordHasher, hashing),
      rateLimiter: options.rateLimiter ?? options.storage.rateLimiter ?? memoryRateLimiter(),
      auditSampler: new AuditSampler(),
      mailTemplates: options.mailTemplates ?? {},
      passwordChecker:
        options.passwordChecker === undefined ? commonPasswordChecker() : (options.passwordChecker ?? undefined),
      baseUrl: (options.links?.baseUrl ?? '').replace(/\/+$/, ''),
    };
    this.auth = authApi(this.#context, options.accessTokens);
  }

  /**
   * Everything `actor` can do. Rights are checked on every call, against the
   * data as it is at that moment.
   */
  as(actor: Actor): ActorApi {
    const who = parseInput(actorSchema, actor) as Actor;
    const run = <T>(work: (unit: Unit) => Promise<T>, options?: { deferActorRefusal: true }): Promise<T> =>
      act(this.#context, who, work, options).then(({ result }) => result);
    /** After a refusal with EMAIL_TAKEN (which only an actor allowed to make the change gets), notes it in the trail. */
    const recordTakenAddress =
      (call: string, organizationOf: (unit: Unit) => Promise<string | undefined>) =>
      async (error: unknown): Promise<never> => {
        if (isTenantryError(error, 'EMAIL_TAKEN')) {
          await run(async (unit) => {
            const organizationId = await organizationOf(unit);
            if (organizationId) recordTakenAddresses(unit, organizationId, 1, { call });
          });
        }
        throw error;
      };
    // Changes that may cost an admin answer LAST_ADMIN before judging the actor's own standing.
    const guarded = { deferActorRefusal: true } as const;
    return {
      organizations: {
        create: async (input) => {
          const { organization, firstUser, invitation } = await run((unit) => createOrganization(unit, input));
          return {
            organization,
            firstUser,
            invitationSent: invitation ? await deliver(this.#context, invitation) : false,
          };
        },
        get: (id) => run((unit) => getOrganization(unit, id)),
        list: (filter) => run((unit) => listOrganizations(unit, filter)),
        update: (id, input) => run((unit) => updateOrganization(unit, id, input)),
        setFeatures: (id, features) => run((unit) => setFeatures(unit, id, features)),
        setAllowedRoles: (id, roles) => run((unit) => setAllowedRoles(unit, id, roles)),
        setContactPerson: (id, userId) => run((unit) => setContactPerson(unit, id, userId)),
      },
      users: {
        add: async (input) => {
          const { user, invitation } = await run((unit) => addUser(unit, input)).catch(
            recordTakenAddress('users.add', async () => (input as { organizationId: string }).organizationId),
          );
          return { user, invitationSent: invitation ? await deliver(this.#context, invitation) : false };
        },
        get: (userId) => run((unit) => getUser(unit, userId)),
        list: (query) => run((unit) => listUsers(unit, query)),
        update: (userId, input) => run((unit) => updateUser(unit, userId, input)),
        changeEmail: async (userId, email) => {
          const { user, notice } = await run((unit) => changeEmail(unit, userId, email)).catch(
            recordTakenAddress('users.changeEmail', async (unit) => (await unit.tx.users.get(userId))?.organizationId),
          );
          if (notice) await deliver(this.#context, notice);
          return user;
        },
        setAccess: (userId, input) => run((unit) => setAccess(unit, userId, input), guarded),
        disable: (userId) => run((unit) => disableUser(unit, userId), guarded),
        enable: (userId) => run((unit) => enableUser(unit, userId)),
        unlock: (userId) => run((unit) => unlockUser(unit, userId)),
        setExpiry: (userId, expiresAt) => run((unit) => setExpiry(unit, userId, expiresAt), guarded),
        erase: (userId) => run((unit) => eraseUser(unit, userId), guarded),
        invalidateSessions: (userId) => run((unit) => invalidateSessions(unit, userId)),
        sessions: (userId) => run((unit) => listUserSessions(unit, userId)),
        revokeSession: (userId, sessionId) => run((unit) => revokeUserSession(unit, userId, sessionId)),
        resetPassword: (userId, input) => resetPasswordAsAdmin(this.#context, who, userId, input),
      },
      invitations: {
        send: async (userId) => {
          const { mail, expiresAt } = await run((unit) => inviteUser(unit, userId, 'mail'));
          return { expiresAt, sent: mail ? await deliver(this.#context, mail) : false };
        },
        createLink: (userId) =>
          run((unit) => inviteUser(unit, userId, 'link')).then(({ link, expiresAt }) => ({
            link: link as string,
            expiresAt,
          })),
        inviteByEmail: async (input) => {
          const { mails, ...result } = await run((unit) => inviteByEmail(unit, input));
          for (const mail of mails) await deliver(this.#context, mail);
          return result;
        },
      },
      roles: {
        list: (organizationId) => run((unit) => listRoles(unit, organizationId)),
        createCustom: (organizationId, input) => run((unit) => createCustomRole(unit, organizationId, input)),
        deleteCustom: (organizationId, key) => run((unit) => deleteCustomRole(unit, organizationId, key)),
      },
      permissions: {
        list: (organizationId) => run((unit) => listPermissions(unit, organizationId)),
      },
      audit: {
        list: (query) => run((unit) => listAudit(unit, query)),
      },
      imports: {
        run: (input) => runImport(this.#context, who, input),
        list: (organizationId) => run((unit) => listImports(unit, organizationId)),
        get: (importId) => run((unit) => getImport(unit, importId)),
      },
    };
  }

  /**
   * Subscribes to audit events (`'*'` for all), delivered after the change
   * committed. Returns the unsubscribe function.
   */
  on(action: string, handler: EventHandler): () => void {
    return this.#context.events.on(action, handler);
  }
}

function reportEventError(error: unknown, event: AuditEvent): void {
  console.error(`tenantry: a subscriber to "${event.action}" failed`, error);
}
