import { z } from 'zod';
import { TenantryError } from '../../errors.js';
import {
  connectionView,
  oidcSettingsOf,
  type StoredOidcSettings,
  type StoredSamlSettings,
  sealedClientSecret,
} from '../../flows/sso-connections.js';
import { notFound, type Unit } from '../../flows/unit.js';
import type { StoredSsoConnection } from '../../ports/sso-storage.js';
import { newId } from '../../random.js';
import { ssoGrantProblems } from '../../rules/sso-access.js';
import { idSchema } from '../../schemas/common.js';
import { createConnectionSchema, updateConnectionSchema } from '../../schemas/sso.js';
import { parseIdpMetadata } from '../../sso/saml.js';
import type { SsoAccess, SsoConnection } from '../../sso-types.js';
import type { Organization } from '../../types.js';
import { defineOperation } from '../operation.js';

const defaultScopes = ['openid', 'email', 'profile'];
const noAccess: SsoAccess = { roles: [], permissions: [] };

/** The mapping and default access must be grantable by a provider here (`VALIDATION_FAILED` naming what is not). */
async function checkGrants(unit: Unit, organization: Organization, connection: StoredSsoConnection): Promise<void> {
  const scope = { organization, catalog: unit.context.catalog, roles: await unit.rolesOf(organization) };
  const accesses = [connection.defaultAccess, ...Object.values(connection.roleMapping?.map ?? {})];
  const problems = accesses.flatMap((access) => ssoGrantProblems(access, scope));
  if (problems.length > 0) {
    const [first] = problems;
    throw new TenantryError(
      'VALIDATION_FAILED',
      `An identity provider cannot grant the ${first?.kind} "${first?.key}" here (${first?.reason})`,
      { problems },
    );
  }
}

/**
 * An organization that requires SSO keeps an enabled connection: without
 * one, only its admins could sign in. Its policy is changed first.
 */
async function keepSignInPossible(unit: Unit, organization: Organization, leaving: string): Promise<void> {
  if (!organization.securityPolicy.ssoRequired) return;
  const others = await unit.tx.ssoConnections.enabledFor([organization.id]);
  if (others.some((other) => other.id !== leaving)) return;
  throw new TenantryError(
    'CONFLICT',
    'The organization requires SSO: turn that off before disabling or removing its last connection',
  );
}

function recordChange(unit: Unit, action: string, connection: StoredSsoConnection): void {
  unit.record(action, {
    organizationId: connection.organizationId,
    targetId: connection.id,
    metadata: { type: connection.type, name: connection.name, enabled: connection.enabled },
  });
}

/**
 * `sso.createConnection`: connects an organization to its identity
 * provider, by its administrators or the operator. OIDC: the issuer must
 * answer discovery; the client secret is sealed with the installation's
 * keys. SAML: the provider's metadata gives its entity id, sign-in URL and
 * signing certificates. The role mapping and default access are checked by
 * the grant rules a provider is held to.
 */
export const createConnection = defineOperation({
  name: 'sso.createConnection',
  input: createConnectionSchema,
  async execute(steps, [organizationId, provider, options = {}]): Promise<SsoConnection> {
    const id = newId('sso');
    let settings: StoredOidcSettings | StoredSamlSettings;
    const trustProviderMfa = options.trustProviderMfa ?? true;
    if (provider.type === 'oidc') {
      const scopes = provider.scopes ?? defaultScopes;
      if (!scopes.includes('openid')) scopes.unshift('openid');
      const { issuer, clientId, clientSecret } = provider;
      // Who may not connect the organization learns nothing of the provider: the check comes after the right one.
      await steps.transact((unit) => unit.organizationFor(organizationId, 'administer'));
      await steps.context.sso.oidc.check({ issuer, clientId, clientSecret, scopes });
      const sealed = sealedClientSecret(steps.context, id, clientSecret);
      settings = { issuer, clientId, sealedClientSecret: sealed, scopes, trustProviderMfa };
    } else {
      const idp = parseIdpMetadata(provider.idpMetadataXml);
      settings = { ...idp, idpMetadataXml: provider.idpMetadataXml, trustProviderMfa };
    }
    return steps.transact(async (unit) => {
      const organization = await unit.organizationFor(organizationId, 'administer', { forUpdate: true });
      const connection: StoredSsoConnection = {
        id,
        organizationId: organization.id,
        type: provider.type,
        name: options.name ?? (provider.type === 'oidc' ? 'OpenID Connect' : 'SAML'),
        enabled: options.enabled ?? true,
        settings: settings as unknown as Record<string, unknown>,
        roleMapping: options.roleMapping ?? null,
        defaultAccess: options.defaultAccess ?? noAccess,
        createdAt: unit.now,
        updatedAt: unit.now,
      };
      await checkGrants(unit, organization, connection);
      await unit.tx.ssoConnections.insert(connection);
      recordChange(unit, 'sso.connection.created', connection);
      return connectionView(connection, unit.context.baseUrl);
    });
  },
});

/** `sso.list`: an organization's connections, for its administrators and the operator. */
export const listConnections = defineOperation({
  name: 'sso.list',
  input: z.tuple([idSchema]),
  async run(unit, [organizationId]): Promise<SsoConnection[]> {
    const organization = await unit.organizationFor(organizationId, 'administer');
    const connections = await unit.tx.ssoConnections.forOrganization(organization.id);
    return connections.map((connection) => connectionView(connection, unit.context.baseUrl));
  },
});

/** A connection the actor administers, locked with its organization; NOT_FOUND for anyone else's. */
async function administeredConnection(unit: Unit, connectionId: string) {
  const connection = await unit.tx.ssoConnections.get(connectionId);
  if (!connection) throw notFound('No such SSO connection');
  const organization = await unit.organizationFor(connection.organizationId, 'administer', { forUpdate: true });
  return { connection, organization };
}

/**
 * `sso.update`: renames, enables or disables a connection, changes its
 * mapping or default access, or its provider's settings (OIDC: issuer,
 * client id, a new client secret — checked by discovery; SAML: new metadata,
 * for a rotated certificate).
 */
export const updateConnection = defineOperation({
  name: 'sso.update',
  input: updateConnectionSchema,
  async execute(steps, [connectionId, change]): Promise<SsoConnection> {
    const current = await steps.transact(async (unit) => (await administeredConnection(unit, connectionId)).connection);
    let settings = current.settings;
    if (current.type === 'oidc' && (change.issuer || change.clientId || change.clientSecret || change.scopes)) {
      const before = current.settings as unknown as StoredOidcSettings;
      const next = {
        issuer: change.issuer ?? before.issuer,
        clientId: change.clientId ?? before.clientId,
        clientSecret: change.clientSecret ?? oidcSettingsOf(steps.context, current).clientSecret,
        scopes: change.scopes ?? before.scopes,
      };
      await steps.context.sso.oidc.check(next);
      const stored: StoredOidcSettings = {
        issuer: next.issuer,
        clientId: next.clientId,
        sealedClientSecret: sealedClientSecret(steps.context, current.id, next.clientSecret),
        scopes: [...next.scopes],
        trustProviderMfa: before.trustProviderMfa,
      };
      settings = stored as unknown as Record<string, unknown>;
    }
    if (current.type === 'saml' && change.idpMetadataXml) {
      settings = { ...settings, ...parseIdpMetadata(change.idpMetadataXml), idpMetadataXml: change.idpMetadataXml };
    }
    if (change.trustProviderMfa !== undefined) settings = { ...settings, trustProviderMfa: change.trustProviderMfa };
    return steps.transact(async (unit) => {
      const { connection, organization } = await administeredConnection(unit, connectionId);
      const updated: StoredSsoConnection = {
        ...connection,
        name: change.name ?? connection.name,
        enabled: change.enabled ?? connection.enabled,
        roleMapping: change.roleMapping === undefined ? connection.roleMapping : change.roleMapping,
        defaultAccess: change.defaultAccess ?? connection.defaultAccess,
        settings,
        updatedAt: unit.now,
      };
      await checkGrants(unit, organization, updated);
      if (!updated.enabled) await keepSignInPossible(unit, organization, connection.id);
      await unit.tx.ssoConnections.update(updated);
      recordChange(unit, 'sso.connection.updated', updated);
      return connectionView(updated, unit.context.baseUrl);
    });
  },
});

/** `sso.remove`: removes a connection and the links of users to their identities there (the users stay). */
export const removeConnection = defineOperation({
  name: 'sso.remove',
  input: z.tuple([idSchema]),
  async run(unit, [connectionId]): Promise<void> {
    const { connection, organization } = await administeredConnection(unit, connectionId);
    await keepSignInPossible(unit, organization, connection.id);
    await unit.tx.ssoConnections.remove(connection.id);
    recordChange(unit, 'sso.connection.removed', connection);
  },
});
