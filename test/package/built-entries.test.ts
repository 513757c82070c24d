import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dist = join(root, 'dist');

type Conditions = { import: { default: string }; require: { default: string } };
const exportsMap = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).exports as Record<string, unknown>;
const entries = Object.entries(exportsMap).filter(
  (entry): entry is [string, Conditions] => entry[0] !== './package.json',
);

/** The names each entry exports, loaded by a fresh Node process as ES modules or through `require`. */
async function exportedNames(format: 'import' | 'require'): Promise<Record<string, string[]>> {
  const targets = Object.fromEntries(
    entries.map(([subpath, conditions]) => {
      const file = join(root, conditions[format].default);
      return [subpath, format === 'import' ? pathToFileURL(file).href : file];
    }),
  );
  const load = format === 'import' ? 'await import(target)' : 'require(target)';
  const script = `const names = {};
    for (const [subpath, target] of Object.entries(${JSON.stringify(targets)})) names[subpath] = Object.keys(${load}).sort();
    console.log(JSON.stringify(names));`;
  const args = format === 'import' ? ['--input-type=module', '-e', script] : ['-e', script];
  const { stdout } = await promisify(execFile)(process.execPath, args, { cwd: root });
  return JSON.parse(stdout);
}

if (existsSync(join(dist, 'testing.cjs'))) {
  describe('the built package (dist/, from the last npm run build)', () => {
    it('loads every entry as an ES module and through require, with the same exports', async () => {
      const [asModules, required] = await Promise.all([exportedNames('import'), exportedNames('require')]);
      expect(Object.keys(asModules)).toEqual(entries.map(([subpath]) => subpath));
      expect(required).toEqual(asModules);
      expect(asModules['./adapter-kit']).toEqual(expect.arrayContaining(['emailKey', 'roleTakenError', 'Mutex']));
      expect(asModules['./testing']).toEqual(expect.arrayContaining(['describeStorageContract', 'userRecord']));
    });
  });

  // The CommonJS build imports vitest when a contract is described: awaited here, its tests run like the others.
  const require = createRequire(import.meta.url);
  const testing = require(join(dist, 'testing.cjs')) as typeof import('../../src/testing/index.js');
  const memory = require(join(dist, 'memory.cjs')) as typeof import('../../adapters/memory/index.js');
  await testing.describeStorageContract('memory, through dist/testing.cjs', () => memory.memoryStorage());
  await testing.describeRateLimiterContract('memory, through dist/testing.cjs', () => memory.memoryRateLimiter());

  const esm = (await import(pathToFileURL(join(dist, 'testing.js')).href)) as typeof testing;
  await esm.describeRateLimiterContract('memory, through dist/testing.js', () => memory.memoryRateLimiter());
} else if (process.env.TENANTRY_REQUIRE_BUILD) {
  it('needs the built package', () => {
    throw new Error('dist/ is missing, but TENANTRY_REQUIRE_BUILD asks for the built-package tests: run npm run build');
  });
} else {
  it.skip('needs the built package: run npm run build', () => undefined);
}
