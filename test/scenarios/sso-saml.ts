import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SamlResponseVariant, SamlTestUser } from '../support/saml-idp.js';
import { codeOf, type MakeStorage } from '../support/tenantry.js';
import { footprint, type SsoWorld, ssoCompany, startSsoWorld, stopSsoWorld } from './sso-fixture.js';

const cleo: SamlTestUser = {
  nameId: 'cleo@contoso.test',
  email: 'cleo@contoso.test',
  givenName: 'Cleo',
  familyName: 'New',
  groups: ['portal-editors'],
};

export function describeSamlSignIn(name: string, makeStorage: MakeStorage): void {
  describe(`${name}: single sign-on with SAML`, () => {
    let world: SsoWorld;
    beforeAll(async () => {
      world = await startSsoWorld();
    }, 60_000);
    afterAll(() => stopSsoWorld(world));

    const samlCompany = async () => {
      const company = await ssoCompany(makeStorage, world);
      const connection = await company.ann.sso.createConnection(
        company.contoso.organization.id,
        { type: 'saml', idpMetadataXml: world.saml.metadataXml },
        {
          roleMapping: { claim: 'groups', map: { 'portal-editors': { roles: ['advanced'], permissions: [] } } },
          defaultAccess: { roles: ['basic'], permissions: [] },
        },
      );
      /** Begins at tenantry; the identity provider answers the request for the user. */
      const respond = async (user: SamlTestUser, variant?: SamlResponseVariant) => {
        const { url, state } = await company.um.auth.beginSso({ email: user.email });
        const posted = await world.saml.respond(url, user, variant);
        return { state, ...posted };
      };
      return { ...company, connection, respond };
    };

    it('creates a newcomer from a signed assertion, and refuses the same response posted twice', async () => {
      const company = await samlCompany();
      expect(company.connection).toMatchObject({
        type: 'saml',
        acsUrl: 'https://portal.example.test/sso/acs',
        entityId: 'https://portal.example.test/sso/metadata',
        idpEntityId: world.saml.entityId,
      });
      const posted = await company.respond(cleo);
      expect(posted.relayState).toBe(posted.state);
      const signedIn = await company.um.auth.completeSso({ state: posted.state, samlResponse: posted.samlResponse });
      expect(signedIn).toMatchObject({
        kind: 'session',
        created: true,
        user: { email: 'cleo@contoso.test', firstName: 'Cleo', roles: ['advanced'], status: 'active' },
        session: { authenticationMethods: ['sso'] },
      });
      const replay = company.um.auth.completeSso({ state: posted.state, samlResponse: posted.samlResponse });
      expect(await codeOf(replay)).toBe('SSO_FAILED');
      // The response again, for a sign-in of its own: it answers another request.
      const { state } = await company.um.auth.beginSso({ connectionId: company.connection.id });
      const elsewhere = await company.um.auth
        .completeSso({ state, samlResponse: posted.samlResponse })
        .catch((error: { details: unknown }) => error.details);
      expect(elsewhere).toMatchObject({ reason: 'in-response-to-mismatch' });
    });

    it('accepts a response once when it is posted twice at the same moment', async () => {
      const company = await samlCompany();
      const posted = await company.respond(cleo);
      const outcomes = await Promise.allSettled(
        [1, 2].map(() => company.um.auth.completeSso({ state: posted.state, samlResponse: posted.samlResponse })),
      );
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      const refused = outcomes.find((outcome) => outcome.status === 'rejected') as PromiseRejectedResult;
      expect(refused.reason).toMatchObject({ code: 'SSO_FAILED' });
      expect(['replay', 'state-invalid']).toContain(refused.reason.details.reason);
    });

    it('refuses an unsigned assertion and a wrong audience, changing nothing but the audit trail', async () => {
      const company = await samlCompany();
      for (const [variant, reason] of [
        [{ signing: 'none' }, 'signature-invalid'],
        [{ audience: 'https://another-portal.example.test/sso/metadata' }, 'audience-mismatch'],
      ] as const) {
        const before = await footprint(company);
        const posted = await company.respond(cleo, variant);
        const error = await company.um.auth
          .completeSso({ state: posted.state, samlResponse: posted.samlResponse })
          .catch((caught: unknown) => caught);
        expect(error).toMatchObject({ code: 'SSO_FAILED', details: { reason } });
        expect(await footprint(company)).toEqual(before);
      }
      const { items } = await company.operator.audit.list({
        organizationId: company.contoso.organization.id,
        action: 'sso.failed',
      });
      expect(items.map((event) => event.metadata?.reason).sort()).toEqual(['audience-mismatch', 'signature-invalid']);
    });

    it('links an existing user by address and never reaches another company’s', async () => {
      const company = await samlCompany();
      const bob = await company.respond({ ...cleo, nameId: 'bob-at-idp', email: 'bob@contoso.test', groups: [] });
      const linked = await company.um.auth.completeSso({ state: bob.state, samlResponse: bob.samlResponse });
      expect(linked).toMatchObject({ created: false, user: { id: company.bob.id, roles: ['basic'] } });
      const eve = await company.respond({ ...cleo, nameId: 'eve', email: 'eve@contoso.test' });
      const refused = company.um.auth.completeSso({ state: eve.state, samlResponse: eve.samlResponse });
      expect(await refused.catch((error: { details: unknown }) => error.details)).toMatchObject({
        reason: 'user-in-other-organization',
      });
    });
  });
}
