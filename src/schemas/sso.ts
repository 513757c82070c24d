import { z } from 'zod';
import { idSchema, keyListSchema, nameSchema, opaqueTokenSchema } from './common.js';
import { storableText } from './text.js';

/** An https URL (or, for development against a provider on this machine, http on a loopback address). */
const providerUrlSchema = storableText(2000).refine((value) => {
  try {
    const url = new URL(value);
    const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
    return url.protocol === 'https:' || (url.protocol === 'http:' && loopback);
  } catch {
    return false;
  }
}, 'Expected an https URL');

/** Roles and permissions a connection grants. */
export const ssoAccessSchema = z.strictObject({
  roles: keyListSchema.default([]),
  permissions: keyListSchema.default([]),
});

/** How a provider's claim maps to access: each value of `claim`, to roles and permissions. */
export const roleMappingSchema = z.strictObject({
  claim: storableText(200).min(1),
  map: z
    .record(storableText(500).min(1), ssoAccessSchema)
    .refine((map) => Object.keys(map).length <= 200, 'At most 200 mapped values'),
});

/** An OpenID Connect provider: its issuer and this portal's client there. */
export const oidcConnectionSchema = z.strictObject({
  type: z.literal('oidc'),
  issuer: providerUrlSchema,
  clientId: storableText(500).min(1),
  clientSecret: storableText(2000).min(1),
  scopes: z
    .array(storableText(100).regex(/^[\x21\x23-\x5b\x5d-\x7e]+$/u, 'Expected a scope'))
    .max(20)
    .optional(),
});

/** A SAML identity provider, by its metadata. */
export const samlConnectionSchema = z.strictObject({
  type: z.literal('saml'),
  idpMetadataXml: storableText(1_000_000).min(1),
});

/** What a connection is, besides its provider. */
const connectionOptionsSchema = z.strictObject({
  name: nameSchema.optional(),
  enabled: z.boolean().optional(),
  roleMapping: roleMappingSchema.nullable().optional(),
  defaultAccess: ssoAccessSchema.optional(),
  /** Whether the provider's second factor counts for a policy that requires one (default true). */
  trustProviderMfa: z.boolean().optional(),
});

/** Input of `sso.createConnection`. */
export const createConnectionSchema = z.tuple([
  idSchema,
  z.discriminatedUnion('type', [oidcConnectionSchema, samlConnectionSchema]),
  connectionOptionsSchema.optional(),
]);

/** Input of `sso.update`: the options, and for OIDC a new client secret or issuer, for SAML new metadata. */
export const updateConnectionSchema = z.tuple([
  idSchema,
  connectionOptionsSchema.extend({
    clientId: storableText(500).min(1).optional(),
    clientSecret: storableText(2000).min(1).optional(),
    issuer: providerUrlSchema.optional(),
    scopes: oidcConnectionSchema.shape.scopes,
    idpMetadataXml: samlConnectionSchema.shape.idpMetadataXml.optional(),
  }),
]);

/** Input of `auth.discover`. */
export const discoverSchema = z.strictObject({ email: storableText(320) });

/** Input of `auth.beginSso`. */
export const beginSsoSchema = z.tuple([
  z.union([z.strictObject({ connectionId: idSchema }), z.strictObject({ email: storableText(320) })]),
  z.strictObject({ returnTo: storableText(2000).optional(), ip: storableText(100).optional() }).optional(),
]);

const clientFields = { ip: storableText(100).optional(), userAgent: storableText(500).optional() };

/** Input of `auth.completeSso`: the state, and the provider's answer (the callback URL, or the SAML response). */
export const completeSsoSchema = z.union([
  z.strictObject({ state: opaqueTokenSchema, callbackUrl: storableText(8000).min(1), ...clientFields }),
  z.strictObject({ state: opaqueTokenSchema, samlResponse: storableText(2_000_000).min(1), ...clientFields }),
]);
