import { emailKey, type User, userSearchText, userSortKey } from '../../src/adapter-kit/index.js';
import type { ColumnCodec, Row } from './row-mapping.js';

/** The columns a user is read from, in the order of `userValues`. */
export const userColumns =
  'id, organization_id, email, first_name, last_name, phone, status, can_sign_in, permissions, roles, expires_at, failed_sign_ins, locked_at, locked_until, must_change_password, email_notifications, preferences, fields, terms_accepted_at, created_at, updated_at, activated_at, last_sign_in_at, erased_at';

/**
 * The columns a user is written to: `userColumns`, then the keys the core
 * compares, sorts and searches by, lower-cased and accent-folded in
 * JavaScript so that they do not depend on the database's locale.
 */
export const userWriteColumns = `${userColumns}, email_key, last_name_key, first_name_key, search_text`;

/** A user read from its row and written to its columns (`userWriteColumns`), in the representation of `codec`. */
export function userRows(codec: ColumnCodec): { userFrom(row: Row): User; userValues(user: User): unknown[] } {
  const maybeDate = (value: unknown) => (value === null || value === undefined ? null : codec.readDate(value));
  const writeMaybeDate = (value: Date | null) => (value === null ? null : codec.writeDate(value));
  return {
    userFrom: (row) => ({
      id: String(row.id),
      organizationId: String(row.organization_id),
      email: String(row.email),
      firstName: String(row.first_name),
      lastName: String(row.last_name),
      phone: row.phone === null || row.phone === undefined ? null : String(row.phone),
      status: row.status as User['status'],
      canSignIn: codec.readBoolean(row.can_sign_in),
      permissions: codec.readList(row.permissions),
      roles: codec.readList(row.roles),
      expiresAt: maybeDate(row.expires_at),
      failedSignIns: Number(row.failed_sign_ins),
      lockedAt: maybeDate(row.locked_at),
      lockedUntil: maybeDate(row.locked_until),
      mustChangePassword: codec.readBoolean(row.must_change_password),
      emailNotifications: codec.readBoolean(row.email_notifications),
      preferences: codec.readJson(row.preferences),
      fields: codec.readJson(row.fields),
      termsAcceptedAt: maybeDate(row.terms_accepted_at),
      createdAt: codec.readDate(row.created_at),
      updatedAt: codec.readDate(row.updated_at),
      activatedAt: maybeDate(row.activated_at),
      lastSignInAt: maybeDate(row.last_sign_in_at),
      erasedAt: maybeDate(row.erased_at),
    }),

    userValues: (u) => {
      const [lastNameKey, firstNameKey] = userSortKey(u, 'name');
      return [
        u.id,
        u.organizationId,
        u.email,
        u.firstName,
        u.lastName,
        u.phone,
        u.status,
        codec.writeBoolean(u.canSignIn),
        codec.writeList(u.permissions),
        codec.writeList(u.roles),
        writeMaybeDate(u.expiresAt),
        u.failedSignIns,
        writeMaybeDate(u.lockedAt),
        writeMaybeDate(u.lockedUntil),
        codec.writeBoolean(u.mustChangePassword),
        codec.writeBoolean(u.emailNotifications),
        codec.writeJson(u.preferences),
        codec.writeJson(u.fields),
        writeMaybeDate(u.termsAcceptedAt),
        codec.writeDate(u.createdAt),
        codec.writeDate(u.updatedAt),
        writeMaybeDate(u.activatedAt),
        writeMaybeDate(u.lastSignInAt),
        writeMaybeDate(u.erasedAt),
        emailKey(u.email),
        lastNameKey,
        firstNameKey,
        userSearchText(u),
      ];
    },
  };
}
