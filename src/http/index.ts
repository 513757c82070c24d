/**
 * `tenantry/http`: the whole API as a Web-standard fetch handler, with its
 * OpenAPI document.
 *
 * @packageDocumentation
 */
export type { CookieOptions } from './cookies.js';
export {
  type AuthenticateContext,
  type Connection,
  createFetchHandler,
  type FetchHandler,
  type FetchHandlerOptions,
} from './handler.js';
export { type ErrorBody, httpStatusOfCode } from './responses.js';
export { createSsoEndpoints, type SsoEndpointsOptions } from './sso-endpoints.js';
