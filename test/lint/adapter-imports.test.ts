import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
mkdirSync(join(root, 'scratch'), { recursive: true });
const project = mkdtempSync(join(root, 'scratch', 'lint-'));
afterAll(() => rmSync(project, { recursive: true, force: true }));

/**
 * Lints one file with the project's biome and biome.json, as if it were at
 * `path` in a project of its own under `scratch/` (git-ignored, so the
 * ignore file is not consulted for it).
 */
async function lint(path: string, source: string): Promise<{ passed: boolean; output: string }> {
  const file = join(project, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, source);
  const biome = join(root, 'node_modules', '.bin', 'biome');
  const args = ['lint', '--vcs-use-ignore-file=false', '--colors=off', relative(root, file)];
  try {
    const { stdout, stderr } = await promisify(execFile)(biome, args, { cwd: root });
    return { passed: true, output: stdout + stderr };
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    return { passed: false, output: stdout + stderr };
  }
}

const refusal = 'Adapters reach the core only through the adapter kit';

describe('the lint rule on adapters’ imports of the core', () => {
  it('fails an adapter that imports from deep inside src/', async () => {
    const source = "import { emailTakenError } from '../../src/errors.js';\n\nexport const taken = emailTakenError;\n";
    const { passed, output } = await lint('adapters/mysql/users.ts', source);
    expect(passed).toBe(false);
    expect(output).toContain('lint/style/noRestrictedImports');
    expect(output).toContain(refusal);
  });

  it('passes the same adapter importing through the adapter kit', async () => {
    const source =
      "import { emailTakenError } from '../../src/adapter-kit/index.js';\n\nexport const taken = emailTakenError;\n";
    expect(await lint('adapters/mysql/users.ts', source)).toMatchObject({ passed: true });
  });

  it.each([
    ['a type-only import', "import type { User } from '../../src/types.js';\n\nexport type Row = User;\n"],
    ['a re-export', "export { userSortKey } from '../../src/user-order.js';\n"],
    ['a dynamic import', "export const later = () => import('../../src/mutex.js');\n"],
    ['the public entry, outside the entries that re-export it', "export { argon2Hasher } from '../../src/index.js';\n"],
  ])('fails %s of the core', async (_, source) => {
    const { passed, output } = await lint('adapters/mysql/index.ts', source);
    expect(passed).toBe(false);
    expect(output).toContain('lint/style/noRestrictedImports');
  });

  it('fails a deep import from a folder nested in an adapter', async () => {
    const source = "import { Mutex } from '../../../src/mutex.js';\n\nexport const lock = new Mutex();\n";
    expect(await lint('adapters/mysql/pool/connection.ts', source)).toMatchObject({ passed: false });
  });

  it('lets the entries that re-export public core functions import them from the public entry, and nothing deeper', async () => {
    const reexport = "export { memoryRateLimiter } from '../../src/index.js';\n";
    expect(await lint('adapters/memory/index.ts', reexport)).toMatchObject({ passed: true });
    const deep = "export { memoryRateLimiter } from '../../src/limits/memory-rate-limiter.js';\n";
    expect(await lint('adapters/memory/index.ts', deep)).toMatchObject({ passed: false });
  });
});
