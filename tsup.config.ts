import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    rules: 'src/rules/index.ts',
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
  // import.meta.url in the CommonJS build (the password strength worker finds its modules from it).
  shims: true,
});
