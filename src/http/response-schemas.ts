import { z } from 'zod';
import { errorCodes } from '../error-codes.js';
import { profileSchema } from '../schemas/organizations.js';

/**
 * What the API answers, as JSON (dates as ISO 8601 text). These schemas
 * describe responses in the OpenAPI document; objects are closed, so the
 * document also promises that nothing else (no secret) is in them.
 */
const date = z.iso.datetime();
const keys = z.array(z.string());

const actor = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('operator') }),
  z.strictObject({ type: z.literal('system') }),
  z.strictObject({ type: z.literal('user'), userId: z.string() }),
]);

/** Resource access by type: `'all'`, or the ids granted. */
const resourceAccess = z.record(z.string(), z.union([z.literal('all'), z.array(z.string())]));

/** A user as the API shows them (`UserView`). */
export const userResponse = z.strictObject({
  id: z.string(),
  organizationId: z.string(),
  email: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  phone: z.string().nullable(),
  status: z.enum(['pending', 'active', 'disabled']),
  canSignIn: z.boolean(),
  permissions: keys,
  roles: keys,
  expiresAt: date.nullable(),
  failedSignIns: z.number().int(),
  lockedAt: date.nullable(),
  lockedUntil: date.nullable(),
  mustChangePassword: z.boolean(),
  emailNotifications: z.boolean(),
  preferences: z.strictObject({
    locale: z.string().optional(),
    timeZone: z.string().optional(),
    dateFormat: z.string().optional(),
    timeFormat: z.string().optional(),
    numberFormat: z.string().optional(),
  }),
  fields: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  termsAcceptedAt: date.nullable(),
  createdAt: date,
  updatedAt: date,
  activatedAt: date.nullable(),
  lastSignInAt: date.nullable(),
  erasedAt: date.nullable(),
  resourceAccess,
  effectiveResourceAccess: resourceAccess,
  effectivePermissions: keys,
  isAdmin: z.boolean(),
  isContactPerson: z.boolean(),
  locked: z.boolean(),
  expired: z.boolean(),
});

/** An organization. */
export const organizationResponse = z.strictObject({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['standard', 'partner']),
  parentId: z.string().nullable(),
  partnerId: z.string().nullable(),
  features: keys,
  allowedRoles: keys.nullable(),
  contactUserId: z.string().nullable(),
  profile: profileSchema,
  securityPolicy: z.strictObject({
    mfa: z.enum(['optional', 'required', 'required-for-admins']),
    enrollmentGraceDays: z.number().int(),
    mfaRequiredSince: date.nullable(),
    ssoRequired: z.boolean(),
  }),
  attributes: z.record(z.string(), z.unknown()),
  createdAt: date,
  updatedAt: date,
});

/** A session, without its token. */
export const sessionResponse = z.strictObject({
  id: z.string(),
  userId: z.string(),
  createdAt: date,
  lastSeenAt: date,
  expiresAt: date,
  absoluteExpiresAt: date,
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  revokedAt: date.nullable(),
  authenticationMethods: z.array(z.enum(['password', 'totp', 'passkey', 'recovery-code', 'sso'])),
  enrollmentDueAt: date.nullable(),
});

/** A started session; `token` only where the handler exposes it (no session cookie). */
export const signedInResponse = z.strictObject({
  token: z.string().optional(),
  session: sessionResponse,
  user: userResponse,
});

/** The answer of signing in. */
export const signInResponse = z.discriminatedUnion('kind', [
  signedInResponse.extend({ kind: z.literal('session') }),
  z.strictObject({ kind: z.literal('password-change-required'), challengeToken: z.string(), user: userResponse }),
  z.strictObject({
    kind: z.literal('second-factor-required'),
    challengeToken: z.string(),
    methods: z.array(z.enum(['totp', 'passkey', 'recovery-code'])),
    user: userResponse,
  }),
  z.strictObject({
    kind: z.literal('second-factor-enrollment-required'),
    challengeToken: z.string(),
    user: userResponse,
  }),
]);

/** The answer of accepting an invitation: a session, or a second factor first. */
export const invitationAcceptedResponse = z.discriminatedUnion('kind', [
  signInResponse.options[0],
  signInResponse.options[2],
  signInResponse.options[3],
]);

/** The session, its user now, the actor and the effective permissions. */
export const validatedSessionResponse = z.strictObject({
  session: sessionResponse,
  user: userResponse,
  actor,
  permissions: keys,
  resourceAccess,
});

/** A second factor, without its secret. */
export const factorResponse = z.strictObject({
  id: z.string(),
  type: z.enum(['totp', 'passkey']),
  label: z.string(),
  createdAt: date,
  lastUsedAt: date.nullable(),
});

/** A TOTP enrollment: the secret to type in, the URI for a QR code. */
export const totpEnrollmentResponse = z.strictObject({ enrollmentId: z.string(), secret: z.string(), uri: z.string() });

/** A confirmed factor, recovery codes with the first one, and the sign-in it finished, if any. */
export const factorConfirmationResponse = z.strictObject({
  factor: factorResponse,
  recoveryCodes: z.array(z.string()),
  token: z.string().optional(),
  session: sessionResponse.optional(),
  signIn: signInResponse.optional(),
});

/** What an invitation link is for. */
export const invitationPreviewResponse = z.strictObject({
  email: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  organizationName: z.string(),
  expiresAt: date,
  termsRequired: z.boolean(),
});

/** One page of a listing. */
export const pageOf = (item: z.ZodType) => z.strictObject({ items: z.array(item), nextCursor: z.string().nullable() });

/** An audit event. */
export const auditEventResponse = z.strictObject({
  id: z.string(),
  at: date,
  actor,
  organizationId: z.string().nullable(),
  action: z.string(),
  targetId: z.string().nullable(),
  changes: z.record(z.string(), z.strictObject({ before: z.unknown(), after: z.unknown() })),
  metadata: z.record(z.string(), z.unknown()),
});

/** A page of the audit trail, with the names of whom it mentions when asked for. */
export const auditPageResponse = z.strictObject({
  items: z.array(auditEventResponse),
  nextCursor: z.string().nullable(),
  names: z.record(z.string(), z.string()).optional(),
});

/** An import report. */
export const importReportResponse = z.strictObject({
  id: z.string(),
  organizationId: z.string(),
  requestedBy: actor,
  status: z.enum(['running', 'interrupted', 'finished', 'failed']),
  mode: z.enum(['skip', 'update']),
  dryRun: z.boolean(),
  total: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  skipped: z.number().int(),
  failed: z.number().int(),
  exceptions: z.array(
    z.strictObject({ row: z.number().int(), email: z.string(), code: z.enum(errorCodes), message: z.string() }),
  ),
  startedAt: date,
  updatedAt: date,
  finishedAt: date.nullable(),
});

/** A role an organization may assign. */
export const roleResponse = z.strictObject({
  key: z.string(),
  label: z.string(),
  permissions: keys,
  custom: z.boolean(),
});

/** A permission as it stands for an organization and the actor. */
export const permissionChoiceResponse = z.strictObject({
  key: z.string(),
  label: z.string(),
  description: z.string().nullable(),
  requires: keys,
  operatorOnly: z.boolean(),
  available: z.boolean(),
  grantable: z.boolean(),
});

/** The answer of inviting by address list. */
export const inviteByEmailResponse = z.strictObject({
  created: z.array(userResponse),
  matched: z.array(userResponse),
  rejected: z.array(z.strictObject({ email: z.string(), code: z.enum(errorCodes) })),
});

/** A mail domain an organization claims, with the TXT record that proves it. */
export const domainResponse = z.strictObject({
  organizationId: z.string(),
  domain: z.string(),
  status: z.enum(['pending', 'verified']),
  verification: z.strictObject({ recordName: z.string(), recordValue: z.string() }),
  createdAt: date,
  verifiedAt: date.nullable(),
});

/** Names for the response schemas that several operations share, as `components.schemas` entries. */
export const sharedSchemas = z.registry<{ id: string }>();
sharedSchemas.add(userResponse, { id: 'User' });
sharedSchemas.add(organizationResponse, { id: 'Organization' });
sharedSchemas.add(sessionResponse, { id: 'Session' });
sharedSchemas.add(factorResponse, { id: 'Factor' });
sharedSchemas.add(auditEventResponse, { id: 'AuditEvent' });
sharedSchemas.add(importReportResponse, { id: 'ImportReport' });
sharedSchemas.add(roleResponse, { id: 'Role' });
sharedSchemas.add(domainResponse, { id: 'Domain' });
