import { z } from 'zod';
import { addDomain, listDomains, removeDomain } from '../operations/domains/claims.js';
import { verifyDomain } from '../operations/domains/verify.js';
import { operationRoute } from './operation-route.js';
import { domainResponse } from './response-schemas.js';
import type { Route } from './routing.js';

const tag = 'domains';
const base = '/organizations/{organizationId}/domains';

/** The routes of `um.as(actor).domains`: an organization's mail domains, proven by a DNS TXT record. */
export const domainRoutes: Route[] = [
  operationRoute(listDomains, {
    method: 'GET',
    path: base,
    response: z.array(domainResponse),
    summary: "The organization's mail domains, pending and verified (its admins or the operator)",
    tag,
    access: 'actor',
    returns: 'The claims by domain, each with the TXT record that proves it',
    args: ({ params }) => [params.organizationId],
  }),
  operationRoute(addDomain, {
    method: 'POST',
    path: base,
    response: domainResponse,
    summary: 'Claim a mail domain for the organization; public mail domains are refused',
    tag,
    access: 'actor',
    body: { domain: 1 },
    status: 201,
    returns: 'The pending claim (or the claim the organization holds already), with the TXT record to publish',
    args: ({ params, body }) => [params.organizationId, (body as { domain: unknown }).domain],
  }),
  operationRoute(verifyDomain, {
    method: 'POST',
    path: `${base}/{domain}/verification`,
    response: domainResponse,
    summary:
      "Look the domain's TXT record up and mark it verified; DOMAIN_UNVERIFIED with the reason when it is not found",
    tag,
    access: 'actor',
    returns: 'The verified claim',
    args: ({ params }) => [params.organizationId, params.domain],
  }),
  operationRoute(removeDomain, {
    method: 'DELETE',
    path: `${base}/{domain}`,
    summary: "Give up the organization's claim of a domain",
    tag,
    access: 'actor',
    status: 204,
    returns: 'Nothing',
    args: ({ params }) => [params.organizationId, params.domain],
  }),
];
