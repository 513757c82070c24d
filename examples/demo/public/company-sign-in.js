/**
 * The "Domains and SSO" tab, for those who administer the organization: its mail domains, proven by a DNS TXT
 * record, and its connections to identity providers. Addresses of a verified domain sign in at the company's
 * provider once a connection is enabled.
 */
import { $, el, fill } from './dom.js';
import { domainsSection, loadDomains } from './domains.js';
import { connectionsSection, loadConnections } from './sso-connections.js';

/** Reloads both lists of the current organization. */
export async function loadCompanySignIn() {
  await Promise.all([loadDomains(), loadConnections()]);
}

export function initCompanySignIn() {
  fill(
    $('company-tab'),
    el(
      'p',
      { class: 'hint' },
      'People whose address is in a verified domain of this organization sign in with its identity provider once a ',
      'connection is enabled; everyone else, and anyone with a password, keeps the password.',
    ),
    domainsSection(),
    connectionsSection(),
  );
}
