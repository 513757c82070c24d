/** The organization's mail domains: each with its status and the TXT record that proves it; add, verify, remove. */

import { confirmingButton, copyable } from './admin-widgets.js';
import { api, explain } from './api.js';
import { $, el, fill, say, when } from './dom.js';
import { state } from './state.js';

const base = () => `/api/organizations/${encodeURIComponent(state.organizationId)}/domains`;
const message = (text, kind = 'ok') => say($('domains-message'), text, kind);

/** The claims' failures to verify, in words (`DOMAIN_UNVERIFIED`'s `details.reason`). */
const unverified = {
  'record-missing': 'no TXT record at that name yet (not published, or not visible yet)',
  'record-mismatch': 'TXT records at that name, but none with this value',
  'lookup-failed': 'the DNS server failed to answer',
  timeout: 'the DNS server did not answer in time',
};

async function act(work, done) {
  message();
  try {
    await work();
    if (done) message(done);
  } catch (error) {
    const reason = error.details?.reason;
    message(
      error.code === 'DOMAIN_UNVERIFIED' && unverified[reason]
        ? `Not verified: ${unverified[reason]}.`
        : explain(error),
      'error',
    );
  }
  await loadDomains();
}

function domainRow(claim) {
  const path = `${base()}/${encodeURIComponent(claim.domain)}`;
  const verified = claim.status === 'verified';
  const verify = () =>
    act(
      () => api('POST', `${path}/verification`),
      verified ? `${claim.domain} is still verified.` : `${claim.domain} is verified.`,
    );
  return el(
    'tr',
    { 'data-domain': claim.domain },
    el('td', {}, el('strong', {}, claim.domain)),
    el(
      'td',
      {},
      el('span', { class: `badge ${verified ? 'active' : 'pending'}` }, claim.status),
      verified ? el('div', { class: 'hint' }, `since ${when(claim.verifiedAt)}`) : null,
    ),
    el(
      'td',
      { class: 'record' },
      el('div', {}, 'TXT ', copyable(claim.verification.recordName)),
      el('div', {}, copyable(claim.verification.recordValue)),
    ),
    el(
      'td',
      {},
      el(
        'div',
        { class: 'toolbar' },
        verified
          ? null
          : el(
              'button',
              {
                type: 'button',
                class: 'secondary demo-only',
                title:
                  'Demo only: sets the record in the DNS server the demo runs, as your IT would at your DNS provider',
                onclick: () =>
                  act(
                    () =>
                      api('POST', '/demo/dns-records', { organizationId: state.organizationId, domain: claim.domain }),
                    `Published in the demo DNS: ${claim.verification.recordName}. Now verify.`,
                  ),
              },
              'Publish in the demo DNS',
            ),
        el('button', { type: 'button', onclick: verify }, verified ? 'Check again' : 'Verify'),
        confirmingButton('Remove', 'Really remove?', () =>
          act(() => api('DELETE', path), `${claim.domain} is no longer claimed.`),
        ),
      ),
    ),
  );
}

/** Reloads the table of the current organization's domains. */
export async function loadDomains() {
  const table = $('domains-table');
  table.setAttribute('aria-busy', 'true');
  try {
    const claims = await api('GET', base());
    fill(table.tBodies[0], claims.map(domainRow));
    $('domains-empty').hidden = claims.length > 0;
  } catch (error) {
    fill(table.tBodies[0]);
    message(explain(error), 'error');
  } finally {
    table.setAttribute('aria-busy', 'false');
  }
}

async function addDomain(event) {
  event.preventDefault();
  const input = event.currentTarget.elements.domain;
  await act(async () => {
    const claim = await api('POST', base(), { domain: input.value.trim() });
    input.value = '';
    message(`Claimed ${claim.domain}: publish its TXT record at your DNS provider, then verify.`);
  });
}

export function domainsSection() {
  return el(
    'section',
    { 'aria-labelledby': 'domains-title' },
    el('h2', { id: 'domains-title' }, 'Domains'),
    el(
      'p',
      { class: 'hint' },
      'Claim your mail domain, publish its TXT record at your DNS provider, then verify it. A domain is verified by ',
      'one organization only. ',
      el('span', { class: 'badge warn' }, 'demo only'),
      ' This demo runs its own DNS server: "Publish in the demo DNS" stands in for your IT.',
    ),
    el(
      'table',
      { id: 'domains-table', 'aria-busy': 'true' },
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          el('th', {}, 'Domain'),
          el('th', {}, 'Status'),
          el('th', {}, 'TXT record to publish'),
          el('th', {}),
        ),
      ),
      el('tbody'),
    ),
    el('p', { id: 'domains-empty', class: 'muted', hidden: true }, 'No domain claimed yet.'),
    el(
      'form',
      { id: 'domain-form', class: 'line', onsubmit: addDomain },
      el(
        'label',
        {},
        'Domain ',
        el('input', { name: 'domain', required: true, placeholder: 'e.g. contoso.com', maxlength: 253 }),
      ),
      el('button', { type: 'submit' }, 'Add domain'),
    ),
    el('p', { id: 'domains-message', class: 'message', role: 'alert' }),
  );
}
