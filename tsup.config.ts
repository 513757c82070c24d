import { join } from 'node:path';
import { defineConfig, type Options } from 'tsup';

type EsbuildPlugin = NonNullable<Options['esbuildPlugins']>[number];

/**
 * vitest cannot be required, so the CommonJS build of `tenantry/testing` gets
 * vitest through a dynamic import: this swaps `src/testing/vitest-api.ts`
 * for its CommonJS twin when esbuild builds the `cjs` format.
 */
const vitestForCommonJs: EsbuildPlugin = {
  name: 'vitest-for-commonjs',
  setup(build) {
    // tsup bundles every format as ES modules and converts to CommonJS afterwards; its define names the format.
    if (build.initialOptions.define?.TSUP_FORMAT !== '"cjs"') return;
    build.onResolve({ filter: /^\.\/vitest-api\.js$/ }, (args) =>
      args.resolveDir.endsWith(join('src', 'testing'))
        ? { path: join(args.resolveDir, 'vitest-api.commonjs.ts') }
        : undefined,
    );
  },
};

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    rules: 'src/rules/index.ts',
    'adapter-kit': 'src/adapter-kit/index.ts',
    testing: 'src/testing/index.ts',
    memory: 'adapters/memory/index.ts',
    argon2: 'adapters/argon2/index.ts',
    postgres: 'adapters/postgres/index.ts',
    sqlite: 'adapters/sqlite/index.ts',
    nodemailer: 'adapters/nodemailer/index.ts',
    http: 'src/http/index.ts',
    cli: 'bin/tenantry.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  splitting: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  treeshake: true,
  // An optional peer dependency: only `tenantry/testing` imports it.
  external: ['vitest'],
  esbuildPlugins: [vitestForCommonJs],
  // import.meta.url in the CommonJS build (the password strength worker finds its modules from it).
  shims: true,
});
