import type { z } from 'zod';
import type { Operation, OperationResult } from './operations/operation.js';
import { createConnection, listConnections, removeConnection, updateConnection } from './operations/sso/connections.js';
import type { createConnectionSchema, updateConnectionSchema } from './schemas/sso.js';
import type { SsoConnection } from './sso-types.js';

/** The provider of a new connection: an OpenID provider, or a SAML identity provider by its metadata. */
export type SsoProviderInput = z.input<typeof createConnectionSchema>[1];
/** A connection's options: its name, whether it is enabled, its role mapping and default access. */
export type SsoConnectionOptions = NonNullable<z.input<typeof createConnectionSchema>[2]>;
/** A change of a connection: its options, and its provider's settings. */
export type SsoConnectionChange = z.input<typeof updateConnectionSchema>[1];

/**
 * `um.as(actor).sso`: an organization's connections to its identity
 * providers, by its administrators or the operator. Secrets go in and never
 * come out.
 */
export interface SsoApi {
  /**
   * Connects the organization to its provider. OIDC: `{ type: 'oidc',
   * issuer, clientId, clientSecret, scopes? }` (the issuer must answer
   * discovery; the secret is sealed with the installation's encryption
   * keys). SAML: `{ type: 'saml', idpMetadataXml }`. Options: `name`,
   * `enabled` (true), `roleMapping`, `defaultAccess` (what a user created
   * just in time starts with) and `trustProviderMfa` (true: the provider's
   * second factor counts for a policy that requires one).
   */
  createConnection(
    organizationId: string,
    provider: SsoProviderInput,
    options?: SsoConnectionOptions,
  ): Promise<SsoConnection>;
  /** The organization's connections, oldest first. */
  list(organizationId: string): Promise<SsoConnection[]>;
  /** Changes a connection: options, a new client secret, new SAML metadata (a rotated certificate). */
  update(connectionId: string, change: SsoConnectionChange): Promise<SsoConnection>;
  /** Removes a connection; its users stay, their links to the provider go. */
  remove(connectionId: string): Promise<void>;
}

type Perform = <Op extends Operation>(operation: Op, ...args: unknown[]) => Promise<OperationResult<Op>>;

/** `um.as(actor).sso` over the orchestrator. */
export function ssoApi(perform: Perform): SsoApi {
  return {
    createConnection: (organizationId, provider, options) =>
      perform(createConnection, organizationId, provider, options),
    list: (organizationId) => perform(listConnections, organizationId),
    update: (connectionId, change) => perform(updateConnection, connectionId, change),
    remove: (connectionId) => perform(removeConnection, connectionId),
  };
}
