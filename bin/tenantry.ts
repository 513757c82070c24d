#!/usr/bin/env node
/**
 * `tenantry`, the command line for operators: `migrate` a database, print the
 * import `template`, `import` users from a CSV file, and `purge` what the
 * retention policy says is over. Run `tenantry --help`.
 *
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importTemplate } from '../src/import/columns.js';
import { helpText, type Invocation, parseCommandLine } from './arguments.js';
import { describeError, exitCodes } from './errors.js';
import { cell, type Output } from './terminal.js';

/** The version in tenantry's package.json, found by walking up from this file (in `dist/` or the sources). */
function version(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = join(directory, 'package.json');
    if (existsSync(file)) {
      const manifest = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (manifest.name === 'tenantry' && manifest.version) return manifest.version;
    }
    const parent = dirname(directory);
    if (parent === directory) return 'unknown';
    directory = parent;
  }
}

type Run = Extract<Invocation, { kind: 'run' }>;

const text = (value: string | boolean | undefined): string | undefined =>
  typeof value === 'string' ? value : undefined;

async function runCommand({ command, values, positionals }: Run, output: Output): Promise<number> {
  switch (command) {
    case 'template':
      output.stdout.write(`${importTemplate()}\n`);
      return exitCodes.ok;
    case 'migrate': {
      // The commands load the core and the adapters when they run, so that help, version and template start at once.
      const { migrateCommand } = await import('./migrate-command.js');
      return migrateCommand(
        { databaseUrl: text(values['database-url']) as string, schema: text(values.schema) },
        output,
      );
    }
    case 'import': {
      const { importCommand } = await import('./import-command.js');
      return importCommand(
        {
          file: positionals[0] as string,
          organizationId: text(values.org) as string,
          mode: values.mode === 'update' ? 'update' : 'skip',
          dryRun: values['dry-run'] === true,
          invite: values.invite === true,
          databaseUrl: text(values['database-url']),
          schema: text(values.schema),
          config: text(values.config),
        },
        output,
      );
    }
    case 'audit': {
      const { auditExportCommand } = await import('./audit-export-command.js');
      return auditExportCommand(
        {
          subcommand: positionals[0] as string,
          organizationId: text(values.org) as string,
          action: text(values.action),
          targetId: text(values.target),
          after: text(values.after),
          before: text(values.before),
          databaseUrl: text(values['database-url']),
          schema: text(values.schema),
          config: text(values.config),
        },
        output,
      );
    }
    case 'purge': {
      const { purgeCommand } = await import('./purge-command.js');
      return purgeCommand(
        {
          databaseUrl: text(values['database-url']),
          schema: text(values.schema),
          config: text(values.config),
          now: text(values.now),
        },
        output,
      );
    }
  }
}

/**
 * Runs the command line `argv` (without `node` and the script) and returns
 * the exit code; errors are explained on stderr, never thrown.
 */
async function main(argv: readonly string[], output: Output): Promise<number> {
  const end = argv.indexOf('--');
  const verbose = (end === -1 ? argv : argv.slice(0, end)).includes('--verbose');
  try {
    const invocation = parseCommandLine(argv);
    if (invocation.kind === 'version') {
      output.stdout.write(`${version()}\n`);
      return exitCodes.ok;
    }
    if (invocation.kind === 'help') {
      output.stdout.write(helpText(invocation.command));
      return exitCodes.ok;
    }
    return await runCommand(invocation, output);
  } catch (error) {
    const { lines, exitCode } = describeError(error, verbose);
    // Messages may quote the file or the database: print them without control characters.
    const printable = lines.flatMap((line) => line.split('\n')).map((line) => cell(line));
    output.stderr.write(`${printable.join('\n')}\n`);
    return exitCode;
  }
}

// A reader that stops early (`tenantry template | head -c 5`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});

// The exit code is set, not forced: the process ends once the database handles are closed and output is flushed.
main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then((code) => {
  process.exitCode = code;
});
