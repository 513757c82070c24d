import { TenantryError } from '../errors.js';
import type { StoredSsoConnection } from '../ports/sso-storage.js';
import type { OidcSettings } from '../sso/oidc.js';
import type { SamlIdpSettings, SamlServiceProvider } from '../sso/saml.js';
import type { SsoConnection } from '../sso-types.js';
import type { FlowContext } from './context.js';

/** What an OIDC connection keeps in its settings (the client secret sealed). */
export interface StoredOidcSettings {
  issuer: string;
  clientId: string;
  sealedClientSecret: string;
  scopes: string[];
  trustProviderMfa: boolean;
}

/** What a SAML connection keeps in its settings: the provider as its metadata described it. */
export interface StoredSamlSettings extends SamlIdpSettings {
  idpMetadataXml: string;
  trustProviderMfa: boolean;
}

/** The context a client secret is sealed for: its connection, so a sealed secret cannot be moved to another. */
export function clientSecretContext(connectionId: string): string {
  return `sso-client-secret:${connectionId}`;
}

/** Where providers send the browser back, and the service provider SAML identity providers know this portal as. */
export function ssoEndpoints(baseUrl: string): { redirectUri: string } & SamlServiceProvider {
  return { redirectUri: `${baseUrl}/sso/callback`, acsUrl: `${baseUrl}/sso/acs`, entityId: `${baseUrl}/sso/metadata` };
}

/** A connection as the API shows it: what the company's IT needs, never a secret. */
export function connectionView(connection: StoredSsoConnection, baseUrl: string): SsoConnection {
  const endpoints = ssoEndpoints(baseUrl);
  const common = {
    id: connection.id,
    organizationId: connection.organizationId,
    type: connection.type,
    name: connection.name,
    enabled: connection.enabled,
    roleMapping: connection.roleMapping,
    defaultAccess: connection.defaultAccess,
    createdAt: connection.createdAt,
    updatedAt: connection.updatedAt,
  };
  if (connection.type === 'oidc') {
    const settings = connection.settings as unknown as StoredOidcSettings;
    return { ...common, redirectUri: endpoints.redirectUri, issuer: settings.issuer, clientId: settings.clientId };
  }
  const settings = connection.settings as unknown as StoredSamlSettings;
  return { ...common, acsUrl: endpoints.acsUrl, entityId: endpoints.entityId, idpEntityId: settings.entityId };
}

/** An OIDC connection's settings for the relying party, the client secret opened. */
export function oidcSettingsOf(context: FlowContext, connection: StoredSsoConnection): OidcSettings {
  const settings = connection.settings as unknown as StoredOidcSettings;
  const clientSecret = context.secrets.open(settings.sealedClientSecret, clientSecretContext(connection.id));
  if (clientSecret === null) {
    // The key that sealed it was removed from the installation: the connection needs its secret again.
    throw new TenantryError('SSO_FAILED', 'This SSO connection needs its client secret entered again', {
      reason: 'connection-unavailable',
    });
  }
  return { issuer: settings.issuer, clientId: settings.clientId, clientSecret, scopes: settings.scopes };
}

/** A SAML connection's identity provider. */
export function samlSettingsOf(connection: StoredSsoConnection): SamlIdpSettings {
  const settings = connection.settings as unknown as StoredSamlSettings;
  return { entityId: settings.entityId, ssoUrl: settings.ssoUrl, certificates: settings.certificates };
}

/** Seals a client secret for a connection; refuses without the installation's encryption keys. */
export function sealedClientSecret(context: FlowContext, connectionId: string, secret: string): string {
  const sealed = context.secrets.seal(secret, clientSecretContext(connectionId));
  if (sealed === null) {
    throw new TenantryError('VALIDATION_FAILED', 'OIDC connections need the installation’s encryptionKeys option', {
      option: 'encryptionKeys',
    });
  }
  return sealed;
}
