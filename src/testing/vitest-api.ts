import * as vitest from 'vitest';

/** What the contract suites call of vitest: `describe`, `it`, `expect` and the hooks. */
export type VitestApi = Pick<typeof vitest, 'beforeAll' | 'beforeEach' | 'describe' | 'expect' | 'it'>;

/**
 * Hands vitest to `register`, which describes a contract. In the ES module
 * build (and in this repository's tests) vitest is imported statically, so
 * the tests are registered before the call returns and awaiting the promise
 * changes nothing. The CommonJS build replaces this module with
 * `vitest-api.commonjs.ts` at build time (see tsup.config.ts).
 */
export async function withVitest(register: (api: VitestApi) => void): Promise<void> {
  register(vitest);
}
