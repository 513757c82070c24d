import type {
  AuditEvent,
  ImportReport,
  OneTimeToken,
  Organization,
  OutboxItem,
  Session,
  SsoIdentity,
  SsoLogin,
  StoredDomain,
  StoredFactor,
  StoredSsoConnection,
  User,
  WebAuthnChallenge,
} from '../adapter-kit/index.js';

let counter = 0;
const next = () => (++counter).toString(36).padStart(6, '0');
const base = new Date('2026-01-01T00:00:00.000Z');

/** `ms` milliseconds after the moment every record fixture is created at (2026-01-01T00:00:00Z). */
export function at(ms: number): Date {
  return new Date(base.getTime() + ms);
}

/** A complete organization record with a fresh id, and `overrides` over the defaults. */
export function organizationRecord(overrides: Partial<Organization> = {}): Organization {
  return {
    id: `org_${next()}`,
    name: 'Acme',
    kind: 'standard',
    parentId: null,
    partnerId: null,
    features: [],
    allowedRoles: null,
    contactUserId: null,
    securityPolicy: { mfa: 'optional', enrollmentGraceDays: 0, mfaRequiredSince: null, ssoRequired: false },
    profile: {},
    attributes: {},
    createdAt: base,
    updatedAt: base,
    ...overrides,
  };
}

/** A complete, active user record of an organization with a fresh id and address, and `overrides` over the defaults. */
export function userRecord(organizationId: string, overrides: Partial<User> = {}): User {
  const id = `usr_${next()}`;
  return {
    id,
    organizationId,
    email: `${id}@example.test`,
    firstName: 'Ada',
    lastName: 'Lovelace',
    phone: null,
    status: 'active',
    canSignIn: true,
    permissions: [],
    roles: [],
    expiresAt: null,
    failedSignIns: 0,
    lockedAt: null,
    lockedUntil: null,
    mustChangePassword: false,
    emailNotifications: true,
    preferences: {},
    fields: {},
    termsAcceptedAt: null,
    createdAt: base,
    updatedAt: base,
    activatedAt: base,
    lastSignInAt: null,
    erasedAt: null,
    ...overrides,
  };
}

/** A complete audit event of an organization with a fresh id, and `overrides` over the defaults. */
export function auditRecord(organizationId: string, overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    id: `evt_${next()}`,
    at: base,
    actor: { type: 'operator' },
    organizationId,
    action: 'user.created',
    targetId: null,
    changes: {},
    metadata: {},
    ...overrides,
  };
}

/** An open invitation token of `usr_a` in `org_a`, valid for an hour, and `overrides` over the defaults. */
export function tokenRecord(overrides: Partial<OneTimeToken> = {}): OneTimeToken {
  return {
    digest: 'a'.repeat(64),
    userId: 'usr_a',
    organizationId: 'org_a',
    purpose: 'invitation',
    origin: 'admin',
    createdAt: at(0),
    expiresAt: at(3_600_000),
    consumedAt: null,
    ...overrides,
  };
}

/** A live session of `usr_a`, idle for at most an hour and a day at most, and `overrides` over the defaults. */
export function sessionRecord(overrides: Partial<Session> = {}): Session {
  return {
    digest: 's'.repeat(64),
    userId: 'usr_a',
    createdAt: at(0),
    lastSeenAt: at(0),
    expiresAt: at(3_600_000),
    absoluteExpiresAt: at(86_400_000),
    authenticationMethods: ['password'],
    enrollmentDueAt: null,
    ip: '127.0.0.1',
    userAgent: 'test',
    revokedAt: null,
    ...overrides,
  };
}

/** A running import of `org_a`, requested by `usr_a`, and `overrides` over the defaults. */
export function importReportRecord(overrides: Partial<ImportReport> = {}): ImportReport {
  return {
    id: 'imp_1',
    organizationId: 'org_a',
    requestedBy: { type: 'user', userId: 'usr_a' },
    status: 'running',
    mode: 'skip',
    dryRun: false,
    total: 3,
    created: 0,
    updated: 0,
    skipped: 0,
    failed: 0,
    exceptions: [],
    startedAt: at(1_000),
    updatedAt: at(1_000),
    finishedAt: null,
    ...overrides,
  };
}

/** A complete outbox item with a fresh id: a mail to `usr_a`, due at once, and `overrides` over the defaults. */
export function outboxRecord(overrides: Partial<OutboxItem> = {}): OutboxItem {
  const id = `out_${next()}`;
  return {
    id,
    kind: 'mail',
    userId: 'usr_a',
    payload: JSON.stringify({ to: 'ada@example.test', subject: 'Grüße ✉', id }),
    createdAt: at(0),
    attempts: 0,
    nextAttemptAt: at(0),
    claimedUntil: null,
    failedAt: null,
    lastError: null,
    ...overrides,
  };
}

/**
 * A confirmed TOTP factor of `usr_a` in `org_a` with a fresh id (its secret a
 * stand-in for a sealed one, no step used yet), and `overrides` over the defaults.
 */
export function factorRecord(overrides: Partial<StoredFactor> = {}): StoredFactor {
  return {
    id: `fac_${next()}`,
    userId: 'usr_a',
    organizationId: 'org_a',
    type: 'totp',
    label: 'Authenticator app',
    createdAt: at(0),
    confirmedAt: at(1_000),
    lastUsedAt: null,
    secret: 'sealed:k1:JBSWY3DPEHPK3PXP',
    lastStep: null,
    credentialId: null,
    publicKey: null,
    counter: 0,
    transports: [],
    ...overrides,
  };
}

/**
 * A confirmed passkey of `usr_a` in `org_a` with a fresh id and credential id,
 * its signature counter at 0, and `overrides` over the defaults.
 */
export function passkeyRecord(overrides: Partial<StoredFactor> = {}): StoredFactor {
  const id = next();
  return factorRecord({
    id: `fac_${id}`,
    type: 'passkey',
    label: 'Security key',
    secret: null,
    credentialId: `Y3JlZGVudGlhbA_${id}`,
    publicKey: 'pQECAyYgASFYIBm5sRk2IEuS0-cPZ9a7e8iJ',
    transports: ['usb', 'nfc'],
    ...overrides,
  });
}

/** An open registration challenge of `usr_a`, valid for five minutes, and `overrides` over the defaults. */
export function webauthnChallengeRecord(overrides: Partial<WebAuthnChallenge> = {}): WebAuthnChallenge {
  return {
    digest: 'c'.repeat(64),
    ceremony: 'registration',
    userId: 'usr_a',
    createdAt: at(0),
    expiresAt: at(300_000),
    consumedAt: null,
    ...overrides,
  };
}

/** A pending claim of `example.test` by `org_a`, and `overrides` over the defaults. */
export function domainRecord(overrides: Partial<StoredDomain> = {}): StoredDomain {
  return {
    organizationId: 'org_a',
    domain: 'example.test',
    verificationToken: `tenantry-verify=${next()}`,
    createdAt: at(0),
    verifiedAt: null,
    ...overrides,
  };
}

/**
 * An enabled OIDC connection of `org_a` with a fresh id (its client secret a
 * stand-in for a sealed one), mapping two groups to access, and `overrides`
 * over the defaults.
 */
export function ssoConnectionRecord(overrides: Partial<StoredSsoConnection> = {}): StoredSsoConnection {
  return {
    id: `sso_${next()}`,
    organizationId: 'org_a',
    type: 'oidc',
    name: 'Entra ID',
    enabled: true,
    settings: {
      issuer: 'https://login.example.test/tenant/v2.0',
      clientId: 'portal',
      clientSecret: 'sealed:k1:c2VjcmV0',
      scopes: ['openid', 'email', 'profile'],
    },
    roleMapping: {
      claim: 'groups',
      map: {
        'portal-admins': { roles: ['admin'], permissions: [] },
        'Ünïcode group ✓': { roles: [], permissions: ['users.read', 'users.invite'] },
      },
    },
    defaultAccess: { roles: ['member'], permissions: [] },
    createdAt: at(0),
    updatedAt: at(0),
    ...overrides,
  };
}

/** An open OIDC sign-in through `connectionId` for `org_a`, valid for ten minutes, and `overrides` over the defaults. */
export function ssoLoginRecord(connectionId: string, overrides: Partial<SsoLogin> = {}): SsoLogin {
  return {
    digest: 'd'.repeat(64),
    connectionId,
    organizationId: 'org_a',
    codeVerifier: 'sealed:k1:dmVyaWZpZXI',
    nonce: `nonce-${next()}`,
    requestId: null,
    returnTo: '/portal/welcome?tab=1',
    createdAt: at(0),
    expiresAt: at(600_000),
    consumedAt: null,
    ...overrides,
  };
}

/** A link of `usr_a` to a fresh subject at `connectionId`, and `overrides` over the defaults. */
export function ssoIdentityRecord(connectionId: string, overrides: Partial<SsoIdentity> = {}): SsoIdentity {
  return {
    connectionId,
    subject: `subject-${next()}`,
    userId: 'usr_a',
    createdAt: at(0),
    lastSignInAt: at(0),
    ...overrides,
  };
}
