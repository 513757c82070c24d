/**
 * tenantry: tenant user management for B2B customer portals.
 *
 * @example
 * ```ts
 * import { UserManagement, definePermissions, defineRoles } from 'tenantry';
 * import { memoryStorage, memoryMailer } from 'tenantry/memory';
 * ```
 *
 * @module
 */

export type { AccessTokenClaims, AccessTokenOptions } from './access-tokens.js';
export { MAX_TOKEN_RESOURCE_IDS } from './access-tokens.js';
export type {
  ActorApi,
  DomainsApi,
  ImportsApi,
  InvitationsApi,
  InviteByEmailInput,
  OrganizationsApi,
  Page,
  PermissionsApi,
  ResourcesApi,
  RolesApi,
  UsersApi,
} from './actor-api.js';
export { type AuditApi, type AuditExport, auditEventLine } from './audit-api.js';
export type {
  AuthApi,
  Factor,
  FactorConfirmation,
  FactorEnroller,
  InvitationAccepted,
  InvitationPreview,
  SessionView,
  SignedIn,
  SignInMethod,
  SignInResult,
  SsoSignIn,
  TotpEnrollment,
  ValidatedSession,
} from './auth-api.js';
export type {
  BuiltInKey,
  CatalogPermission,
  PermissionCatalog,
  PermissionDefinition,
  RoleCatalog,
  RoleDefinition,
} from './catalog.js';
export { CUSTOMERS_MANAGE, definePermissions, defineRoles, missingRequirements, ORG_ADMIN } from './catalog.js';
export { nameFromEmail, normalizeEmail } from './email.js';
export type { ErrorCode } from './error-codes.js';
export { errorCodes } from './error-codes.js';
export type { ErrorDetails } from './errors.js';
export { emailTakenError, isTenantryError, TenantryError } from './errors.js';
export type { EventHandler } from './events.js';
export type { FieldCatalog, FieldEditor, UserField, UserFieldDefinition } from './fields.js';
export { defineUserFields } from './fields.js';
export type { SecondFactorMethod } from './flows/second-factors.js';
export type { ImportCatalog, ImportColumn, ImportHeaderColumn } from './import/columns.js';
export { importColumns, importHeaderColumns, importTemplate } from './import/columns.js';
export type { ImportRow, ImportSource } from './import/read-csv.js';
export type { MemoryRateLimiterOptions } from './limits/memory-rate-limiter.js';
export { memoryRateLimiter } from './limits/memory-rate-limiter.js';
export type { ImportSummary, MailContext, MailTemplates, RenderedMail } from './mail/templates.js';
export { defaultMailTemplates, escapeHtml } from './mail/templates.js';
export type {
  MaintenanceApi,
  PurgeCounts,
  PurgeOptions,
  PurgeReport,
  RefreshSearchOptions,
  SearchRefreshReport,
} from './maintenance-api.js';
export { type ImportRunInput, importRunSchema } from './operations/imports/run.js';
export { type InviteByEmailResult, inviteByEmailSchema } from './operations/invitations/invite-by-email.js';
export { purgeOptionsSchema } from './operations/maintenance/purge.js';
export { refreshSearchOptionsSchema } from './operations/maintenance/refresh-search.js';
export type { DeliveryReport, FailedDelivery, OutboxApi } from './outbox-api.js';
export type { Argon2Options } from './passwords/argon2-hasher.js';
export { argon2Hasher } from './passwords/argon2-hasher.js';
export type { CommonPasswordCheckerOptions } from './passwords/common-password-checker.js';
export { commonPasswordChecker } from './passwords/common-password-checker.js';
export { defaultPasswordHasher } from './passwords/default-hasher.js';
export type { PasswordHasher } from './passwords/password-hasher.js';
export { migratingHasher } from './passwords/password-hasher.js';
export type { ScryptOptions } from './passwords/scrypt-hasher.js';
export { scryptHasher } from './passwords/scrypt-hasher.js';
export type { Policy, PolicyInput } from './policy.js';
export { policySchema, resolvePolicy } from './policy.js';
export type { Clock } from './ports/clock.js';
export { systemClock } from './ports/clock.js';
export type { DnsResolver } from './ports/dns.js';
export { systemDnsResolver } from './ports/dns.js';
export type {
  FactorRepository,
  FactorType,
  RecoveryCode,
  RecoveryCodeRepository,
  StoredFactor,
  WebAuthnCeremony,
  WebAuthnChallenge,
  WebAuthnChallengeRepository,
} from './ports/factor-storage.js';
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
} from './ports/identity-storage.js';
export type { Mailer, MailKind, MailMessage } from './ports/mailer.js';
export type { PasswordChecker } from './ports/password-checker.js';
export type { RateLimitAnswer, RateLimiter } from './ports/rate-limiter.js';
export { type PurgeKind, purgeKinds, type RetentionRepository } from './ports/retention-storage.js';
export type { SearchIndexState, SearchIndexStorage } from './ports/search-index.js';
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
} from './ports/sso-storage.js';
export type {
  AuditQuery,
  AuditRepository,
  CustomRoleRepository,
  ImportRepository,
  OrganizationRepository,
  SessionContext,
  SortOrder,
  Storage,
  StorageTransaction,
  UserKeyset,
  UserQuery,
  UserRepository,
  UserSortField,
} from './ports/storage.js';
export type { ResourceCatalog, ResourceType, ResourceTypeDefinition } from './resources.js';
export { defineResources } from './resources.js';
export type { PermissionChoice } from './rules/availability.js';
export type { DomainRefusalReason, VerificationFailure } from './rules/domains.js';
export { normalizeDomain } from './rules/domains.js';
export type { RateLimit } from './rules/rate-limit.js';
export { actorSchema } from './schemas/actor.js';
export type { DomainVerificationOptions } from './schemas/domains.js';
export { domainVerificationOptionsSchema } from './schemas/domains.js';
export type { SecurityPolicyInput } from './schemas/factors.js';
export { securityPolicySchema } from './schemas/factors.js';
export type { JsonValue } from './schemas/json.js';
export type {
  CreateOrganizationInput,
  ListOrganizationsInput,
  UpdateOrganizationInput,
} from './schemas/organizations.js';
export {
  createOrganizationSchema,
  listOrganizationsSchema,
  updateOrganizationSchema,
} from './schemas/organizations.js';
export type {
  CustomRoleInput,
  ExportAuditInput,
  ExportAuditOptions,
  ListAuditInput,
} from './schemas/roles-audit.js';
export {
  customRoleSchema,
  exportAuditOptionsSchema,
  exportAuditSchema,
  listAuditSchema,
} from './schemas/roles-audit.js';
export { createConnectionSchema, updateConnectionSchema } from './schemas/sso.js';
export type {
  AddUserInput,
  ForgetResourceInput,
  ListUsersInput,
  ResourceAccessInput,
  ResourceHoldersInput,
  SetAccessInput,
  UpdateUserInput,
} from './schemas/users.js';
export {
  addUserSchema,
  forgetResourceSchema,
  listUsersSchema,
  resourceAccessSchema,
  resourceHoldersSchema,
  setAccessSchema,
  updateUserSchema,
} from './schemas/users.js';
export type { EncryptionKey } from './secrets/secret-box.js';
export type { SsoApi, SsoConnectionChange, SsoConnectionOptions, SsoProviderInput } from './sso-api.js';
export type { Domain, RoleMapping, SsoAccess, SsoConnection, SsoConnectionType } from './sso-types.js';
export type {
  Actor,
  Address,
  AssignableRole,
  Attributes,
  AuditEvent,
  AuditPage,
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
  UserView,
} from './types.js';
export type { UserManagementOptions } from './user-management.js';
export { UserManagement } from './user-management.js';
export { userSortKey } from './user-order.js';
