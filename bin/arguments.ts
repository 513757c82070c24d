import { parseArgs } from 'node:util';
import { UsageError } from './errors.js';

/** One option of a command, as `util.parseArgs` takes it plus what the help shows. */
interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** The placeholder of the value in the help, e.g. `URL`. */
  value?: string;
  description: string;
  required?: boolean;
  choices?: readonly string[];
}

/** A command: its options, its positional arguments and its help. */
interface CommandSpec {
  summary: string;
  usage: string;
  positionals: readonly { name: string; description: string }[];
  options: Readonly<Record<string, OptionSpec>>;
  notes?: readonly string[];
}

const globalOptions: Readonly<Record<string, OptionSpec>> = {
  help: { type: 'boolean', short: 'h', description: 'show this help' },
  verbose: { type: 'boolean', description: 'print stack traces of unexpected errors' },
};

const databaseUrl: OptionSpec = {
  type: 'string',
  value: 'URL',
  description:
    'postgres://… or postgresql://… (needs pg), sqlite:PATH or a .db/.sqlite/.sqlite3 file (needs better-sqlite3)',
};
const schema: OptionSpec = {
  type: 'string',
  value: 'NAME',
  description: 'PostgreSQL only: the schema that holds the tables (default: the search_path)',
};

/** The commands, by name, in the order the help lists them. */
export const commands = {
  migrate: {
    summary: 'create or update the tables of tenantry in a database',
    usage: 'tenantry migrate --database-url URL [--schema NAME]',
    positionals: [],
    options: { 'database-url': { ...databaseUrl, required: true }, schema },
    notes: [
      'Applies the migrations the database lacks, each once, and prints their versions.',
      'Safe to run from several processes at once, and again: a second run is up to date.',
    ],
  },
  template: {
    summary: 'print the header line of an import file',
    usage: 'tenantry template',
    positionals: [],
    options: {},
    notes: ['Prints the CSV header with every column an import file may have, in order.'],
  },
  import: {
    summary: 'import users from a CSV file into an organization',
    usage: 'tenantry import FILE --org ORGANIZATION_ID (--database-url URL | --config MODULE) [options]',
    positionals: [{ name: 'FILE', description: 'the CSV file (see `tenantry template`)' }],
    options: {
      org: { type: 'string', value: 'ID', description: 'the organization to import into', required: true },
      mode: {
        type: 'string',
        value: 'skip|update',
        description: 'skip users who already exist, or update them (default: skip)',
        choices: ['skip', 'update'],
      },
      'dry-run': { type: 'boolean', description: 'check every row and write nothing but the report' },
      invite: { type: 'boolean', description: 'mail an invitation to each new user (needs --config)' },
      'database-url': databaseUrl,
      schema,
      config: {
        type: 'string',
        value: 'MODULE',
        description: "a module whose default export is the application's UserManagement (or a function returning it)",
      },
    },
    notes: [
      'Runs as the operator. With --database-url only the built-in permissions exist, no roles and no mailer;',
      "--config brings the application's permissions, roles and mailer. Exit code 2 means some rows failed.",
    ],
  },
  audit: {
    summary: "export an organization's audit trail to stdout as NDJSON (`tenantry audit export`)",
    usage: 'tenantry audit export --org ORGANIZATION_ID (--database-url URL | --config MODULE) [options]',
    positionals: [{ name: 'export', description: 'what to do with the trail: export it (the only action)' }],
    options: {
      org: { type: 'string', value: 'ID', description: 'the organization whose trail to export', required: true },
      action: { type: 'string', value: 'ACTION', description: 'only events of this action, e.g. user.created' },
      target: { type: 'string', value: 'ID', description: 'only events about this target (a user, an organization)' },
      after: { type: 'string', value: 'ISO', description: 'only events at or after this time (ISO 8601 with offset)' },
      before: { type: 'string', value: 'ISO', description: 'only events before this time (ISO 8601 with offset)' },
      'database-url': databaseUrl,
      schema,
      config: {
        type: 'string',
        value: 'MODULE',
        description: "a module whose default export is the application's UserManagement (or a function returning it)",
      },
    },
    notes: [
      'Writes one JSON event per line, newest first, up to the newest event when it starts; read in pages of 500 as',
      'stdout takes them. Runs as the operator and is audited as one audit.exported event with the filters.',
    ],
  },
  purge: {
    summary: 'remove what the retention policy says is over (for a daily cron job)',
    usage: 'tenantry purge (--database-url URL | --config MODULE) [--schema NAME] [--now DATE]',
    positionals: [],
    options: {
      'database-url': databaseUrl,
      schema,
      config: {
        type: 'string',
        value: 'MODULE',
        description: "a module whose default export is the application's UserManagement, with its retention policy",
      },
      now: { type: 'string', value: 'DATE', description: 'the moment retention counts back from (default: now)' },
    },
    notes: [
      'Removes ended sessions, used and expired tokens and challenges, and the import reports and audit events',
      'older than their periods, if the policy sets them (with --database-url, the default policy: kept), in',
      'batches; prints how many rows of each kind went. Runs as the operator, audited as one event.',
    ],
  },
} as const satisfies Record<string, CommandSpec>;

/** A command's name. */
export type CommandName = keyof typeof commands;

/** What the command line asks for. */
export type Invocation =
  | { kind: 'help'; command?: CommandName }
  | { kind: 'version' }
  | {
      kind: 'run';
      command: CommandName;
      values: Record<string, string | boolean | undefined>;
      positionals: string[];
      verbose: boolean;
    };

function isCommand(name: string): name is CommandName {
  return Object.hasOwn(commands, name);
}

/** `util.parseArgs`'s errors, said shortly: "unknown option --x", "option --org needs a value". */
function usageFrom(error: unknown, command?: string): UsageError {
  const { code, message } = error as { code?: string; message: string };
  const option = /'(-[^' ]+)/.exec(message)?.[1];
  const argument = /'([^']*)'/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) return new UsageError(`unknown option ${option}`, command);
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) {
    const takesNone = /does not take an argument/.test(message);
    return new UsageError(`option ${option} ${takesNone ? 'takes no value' : 'needs a value'}`, command);
  }
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL' && argument !== undefined) {
    return new UsageError(`unexpected argument '${argument}'`, command);
  }
  return new UsageError(message, command);
}

function parseOptions(
  args: string[],
  options: Record<string, OptionSpec>,
  allowPositionals: boolean,
  command?: string,
) {
  const config = Object.fromEntries(
    Object.entries(options).map(([name, { type, short }]) => [name, short === undefined ? { type } : { type, short }]),
  );
  try {
    return parseArgs({ args, options: config, allowPositionals, strict: true });
  } catch (error) {
    throw usageFrom(error, command);
  }
}

/** True when `--help`/`-h` comes before a `--` that ends the options. */
function asksForHelp(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some((arg) => arg === '--help' || arg === '-h');
}

/**
 * Reads the command line (without `node` and the script): global options
 * (`--help`, `--version`, `--verbose`), then a command and its arguments.
 * Throws a {@link UsageError} for an unknown command, an unknown or missing
 * option, a value outside its choices or a wrong number of arguments.
 */
export function parseCommandLine(argv: readonly string[]): Invocation {
  const at = argv.findIndex((arg) => !arg.startsWith('-'));
  const before = at === -1 ? [...argv] : argv.slice(0, at);
  const globals = parseOptions(before, { ...globalOptions, version: { type: 'boolean', description: '' } }, false);
  if (globals.values.version) return { kind: 'version' };
  if (at === -1) {
    if (globals.values.help) return { kind: 'help' };
    throw new UsageError('missing command');
  }
  const name = argv[at] as string;
  const rest = argv.slice(at + 1);
  if (name === 'help') {
    const topic = rest.find((arg) => !arg.startsWith('-'));
    if (topic !== undefined && !isCommand(topic)) throw new UsageError(`unknown command '${topic}'`);
    return topic === undefined ? { kind: 'help' } : { kind: 'help', command: topic };
  }
  if (!isCommand(name)) throw new UsageError(`unknown command '${name}'`);
  if (globals.values.help || asksForHelp(rest)) return { kind: 'help', command: name };
  const spec: CommandSpec = commands[name];
  const options = { ...globalOptions, ...spec.options };
  const { values, positionals } = parseOptions(rest, options, spec.positionals.length > 0, name);
  for (const [option, { required, choices, value }] of Object.entries(spec.options)) {
    const given = values[option];
    if (required && given === undefined) throw new UsageError(`missing option --${option} ${value ?? ''}`.trim(), name);
    if (choices && typeof given === 'string' && !choices.includes(given)) {
      throw new UsageError(`--${option} must be one of ${choices.join(', ')}, not '${given}'`, name);
    }
  }
  const missing = spec.positionals[positionals.length];
  if (missing) throw new UsageError(`missing ${missing.name}: ${missing.description}`, name);
  if (positionals.length > spec.positionals.length) {
    throw new UsageError(`unexpected argument '${positionals[spec.positionals.length]}'`, name);
  }
  const verbose = globals.values.verbose === true || values.verbose === true;
  return { kind: 'run', command: name, values, positionals, verbose };
}

function optionLines(options: Readonly<Record<string, OptionSpec>>): string[] {
  const entries = Object.entries(options).map(([name, spec]) => {
    const flag = `${spec.short ? `-${spec.short}, ` : ''}--${name}${spec.value ? ` ${spec.value}` : ''}`;
    return [flag, `${spec.description}${spec.required ? ' (required)' : ''}`] as const;
  });
  const width = Math.max(...entries.map(([flag]) => flag.length));
  return entries.flatMap(([flag, description]) =>
    wrap(description, 100 - width - 4).map((line, index) => `  ${(index === 0 ? flag : '').padEnd(width)}  ${line}`),
  );
}

/** Words of `text` in lines of at most `width` characters (a longer word gets a line of its own). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  return [...lines, line];
}

/** The help of one command, or of the whole tool when `command` is undefined. */
export function helpText(command?: CommandName): string {
  if (command === undefined) {
    const names = Object.keys(commands) as CommandName[];
    const width = Math.max(...names.map((name) => name.length));
    return [
      'Usage: tenantry COMMAND [options]',
      '',
      'Operator tasks for a tenantry installation.',
      '',
      'Commands:',
      ...names.map((name) => `  ${name.padEnd(width)}  ${commands[name].summary}`),
      '',
      'Options:',
      ...optionLines({ ...globalOptions, version: { type: 'boolean', description: 'print the version' } }),
      '',
      "Run 'tenantry COMMAND --help' for the options of a command.",
      'Exit codes: 0 done, 1 failed, 2 an import finished with rows that failed, 64 wrong usage.',
      '',
    ].join('\n');
  }
  const spec: CommandSpec = commands[command];
  const arguments_ = spec.positionals.map(({ name, description }) => `  ${name}  ${description}`);
  return [
    `Usage: ${spec.usage}`,
    '',
    `${spec.summary[0]?.toUpperCase()}${spec.summary.slice(1)}.`,
    ...(spec.notes ?? []),
    ...(arguments_.length > 0 ? ['', 'Arguments:', ...arguments_] : []),
    '',
    'Options:',
    ...optionLines({ ...spec.options, ...globalOptions }),
    '',
  ].join('\n');
}
