const DAY = 86_400_000;

/** What the cutoffs of a purge are computed from: the retention periods and the windows that still read old rows. */
export interface RetentionSettings {
  endedSessionsDays: number;
  usedTokensDays: number;
  importReportsDays: number | null;
  auditEventsDays: number | null;
  /** The mail budgets count the tokens issued in this window, so none younger may go. */
  mailWindowMs: number;
  /** A SAML assertion id must outlive its expiry by the clock difference tolerated with providers. */
  clockSkewMs: number;
  /** A running import's report that nothing wrote for this long is over; none younger may go. */
  importStaleAfterMs: number;
}

/** The cutoff of each kind of record a purge removes; a kind left out is kept forever. */
export interface RetentionCutoffs {
  sessions: Date;
  tokens: Date;
  webauthnChallenges: Date;
  ssoLogins: Date;
  ssoAssertions: Date;
  importReports?: Date;
  auditEvents?: Date;
}

/**
 * The cutoff of each kind a purge at `now` removes (see `PurgeKind`): what
 * ended before it goes. Kinds kept forever (import reports and audit events
 * without a period) are left out. Every cutoff is at or before `now`, so
 * nothing live is selected.
 */
export function retentionCutoffs(settings: RetentionSettings, now: Date): RetentionCutoffs {
  const ago = (ms: number) => new Date(now.getTime() - ms);
  const usedTokens = settings.usedTokensDays * DAY;
  const cutoffs: RetentionCutoffs = {
    sessions: ago(settings.endedSessionsDays * DAY),
    tokens: ago(Math.max(usedTokens, settings.mailWindowMs)),
    webauthnChallenges: ago(usedTokens),
    ssoLogins: ago(usedTokens),
    ssoAssertions: ago(Math.max(usedTokens, settings.clockSkewMs)),
  };
  if (settings.importReportsDays !== null) {
    cutoffs.importReports = ago(Math.max(settings.importReportsDays * DAY, settings.importStaleAfterMs));
  }
  if (settings.auditEventsDays !== null) cutoffs.auditEvents = ago(settings.auditEventsDays * DAY);
  return cutoffs;
}
