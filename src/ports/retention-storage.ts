/**
 * What `maintenance.purge` removes, one kind of record at a time, and which
 * of its rows a cutoff `before` selects (every comparison strict: a row at
 * `before` stays):
 *
 * - `sessions`: revoked before it, or whose absolute lifetime ended before it
 *   (a session that only idled out goes when its absolute lifetime is over:
 *   its idle expiry moves on every use and is kept out of every index);
 * - `tokens`: one-time tokens (invitations, resets, sign-in challenges)
 *   consumed before it, or that expired before it;
 * - `webauthnChallenges`, `ssoLogins`, `ssoAssertions`: expired before it;
 * - `importReports`: last written (`updatedAt`) before it;
 * - `auditEvents`: that happened (`at`) before it.
 */
export type PurgeKind =
  | 'sessions'
  | 'tokens'
  | 'webauthnChallenges'
  | 'ssoLogins'
  | 'ssoAssertions'
  | 'importReports'
  | 'auditEvents';

/** Every {@link PurgeKind}, in the order a purge goes through them. */
export const purgeKinds: readonly PurgeKind[] = [
  'sessions',
  'tokens',
  'webauthnChallenges',
  'ssoLogins',
  'ssoAssertions',
  'importReports',
  'auditEvents',
];

/**
 * Removal of what is over, in bounded batches. The core decides what is over
 * (the cutoff of each kind, from the policy) and how many rows a batch holds;
 * the adapter removes the rows the cutoff selects, found through an index,
 * never more than `limit` in one call, and nothing else.
 */
export interface RetentionRepository {
  /**
   * Deletes at most `limit` rows of `kind` that `before` selects (see
   * {@link PurgeKind}), in any order; returns how many. Fewer than `limit`
   * means none is left. It never deletes a row the cutoff does not select.
   */
  purge(kind: PurgeKind, before: Date, limit: number): Promise<number>;
}
