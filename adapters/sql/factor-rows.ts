import type { StoredFactor, WebAuthnChallenge } from '../../src/adapter-kit/index.js';
import type { ColumnCodec, Row } from './row-mapping.js';

/** The columns of `tenantry_factors`, in the order of `factorValues`. */
export const factorColumns =
  'id, user_id, organization_id, type, label, created_at, confirmed_at, last_used_at, secret, last_step, credential_id, public_key, counter, transports';

/** The columns of `tenantry_webauthn_challenges`, in the order of `webauthnChallengeValues`. */
export const webauthnChallengeColumns = 'digest, ceremony, user_id, created_at, expires_at, consumed_at';

/** Second factors and WebAuthn challenges read from their rows and written to their columns. */
export interface FactorRows {
  factorFrom(row: Row): StoredFactor;
  factorValues(factor: StoredFactor): unknown[];
  webauthnChallengeFrom(row: Row): WebAuthnChallenge;
  webauthnChallengeValues(challenge: WebAuthnChallenge): unknown[];
}

/** The rows of second factors and WebAuthn challenges, in the representation of `codec`. */
export function factorRows(codec: ColumnCodec): FactorRows {
  const isAbsent = (value: unknown): value is null | undefined => value === null || value === undefined;
  const text = (value: unknown): string | null => (isAbsent(value) ? null : String(value));
  const date = (value: unknown) => codec.readDate(value);
  const maybeDate = (value: unknown) => (isAbsent(value) ? null : codec.readDate(value));
  const writeMaybeDate = (value: Date | null) => (value === null ? null : codec.writeDate(value));
  /** A whole number that pg returns as text from a `bigint` column. */
  const maybeNumber = (value: unknown) => (isAbsent(value) ? null : Number(value));
  return {
    factorFrom: (row) => ({
      id: String(row.id),
      userId: String(row.user_id),
      organizationId: String(row.organization_id),
      type: row.type as StoredFactor['type'],
      label: String(row.label),
      createdAt: date(row.created_at),
      confirmedAt: maybeDate(row.confirmed_at),
      lastUsedAt: maybeDate(row.last_used_at),
      secret: text(row.secret),
      lastStep: maybeNumber(row.last_step),
      credentialId: text(row.credential_id),
      publicKey: text(row.public_key),
      counter: Number(row.counter),
      transports: codec.readList(row.transports),
    }),

    factorValues: (f) => [
      f.id,
      f.userId,
      f.organizationId,
      f.type,
      f.label,
      codec.writeDate(f.createdAt),
      writeMaybeDate(f.confirmedAt),
      writeMaybeDate(f.lastUsedAt),
      f.secret,
      f.lastStep,
      f.credentialId,
      f.publicKey,
      f.counter,
      codec.writeList(f.transports),
    ],

    webauthnChallengeFrom: (row) => ({
      digest: String(row.digest),
      ceremony: row.ceremony as WebAuthnChallenge['ceremony'],
      userId: text(row.user_id),
      createdAt: date(row.created_at),
      expiresAt: date(row.expires_at),
      consumedAt: maybeDate(row.consumed_at),
    }),

    webauthnChallengeValues: (c) => [
      c.digest,
      c.ceremony,
      c.userId,
      codec.writeDate(c.createdAt),
      codec.writeDate(c.expiresAt),
      writeMaybeDate(c.consumedAt),
    ],
  };
}
