/**
 * What an adapter needs of tenantry, and nothing more: the ports it
 * implements (storage with its repositories, the rate limiter, the mailer,
 * the clock), the records it stores, the keys tenantry compares users by
 * (the email key, the sort keys, the search text), and the errors an adapter
 * raises. Adapters translate between these and one technology; every
 * decision stays in the core. Prove an adapter with `describeStorageContract`
 * from `tenantry/testing`.
 *
 * @example
 * ```ts
 * import { emailKey, emailTakenError, type Storage, userSearchText } from 'tenantry/adapter-kit';
 *
 * export function mysqlStorage(options: MysqlStorageOptions): Storage {
 *   // users.insert stores emailKey(user.email) under a unique index and
 *   // userSearchText(user) for search; a duplicate key throws emailTakenError(user.email).
 * }
 * ```
 *
 * @module
 */

export { emailKey } from '../email.js';
export {
  domainClaimedError,
  domainTakenError,
  emailTakenError,
  passkeyTakenError,
  roleTakenError,
  ssoIdentityLinkedError,
} from '../errors.js';
export { Mutex } from '../mutex.js';
export type { Clock } from '../ports/clock.js';
export type {
  FactorRepository,
  FactorType,
  RecoveryCode,
  RecoveryCodeRepository,
  StoredFactor,
  WebAuthnCeremony,
  WebAuthnChallenge,
  WebAuthnChallengeRepository,
} from '../ports/factor-storage.js';
export type {
  AuthenticationMethod,
  Credential,
  CredentialRepository,
  OneTimeToken,
  Session,
  SessionRepository,
  TokenOrigin,
  TokenPurpose,
  TokenRepository,
} from '../ports/identity-storage.js';
export type { Mailer, MailKind, MailMessage } from '../ports/mailer.js';
export type { OutboxClaim, OutboxItem, OutboxRepository } from '../ports/outbox.js';
export type { RateLimitAnswer, RateLimiter } from '../ports/rate-limiter.js';
export { type PurgeKind, purgeKinds, type RetentionRepository } from '../ports/retention-storage.js';
export type { SearchIndexState, SearchIndexStorage } from '../ports/search-index.js';
export type {
  DomainRepository,
  SsoAssertionRepository,
  SsoConnectionRepository,
  SsoIdentity,
  SsoIdentityRepository,
  SsoLogin,
  SsoLoginRepository,
  StoredDomain,
  StoredSsoConnection,
} from '../ports/sso-storage.js';
export type {
  AuditQuery,
  AuditRepository,
  CustomRoleRepository,
  ImportRepository,
  OrganizationRepository,
  ResourceGrant,
  ResourceGrantRepository,
  SessionContext,
  SortOrder,
  Storage,
  StorageTransaction,
  UserKeyset,
  UserQuery,
  UserRepository,
  UserSortField,
  UserWithContext,
} from '../ports/storage.js';
export type { RateDecision, RateLimit } from '../rules/rate-limit.js';
export { spendAllowance } from '../rules/rate-limit.js';
export type { RoleMapping, SsoAccess, SsoConnectionType } from '../sso-types.js';
export type {
  Actor,
  Address,
  Attributes,
  AuditEvent,
  CustomRole,
  FieldChange,
  FieldValue,
  ImportException,
  ImportReport,
  MfaRequirement,
  Organization,
  OrganizationKind,
  OrganizationProfile,
  ResourceAccess,
  SecurityPolicy,
  User,
  UserFields,
  UserPreferences,
  UserStatus,
} from '../types.js';
export { compareCodePoints, compareSortKeys, normalizeSearch, userSearchText, userSortKey } from '../user-order.js';
