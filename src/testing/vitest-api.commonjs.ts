import type { withVitest as withStaticVitest } from './vitest-api.js';

/**
 * `withVitest` for the CommonJS build of `tenantry/testing`. vitest refuses
 * `require()` (its CommonJS entry throws), so it is imported dynamically when
 * a contract is described, and the module loads without it. The tests are
 * registered once the import settles: a test file must await the contract,
 * at its top level or in an async `describe`, while vitest collects it.
 */
export const withVitest: typeof withStaticVitest = async (register) => {
  register(await import('vitest'));
};
