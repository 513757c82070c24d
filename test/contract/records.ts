import type { AuditEvent, Organization, User } from '../../src/index.js';

let counter = 0;
const next = () => (++counter).toString(36).padStart(6, '0');
const base = new Date('2026-01-01T00:00:00.000Z');

/** A complete organization record with sensible defaults. */
export function organizationRecord(fields: Partial<Organization> = {}): Organization {
  return {
    id: `org_${next()}`,
    name: 'Acme',
    kind: 'standard',
    parentId: null,
    partnerId: null,
    features: [],
    allowedRoles: null,
    contactUserId: null,
    profile: {},
    attributes: {},
    createdAt: base,
    updatedAt: base,
    ...fields,
  };
}

/** A complete user record with sensible defaults. */
export function userRecord(organizationId: string, fields: Partial<User> = {}): User {
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
    termsAcceptedAt: null,
    createdAt: base,
    updatedAt: base,
    activatedAt: base,
    lastSignInAt: null,
    erasedAt: null,
    ...fields,
  };
}

/** A complete audit event. */
export function auditRecord(organizationId: string, fields: Partial<AuditEvent> = {}): AuditEvent {
  return {
    id: `evt_${next()}`,
    at: base,
    actor: { type: 'operator' },
    organizationId,
    action: 'user.created',
    targetId: null,
    changes: {},
    metadata: {},
    ...fields,
  };
}

/** `ms` milliseconds after the records' base date. */
export function at(ms: number): Date {
  return new Date(base.getTime() + ms);
}
