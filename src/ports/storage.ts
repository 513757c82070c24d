import type { AuditEvent, CustomRole, ImportReport, Organization, ResourceAccess, User, UserStatus } from '../types.js';
import type {
  FactorRepository,
  RecoveryCodeRepository,
  StoredFactor,
  WebAuthnChallengeRepository,
} from './factor-storage.js';
import type { CredentialRepository, Session, SessionRepository, TokenRepository } from './identity-storage.js';
import type { OutboxRepository } from './outbox.js';
import type { RateLimiter } from './rate-limiter.js';
import type { RetentionRepository } from './retention-storage.js';
import type { SearchIndexStorage } from './search-index.js';
import type {
  DomainRepository,
  SsoAssertionRepository,
  SsoConnectionRepository,
  SsoIdentityRepository,
  SsoLoginRepository,
} from './sso-storage.js';

/** Sort fields of a user listing. `name` = last name, then first name. */
export type UserSortField = 'createdAt' | 'name' | 'email';
/** Sort direction. */
export type SortOrder = 'asc' | 'desc';

/**
 * A keyset position: the sort values of the last row of the previous page
 * (`createdAt` as epoch ms; `name` as `[lastName, firstName]` lower-cased;
 * `email` lower-cased) and its id as the tie-breaker.
 */
export interface UserKeyset {
  values: readonly (string | number)[];
  id: string;
}

/**
 * A user listing the storage answers with its indexes. Every filter is ANDed;
 * within one filter, any value matches.
 */
export interface UserQuery {
  organizationId: string;
  /**
   * A substring of `userSearchText(user)` (first name, last name, `first last`
   * or email; lower case, no accents), already normalized by `normalizeSearch`.
   */
  search?: string | undefined;
  statuses: readonly UserStatus[];
  /** The user holds any of these roles. */
  roles?: readonly string[] | undefined;
  /** The user holds any of these permissions directly, or any of these roles. */
  grants?: { permissions: readonly string[]; roles: readonly string[] } | undefined;
  createdAfter?: Date | undefined;
  createdBefore?: Date | undefined;
  sort: UserSortField;
  order: SortOrder;
  /** Only users with access to this resource: its id granted, or every resource of its type. */
  resource?: { type: string; id: string } | undefined;
  /** Start after this position. */
  after?: UserKeyset | undefined;
  limit: number;
}

/** Organizations, by id and by relationship. */
export interface OrganizationRepository {
  /** `forUpdate` locks the row until the transaction ends (it guards the last-admin invariant). */
  get(id: string, options?: { forUpdate?: boolean }): Promise<Organization | null>;
  /** Organizations matching every given relationship; all of them when the filter is empty. */
  list(filter: { parentId?: string; partnerId?: string }): Promise<Organization[]>;
  insert(organization: Organization): Promise<void>;
  update(organization: Organization): Promise<void>;
}

/** A user with what a sign-in reads after the password, from one read (`users.getWithContext`). */
export interface UserWithContext {
  user: User;
  /** The user's organization, then its parent, and so on up to the top (at most 64). */
  organizations: Organization[];
  /** The custom roles of the user's organization. */
  customRoles: CustomRole[];
  /** The user's factors, confirmed or not, oldest first (as `factors.forUser`). */
  factors: StoredFactor[];
  /** The user's stored resource access (as `resources.forUsers`). */
  access: ResourceAccess;
}

/** Users. Erased users stay (tombstones) but never match a query. */
export interface UserRepository {
  /**
   * `forUpdate` locks the row until the transaction ends: flows that read a
   * user, decide and write it back lock it, so concurrent writers queue.
   */
  get(id: string, options?: { forUpdate?: boolean }): Promise<User | null>;
  /**
   * A user (locked like `get` with `forUpdate`) with what a sign-in reads
   * next, in one read; optional: without it, tenantry reads each in turn.
   * Storage over a network implements it to save those round trips.
   */
  getWithContext?(id: string, options?: { forUpdate?: boolean }): Promise<UserWithContext | null>;
  /** The users with these ids, in one read, in any order; unknown ids are left out. */
  getMany(ids: readonly string[]): Promise<User[]>;
  /** By email, compared case-insensitively. */
  getByEmail(email: string): Promise<User | null>;
  /** Every user holding one of these addresses (compared case-insensitively), in one read. */
  getByEmails(emails: readonly string[]): Promise<User[]>;
  /** Throws `TenantryError('EMAIL_TAKEN')` when the email is taken (case-insensitively). */
  insert(user: User): Promise<void>;
  /**
   * Many new users in as few round trips as the storage can (imports write in
   * batches). Throws `EMAIL_TAKEN` like `insert`; the transaction then rolls back.
   */
  insertMany(users: readonly User[]): Promise<void>;
  /** Throws `TenantryError('EMAIL_TAKEN')` when a changed email is taken. */
  update(user: User): Promise<void>;
  /** Users of the organization (not erased) who hold any of these permissions directly or any of these roles. */
  withAnyGrant(
    organizationId: string,
    grants: { permissions: readonly string[]; roles: readonly string[] },
  ): Promise<User[]>;
  /** One page (at most `limit` rows) in the query's order. */
  query(query: UserQuery): Promise<User[]>;
}

/** Custom roles, per organization. */
export interface CustomRoleRepository {
  list(organizationId: string): Promise<CustomRole[]>;
  get(organizationId: string, key: string): Promise<CustomRole | null>;
  insert(role: CustomRole): Promise<void>;
  delete(organizationId: string, key: string): Promise<void>;
}

/** A page request over the audit trail, newest first. */
export interface AuditQuery {
  organizationId: string;
  action?: string | undefined;
  targetId?: string | undefined;
  after?: Date | undefined;
  before?: Date | undefined;
  /** Start after this event (by `at`, then `id`, descending). */
  cursor?: { at: number; id: string } | undefined;
  limit: number;
}

/** The audit trail: append-only, but for erasure of personal data. */
export interface AuditRepository {
  insert(events: readonly AuditEvent[]): Promise<void>;
  list(query: AuditQuery): Promise<AuditEvent[]>;
  /**
   * Erasure: in every event about `targetId`, replaces the before and after
   * values of these changed fields with `replacement`. Events stay, ids stay.
   */
  redactChanges(targetId: string, fields: readonly string[], replacement: string): Promise<void>;
}

/** The history of imports. */
export interface ImportRepository {
  insert(report: ImportReport): Promise<void>;
  update(report: ImportReport): Promise<void>;
  get(id: string): Promise<ImportReport | null>;
  /** An organization's imports, newest first. */
  list(organizationId: string, limit: number): Promise<ImportReport[]>;
}

/** One grant of access: to a resource by its id, or (`resourceId: null`) to every resource of the type. */
export interface ResourceGrant {
  organizationId: string;
  userId: string;
  type: string;
  resourceId: string | null;
}

/**
 * Users' access to the host app's resources: grants of one id, or of every
 * resource of a type, indexed for both questions (a user's access; a
 * resource's holders).
 */
export interface ResourceGrantRepository {
  /** The stored access of these users, by user id, in one read; users without any are left out. */
  forUsers(userIds: readonly string[]): Promise<Map<string, ResourceAccess>>;
  /** Replaces a user's access to one type: every resource (`'all'`), these ids, or none. */
  replace(
    owner: { organizationId: string; userId: string; type: string },
    access: 'all' | 'none' | readonly string[],
  ): Promise<void>;
  /** Adds one grant; false when the user already held it (or every resource of the type, for an id). */
  add(grant: ResourceGrant): Promise<boolean>;
  /** Removes one grant; false when the user did not hold it. */
  remove(grant: Omit<ResourceGrant, 'organizationId'>): Promise<boolean>;
  /**
   * The ids of the users of the organization with access to the resource
   * (its id granted, or every resource of its type), ascending by user id,
   * after `after`, at most `limit`.
   */
  holders(query: {
    organizationId: string;
    type: string;
    resourceId: string;
    after?: string | undefined;
    limit: number;
  }): Promise<string[]>;
  /** Removes every grant of one resource (the host app deleted it); how many. */
  forget(resource: { organizationId: string; type: string; resourceId: string }): Promise<number>;
  /** Removes every grant of the user (their erasure). */
  removeForUser(userId: string): Promise<void>;
}

/** What a transaction can read and write. */
export interface StorageTransaction {
  organizations: OrganizationRepository;
  users: UserRepository;
  roles: CustomRoleRepository;
  audit: AuditRepository;
  imports: ImportRepository;
  credentials: CredentialRepository;
  tokens: TokenRepository;
  sessions: SessionRepository;
  outbox: OutboxRepository;
  resources: ResourceGrantRepository;
  factors: FactorRepository;
  recoveryCodes: RecoveryCodeRepository;
  webauthnChallenges: WebAuthnChallengeRepository;
  domains: DomainRepository;
  ssoConnections: SsoConnectionRepository;
  ssoLogins: SsoLoginRepository;
  ssoAssertions: SsoAssertionRepository;
  ssoIdentities: SsoIdentityRepository;
  /** Removal of what is over (`maintenance.purge`), a bounded batch per call. */
  retention: RetentionRepository;
}

/**
 * The storage port. Everything a flow reads to decide and everything it writes
 * happens inside one `transaction`; the adapter makes it serializable for the
 * rows it touches and rolls every write back when `work` throws.
 */
export interface Storage {
  transaction<T>(work: (tx: StorageTransaction) => Promise<T>): Promise<T>;
  /**
   * Optional, for speed: the session with this digest, its user, the user's
   * organization and that organization's custom roles, read in one consistent
   * step outside any transaction (on PostgreSQL, one statement). `null` when
   * the session, its user or their organization does not exist; `undefined`
   * to say "ask in a transaction instead" (the memory adapter, while a
   * transaction is running). `validateSession` uses it when present. The
   * session and the user are handed on to the caller, so they must be copies;
   * the organization and roles are only read, so an adapter may share them.
   */
  readSession?(digest: string): Promise<SessionContext | null | undefined>;
  /**
   * Optional: a rate limiter whose allowances every process on this storage
   * shares (PostgreSQL, SQLite). tenantry uses it unless the installation
   * names another; without either, it keeps allowances in memory. It is
   * called outside transactions, on its own connection.
   */
  rateLimiter?: RateLimiter;
  /**
   * Optional, for speed: a search index of large organizations, kept up to
   * date by `maintenance.refreshSearch` (PostgreSQL). Without it, searches
   * answer the same pages.
   */
  searchIndex?: SearchIndexStorage;
}

/** What `Storage.readSession` returns. */
export interface SessionContext {
  session: Session;
  user: User;
  /** The user's stored resource access. */
  resourceAccess: ResourceAccess;
  organization: Organization;
  customRoles: CustomRole[];
}
