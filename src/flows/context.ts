import type { AccessTokenKeys } from '../access-tokens.js';
import type { PermissionCatalog, RoleCatalog } from '../catalog.js';
import type { CursorCodec } from '../cursor.js';
import type { EventBus } from '../events.js';
import type { FieldCatalog } from '../fields.js';
import type { AuditSampler } from '../limits/audit-sampler.js';
import type { MailTemplates } from '../mail/templates.js';
import type { PasswordHasher } from '../passwords/password-hasher.js';
import type { Policy } from '../policy.js';
import type { Clock } from '../ports/clock.js';
import type { DnsResolver } from '../ports/dns.js';
import type { Mailer } from '../ports/mailer.js';
import type { PasswordChecker } from '../ports/password-checker.js';
import type { RateLimiter } from '../ports/rate-limiter.js';
import type { Storage } from '../ports/storage.js';
import type { ResourceCatalog } from '../resources.js';
import type { DomainVerificationSettings } from '../schemas/domains.js';
import type { SecretBox } from '../secrets/secret-box.js';
import type { OidcRelyingParty } from '../sso/oidc.js';

/** What every flow works with: the ports and the catalog, fixed at construction. */
export interface FlowContext {
  storage: Storage;
  mailer: Mailer;
  clock: Clock;
  catalog: PermissionCatalog;
  standardRoles: RoleCatalog;
  /** The resource types users get access to. */
  resources: ResourceCatalog;
  /** The profile fields of users. */
  fields: FieldCatalog;
  events: EventBus;
  cursors: CursorCodec;
  policy: Policy;
  /** The installation's hasher, admitted through the per-process bound on hashes in flight. */
  passwordHasher: PasswordHasher;
  /** Allowances of the public flows (the installation's, the storage's, or one in memory). */
  rateLimiter: RateLimiter;
  /** Caps the audit events outsiders can cause. */
  auditSampler: AuditSampler;
  /** The host's extra password check: a reason to refuse, or null. */
  passwordChecker: PasswordChecker | undefined;
  /** Seals what must be kept secret and used again, with the installation's encryption keys. */
  secrets: SecretBox;
  /** The source of TOTP secrets and recovery codes. */
  randomBytes: (length: number) => Uint8Array;
  /** The access token keys, when access tokens are configured. */
  accessTokens: AccessTokenKeys | null;
  mailTemplates: Partial<MailTemplates>;
  /** The relying party of OpenID Connect connections (SAML needs no state of its own). */
  sso: { oidc: OidcRelyingParty };
  /** Where links in mail point, without a trailing slash. */
  baseUrl: string;
  /** Where the TXT records that prove a domain are looked up. */
  dns: DnsResolver;
  /** The verification record's prefix, and how long a lookup may take. */
  domainVerification: DomainVerificationSettings;
}
