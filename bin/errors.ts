/** The exit codes of the command line. */
export const exitCodes = {
  /** Everything went as asked. */
  ok: 0,
  /** The command failed: a refusal, a database error, a file that cannot be read. */
  failure: 1,
  /** An import finished, but some of its rows were not imported. */
  rowsFailed: 2,
  /** The command line itself is wrong (sysexits' EX_USAGE). */
  usage: 64,
} as const;

/** A mistake on the command line; `command` names the command whose help to point at. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly command: string | undefined;

  constructor(message: string, command?: string) {
    super(message);
    this.command = command;
  }
}

/** A failure the command line explains itself, in one message, without a stack trace. */
export class CliError extends Error {
  override readonly name = 'CliError';
}

/** What the command line needs of a `TenantryError` (the host's copy of tenantry may differ from the bundled one). */
interface TenantryErrorLike {
  name: 'TenantryError';
  code: string;
  message: string;
  details?: { issues?: unknown };
}

function isTenantryErrorLike(error: unknown): error is TenantryErrorLike {
  const candidate = error as Partial<TenantryErrorLike> | null;
  return error instanceof Error && candidate?.name === 'TenantryError' && typeof candidate.code === 'string';
}

/** True for errors of PostgreSQL (`pg`), SQLite (better-sqlite3) or the connection to the server. */
function isDatabaseError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code, severity } = error as Error & { code?: unknown; severity?: unknown };
  if (error.name === 'SqliteError' || (typeof severity === 'string' && typeof code === 'string')) return true;
  const connection = ['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH'];
  return typeof code === 'string' && connection.includes(code);
}

/** The message of an error; for an `AggregateError` (a refused connection on every address) the first inner one. */
function messageOf(error: Error): string {
  if (error.message !== '') return error.message;
  const inner = error instanceof AggregateError ? error.errors.find((item) => item instanceof Error) : undefined;
  if (inner instanceof Error) return messageOf(inner);
  const code = (error as Error & { code?: unknown }).code;
  return typeof code === 'string' ? code : error.name;
}

/** A table of tenantry is missing: PostgreSQL's `undefined_table`, or SQLite's "no such table". */
function isMissingTable(error: Error): boolean {
  const { code } = error as Error & { code?: unknown };
  return (code === '42P01' && /tenantry_/.test(error.message)) || /no such table: tenantry_/.test(error.message);
}

/** The lines that describe why a validation failed (`details.issues` of a `TenantryError`). */
function issueLines(error: TenantryErrorLike): string[] {
  const issues = Array.isArray(error.details?.issues) ? error.details.issues : [];
  return issues.flatMap((issue: { path?: unknown; message?: unknown }) => {
    if (typeof issue?.message !== 'string' || issue.message === error.message) return [];
    const path = Array.isArray(issue.path) ? issue.path.join('.') : String(issue.path ?? '');
    return [`  ${path === '' ? '' : `${path}: `}${issue.message}`];
  });
}

/**
 * Explains an error for stderr and picks the exit code: usage mistakes 64 with
 * a hint to `--help`; a `TenantryError` as `CODE: message`; database and other
 * errors by their message, with the stack only when `verbose`.
 */
export function describeError(error: unknown, verbose: boolean): { lines: string[]; exitCode: number } {
  if (error instanceof UsageError) {
    const help = error.command === undefined ? 'tenantry --help' : `tenantry ${error.command} --help`;
    return { lines: [`tenantry: ${error.message}`, `Run '${help}' for usage.`], exitCode: exitCodes.usage };
  }
  if (isTenantryErrorLike(error)) {
    return { lines: [`${error.code}: ${error.message}`, ...issueLines(error)], exitCode: exitCodes.failure };
  }
  if (error instanceof CliError) return { lines: [`tenantry: ${error.message}`], exitCode: exitCodes.failure };
  const known = error instanceof Error;
  const message = known ? messageOf(error) : String(error);
  const lines = [`tenantry: ${isDatabaseError(error) ? 'database error: ' : ''}${message}`];
  if (known && isMissingTable(error)) lines.push("Has 'tenantry migrate' been run on this database?");
  if (known && verbose && error.stack) lines.push(error.stack);
  else if (known) lines.push('(run again with --verbose to see the stack trace)');
  return { lines, exitCode: exitCodes.failure };
}
