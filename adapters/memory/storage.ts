import {
  type AuditEvent,
  type CustomRole,
  emailKey,
  emailTakenError,
  type ImportReport,
  Mutex,
  type Organization,
  type OutboxItem,
  type SessionContext,
  type Storage,
  type StorageTransaction,
  type User,
} from '../../src/adapter-kit/index.js';
import { copySession, copyUser } from './copy.js';
import { FactorTables, factorRepositories } from './factor-repositories.js';
import { historyRepositories } from './history-repositories.js';
import { IdentityTables, identityRepositories } from './identity-repositories.js';
import { byCreation, organizationRepositories } from './organization-repositories.js';
import { outboxRepository } from './outbox-repository.js';
import { resourceGrantRepository } from './resource-grant-repository.js';
import { ResourceGrantTables } from './resource-grants.js';
import { retentionRepository } from './retention-repository.js';
import { SsoTables, ssoRepositories } from './sso-repositories.js';
import { SortedUsers, type UserSource } from './user-query.js';

/** The memory storage, plus a way for tests to see everything it holds. */
export interface MemoryStorage extends Storage {
  /** A deep, JSON-comparable copy of all stored data. */
  snapshot(): unknown;
  readSession(digest: string): Promise<SessionContext | null | undefined>;
}

class Tables extends IdentityTables implements UserSource {
  readonly organizations = new Map<string, Organization>();
  readonly users = new Map<string, User>();
  readonly userIdsByEmail = new Map<string, string>();
  readonly userIdsByOrganization = new Map<string, Set<string>>();
  /** The users of each organization in each sort order, for pages without sorting. */
  readonly sorted = new SortedUsers(this);
  readonly roles = new Map<string, Map<string, CustomRole>>();
  readonly audit: AuditEvent[] = [];
  readonly imports = new Map<string, ImportReport>();
  readonly outbox = new Map<string, OutboxItem>();
  /** Resource grants, by user and by resource. */
  readonly grants = new ResourceGrantTables();
  /** Second factors, recovery codes and WebAuthn challenges. */
  readonly secondFactors = new FactorTables();
  /** Claimed domains, SSO connections, started logins, accepted assertion ids and identity links. */
  readonly sso = new SsoTables();

  *membersOf(organizationId: string): Generator<User> {
    for (const id of this.userIdsByOrganization.get(organizationId) ?? []) {
      const user = this.users.get(id);
      if (user) yield user;
    }
  }

  memberCount(organizationId: string): number {
    return this.userIdsByOrganization.get(organizationId)?.size ?? 0;
  }

  user(id: string): User | undefined {
    return this.users.get(id);
  }

  holdersOf(organizationId: string, resource: { type: string; id: string }) {
    return this.grants.holdersOf(organizationId, resource.type, resource.id);
  }
}

/**
 * Storage in process memory, for tests, demos and single-process apps.
 * Transactions run one at a time (an async mutex), and a transaction that
 * throws is rolled back completely.
 *
 * @example
 * ```ts
 * const um = new UserManagement({ storage: memoryStorage(), mailer: memoryMailer() });
 * ```
 */
export function memoryStorage(): MemoryStorage {
  const tables = new Tables();
  const mutex = new Mutex();
  return {
    transaction: (work) =>
      mutex.run(async () => {
        const undo: (() => void)[] = [];
        const state = { open: true };
        try {
          return await work(openTransaction(tables, undo, state));
        } catch (error) {
          for (const step of undo.reverse()) step();
          tables.sorted.forget();
          throw error;
        } finally {
          state.open = false;
        }
      }),
    // Between transactions the maps hold only committed data; while one runs, the caller asks in a transaction.
    readSession: async (digest) => (mutex.idle ? sessionContext(tables, digest) : undefined),
    snapshot: () => snapshotOf(tables),
  };
}

/** A session with its user, the user's resource access, organization and custom roles (see `Storage.readSession`). */
function sessionContext(tables: Tables, digest: string): SessionContext | null {
  const session = tables.sessions.get(digest);
  const user = session && tables.users.get(session.userId);
  const organization = user && tables.organizations.get(user.organizationId);
  if (!session || !user || !organization) return null;
  // The core only reads the organization and the roles here; the session and the user it hands on, so they are copies.
  const customRoles = [...(tables.roles.get(organization.id)?.values() ?? [])];
  const resourceAccess = tables.grants.accessOf(user.id) ?? {};
  return { session: copySession(session), user: copyUser(user), resourceAccess, organization, customRoles };
}

function openTransaction(tables: Tables, undo: (() => void)[], state: { open: boolean }): StorageTransaction {
  const live = () => {
    if (!state.open) throw new Error('transaction already finished');
  };
  const restore = <K, V>(map: Map<K, V>, key: K) => {
    const had = map.has(key);
    const previous = map.get(key);
    undo.push(() => (had ? map.set(key, previous as V) : map.delete(key)));
  };

  const putUser = (user: User, isNew: boolean) => {
    live();
    const previous = tables.users.get(user.id);
    if (isNew === (previous !== undefined)) throw new Error(isNew ? 'duplicate user id' : 'unknown user');
    const email = emailKey(user.email);
    const holder = tables.userIdsByEmail.get(email);
    if (holder !== undefined && holder !== user.id) {
      throw emailTakenError(user.email);
    }
    restore(tables.users, user.id);
    const stored = copyUser(user);
    tables.users.set(user.id, stored);
    tables.sorted.written(previous, stored);
    if (previous) {
      const oldEmail = emailKey(previous.email);
      restore(tables.userIdsByEmail, oldEmail);
      tables.userIdsByEmail.delete(oldEmail);
    }
    restore(tables.userIdsByEmail, email);
    tables.userIdsByEmail.set(email, user.id);
    let members = tables.userIdsByOrganization.get(user.organizationId);
    if (!members) {
      members = new Set();
      restore(tables.userIdsByOrganization, user.organizationId);
      tables.userIdsByOrganization.set(user.organizationId, members);
    }
    if (!members.has(user.id)) {
      const set = members;
      set.add(user.id);
      undo.push(() => set.delete(user.id));
    }
  };
  const usersOf = (organizationId: string) => tables.membersOf(organizationId);

  return {
    ...identityRepositories(tables, { live, restore }),
    users: {
      async get(id) {
        live();
        const user = tables.users.get(id);
        return user ? copyUser(user) : null;
      },
      async getByEmail(email) {
        live();
        const id = tables.userIdsByEmail.get(emailKey(email));
        const user = id === undefined ? undefined : tables.users.get(id);
        return user ? copyUser(user) : null;
      },
      async getMany(ids) {
        live();
        return [...new Set(ids)].flatMap((id) => {
          const user = tables.users.get(id);
          return user ? [copyUser(user)] : [];
        });
      },
      async getByEmails(emails) {
        live();
        const ids = new Set(emails.map((email) => tables.userIdsByEmail.get(emailKey(email))));
        return [...ids].flatMap((id) => {
          const user = id === undefined ? undefined : tables.users.get(id);
          return user ? [copyUser(user)] : [];
        });
      },
      insert: async (user) => putUser(user, true),
      async insertMany(users) {
        for (const user of users) putUser(user, true);
      },
      update: async (user) => putUser(user, false),
      async withAnyGrant(organizationId, { permissions, roles }) {
        live();
        return [...usersOf(organizationId)]
          .filter(
            (user) =>
              user.erasedAt === null &&
              (permissions.some((key) => user.permissions.includes(key)) ||
                roles.some((key) => user.roles.includes(key))),
          )
          .sort(byCreation)
          .map(copyUser);
      },
      async query(query) {
        live();
        return tables.sorted.page(query).map(copyUser);
      },
    },
    ...organizationRepositories(tables, { live, restore }),
    ...historyRepositories(tables, { live, restore, undo }),
    outbox: outboxRepository(tables, { live, restore }),
    resources: resourceGrantRepository(tables.grants, { live, undo }),
    ...factorRepositories(tables.secondFactors, { live, restore }),
    ...ssoRepositories(tables.sso, { live, restore }),
    retention: retentionRepository(tables, { live, restore, undo }),
  };
}

function snapshotOf(tables: Tables): unknown {
  const sorted = <V>(map: Map<string, V>) => [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.parse(
    JSON.stringify({
      organizations: sorted(tables.organizations),
      users: sorted(tables.users),
      emails: sorted(tables.userIdsByEmail),
      members: sorted(tables.userIdsByOrganization).map(([id, members]) => [id, [...members].sort()]),
      roles: sorted(tables.roles).map(([id, roles]) => [id, sorted(roles)]),
      audit: tables.audit,
      imports: sorted(tables.imports),
      credentials: sorted(tables.credentials),
      tokens: sorted(tables.tokens),
      sessions: sorted(tables.sessions),
      outbox: sorted(tables.outbox),
      resourceGrants: tables.grants.snapshot(),
      secondFactors: tables.secondFactors.snapshot(),
      sso: tables.sso.snapshot(),
    }),
  );
}
