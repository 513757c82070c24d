import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** The repository's root. */
export const root = fileURLToPath(new URL('../..', import.meta.url));

/** What a run of the command line gave. */
export interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The built command line in a directory of its own under `scratch/` (git-ignored), where `node_modules` resolves. */
export interface BuiltCli {
  /** The build directory: the bin, `index.js`, `sqlite.js` and `postgres.js` of this build, and whatever a test writes there. */
  directory: string;
  /** Runs `node [nodeOptions] tenantry.js ...args` in `cwd` (default: the build directory). */
  run(args: readonly string[], options?: { cwd?: string; nodeOptions?: readonly string[] }): Promise<Outcome>;
  /** Writes a file into the build directory and returns its path. */
  write(name: string, content: string): string;
  remove(): void;
}

/**
 * Builds `bin/tenantry.ts` with the project's tsup, as ESM, into a fresh
 * directory under `scratch/`. The core and the SQLite and PostgreSQL adapters are built in the
 * same pass as entries of their own (`index.js`, `sqlite.js`, `postgres.js`), sharing chunks
 * with the bin as the package build does, so a config module can import them.
 */
export async function buildCli(): Promise<BuiltCli> {
  mkdirSync(join(root, 'scratch'), { recursive: true });
  const directory = mkdtempSync(join(root, 'scratch', 'cli-'));
  const entries = {
    tenantry: 'bin/tenantry.ts',
    index: 'src/index.ts',
    sqlite: 'adapters/sqlite/index.ts',
    postgres: 'adapters/postgres/index.ts',
  };
  const args = [
    '--no-config',
    ...Object.entries(entries).flatMap(([name, file]) => [`--entry.${name}`, file]),
    ...['--format', 'esm', '--target', 'node20', '--out-dir', directory, '--silent'],
  ];
  await promisify(execFile)(join(root, 'node_modules', '.bin', 'tsup'), args, { cwd: root });
  const bin = join(directory, 'tenantry.js');
  return {
    directory,
    run: (cliArgs, options = {}) =>
      collect(process.execPath, [...(options.nodeOptions ?? []), bin, ...cliArgs], options.cwd ?? directory),
    write(name, content) {
      const file = join(directory, name);
      writeFileSync(file, content);
      return file;
    },
    remove: () => rmSync(directory, { recursive: true, force: true }),
  };
}

/** Runs a program to its end, collecting its output and exit code. */
export function collect(command: string, args: readonly string[], cwd: string): Promise<Outcome> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

/** CSV text from lines, as a spreadsheet saves it. */
export const csv = (...lines: string[]): string => `${lines.join('\r\n')}\r\n`;

/** The value of a `Name: value` line of the import summary. */
export function summaryValue(stdout: string, name: string): string | undefined {
  return new RegExp(`^${name}:\\s+(.*)$`, 'm').exec(stdout)?.[1];
}
