import type { PurgeCounts, SearchRefreshReport } from '../src/index.js';
import { exitCodes, UsageError } from './errors.js';
import { checkConnection, userManagementFor } from './installation.js';
import type { Output } from './terminal.js';

/** The options of `tenantry purge`, as read from the command line. */
export interface PurgeOptions {
  databaseUrl?: string | undefined;
  schema?: string | undefined;
  config?: string | undefined;
  /** The moment retention counts back from, as ISO 8601 text (default: now). */
  now?: string | undefined;
}

/** What each count of the report is, in the order printed. */
const labels: Record<keyof PurgeCounts, string> = {
  sessions: 'ended sessions',
  tokens: 'used or expired one-time tokens',
  webauthnChallenges: 'expired WebAuthn challenges',
  ssoLogins: 'expired SSO sign-ins',
  ssoAssertions: 'expired SAML assertion ids',
  importReports: 'import reports',
  auditEvents: 'audit events',
  rateLimits: 'recovered rate limits',
};

function checkOptions(options: PurgeOptions): void {
  checkConnection(options, 'purge');
  if (options.now !== undefined && Number.isNaN(Date.parse(options.now))) {
    throw new UsageError(`--now needs an ISO 8601 date, e.g. 2026-03-01T03:00:00Z (not '${options.now}')`, 'purge');
  }
}

/** What the refresh of the search index did, when it did anything. */
function searchLines({ rebuilt, busy }: SearchRefreshReport): string[] {
  const lines = rebuilt.map(
    ({ organizationId, users }) => `  search index of ${organizationId} built (${users} user${users === 1 ? '' : 's'})`,
  );
  if (busy.length > 0)
    lines.push(`  search index of ${busy.join(', ')} not built: users were being written (next run)`);
  return lines;
}

/**
 * `tenantry purge`: removes, as the operator, what the retention policy says
 * is over (`maintenance.purge`) and prints how many rows of each kind went;
 * then builds the search index of organizations that are due
 * (`maintenance.refreshSearch`). Meant for a daily cron job.
 */
export async function purgeCommand(options: PurgeOptions, output: Output): Promise<number> {
  checkOptions(options);
  const { um, close } = await userManagementFor(options, 'purge');
  try {
    const now = options.now === undefined ? undefined : new Date(options.now);
    const { maintenance } = um.as({ type: 'operator' });
    const report = await maintenance.purge(now === undefined ? {} : { now });
    const width = Math.max(...Object.values(labels).map((label) => label.length));
    const lines = (Object.keys(labels) as (keyof PurgeCounts)[]).map(
      (kind) => `  ${labels[kind].padEnd(width)}  ${report.removed[kind]}`,
    );
    const search = await maintenance.refreshSearch();
    output.stdout.write(
      [
        `Purged as of ${report.now.toISOString()}: ${report.total} row${report.total === 1 ? '' : 's'}`,
        ...lines,
        ...searchLines(search),
        '',
      ].join('\n'),
    );
    return exitCodes.ok;
  } finally {
    await close();
  }
}
