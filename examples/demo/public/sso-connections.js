/**
 * The organization's connections to its identity providers: what to enter at the provider (the redirect URI, or
 * the ACS URL and entity id), how its groups become access, enable or disable, remove; and new ones, OpenID
 * Connect by issuer and client, SAML by the provider's metadata. Secrets go in and never come back.
 */
import { confirmingButton, copyable } from './admin-widgets.js';
import { api, explain } from './api.js';
import { $, el, fill, say } from './dom.js';
import { roleLabel, state } from './state.js';

const message = (text, kind = 'ok') => say($('connections-message'), text, kind);

async function act(work, done) {
  message();
  try {
    await work();
    if (done) message(done);
  } catch (error) {
    message(explain(error), 'error');
  }
  await loadConnections();
}

const accessInWords = (access) => [...access.roles.map(roleLabel), ...access.permissions].join(', ') || 'no access';

function labelled(label, ...value) {
  return el('div', {}, el('span', { class: 'muted' }, `${label}: `), ...value);
}

function connectionRow(connection) {
  const path = `/api/sso-connections/${encodeURIComponent(connection.id)}`;
  const oidc = connection.type === 'oidc';
  const mapping = Object.entries(connection.roleMapping?.map ?? {}).map(([value, access]) =>
    el('div', {}, `${connection.roleMapping.claim} = ${value} → ${accessInWords(access)}`),
  );
  return el(
    'tr',
    { 'data-connection-id': connection.id, 'data-name': connection.name },
    el('td', {}, el('strong', {}, connection.name), el('div', { class: 'hint' }, oidc ? 'OpenID Connect' : 'SAML 2.0')),
    el(
      'td',
      { class: 'record' },
      oidc
        ? [labelled('Issuer', connection.issuer), labelled('Client id', connection.clientId)]
        : labelled('Entity id', connection.idpEntityId ?? '—'),
    ),
    el(
      'td',
      { class: 'record' },
      oidc
        ? labelled('Redirect URI', copyable(connection.redirectUri))
        : [labelled('ACS URL', copyable(connection.acsUrl)), labelled('Entity id', copyable(connection.entityId))],
    ),
    el('td', {}, mapping, el('div', {}, `otherwise → ${accessInWords(connection.defaultAccess)}`)),
    el(
      'td',
      {},
      el(
        'span',
        { class: `badge ${connection.enabled ? 'active' : 'disabled'}` },
        connection.enabled ? 'enabled' : 'disabled',
      ),
    ),
    el(
      'td',
      {},
      el(
        'div',
        { class: 'toolbar' },
        el(
          'button',
          {
            type: 'button',
            class: 'secondary',
            onclick: () =>
              act(
                () => api('PATCH', path, { enabled: !connection.enabled }),
                `${connection.name} is ${connection.enabled ? 'disabled' : 'enabled'}.`,
              ),
          },
          connection.enabled ? 'Disable' : 'Enable',
        ),
        confirmingButton('Remove', 'Really remove?', () =>
          act(() => api('DELETE', path), `${connection.name} is removed; its users stay.`),
        ),
      ),
    ),
  );
}

/** Reloads the table of the current organization's connections. */
export async function loadConnections() {
  const table = $('connections-table');
  table.setAttribute('aria-busy', 'true');
  try {
    const connections = await api(
      'GET',
      `/api/organizations/${encodeURIComponent(state.organizationId)}/sso-connections`,
    );
    fill(table.tBodies[0], connections.map(connectionRow));
    $('connections-empty').hidden = connections.length > 0;
  } catch (error) {
    fill(table.tBodies[0]);
    message(explain(error), 'error');
  } finally {
    table.setAttribute('aria-busy', 'false');
  }
  for (const select of document.querySelectorAll('#company-tab select[data-roles]')) {
    const chosen = select.value;
    fill(
      select,
      el('option', { value: '' }, 'No role'),
      state.roles.map((role) => el('option', { value: role.key }, role.label)),
    );
    select.value = chosen;
  }
}

/** A new connection's name. */
const nameField = () =>
  el('label', {}, 'Name', el('input', { name: 'name', maxlength: 100, placeholder: 'e.g. Contoso Entra ID' }));

/** How the provider's groups become access: one group's role, and everyone else's. */
function accessFields() {
  return [
    el(
      'div',
      { class: 'row' },
      el('label', {}, 'Group claim or attribute', el('input', { name: 'claim', value: 'groups', maxlength: 200 })),
      el('label', {}, 'Members of the group', el('input', { name: 'group', placeholder: 'e.g. portal-editors' })),
      el('label', {}, 'get the role', el('select', { name: 'groupRole', 'data-roles': true })),
    ),
    el('label', {}, 'Everyone else gets the role', el('select', { name: 'defaultRole', 'data-roles': true })),
  ];
}

function optionsOf(form) {
  const role = (name) => (form.elements[name].value ? [form.elements[name].value] : []);
  const name = form.elements.name.value.trim();
  const group = form.elements.group.value.trim();
  const claim = form.elements.claim.value.trim();
  return {
    ...(name ? { name } : {}),
    roleMapping: group && claim ? { claim, map: { [group]: { roles: role('groupRole'), permissions: [] } } } : null,
    defaultAccess: { roles: role('defaultRole'), permissions: [] },
  };
}

function creator(provider) {
  return async (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    await act(async () => {
      const connection = await api(
        'POST',
        `/api/organizations/${encodeURIComponent(state.organizationId)}/sso-connections`,
        { provider: provider(form), options: optionsOf(form) },
      );
      form.reset();
      const copy = connection.type === 'oidc' ? 'its redirect URI' : 'its ACS URL and entity id';
      message(`Connected ${connection.name}: enter ${copy} at the provider.`);
    });
  };
}

export function connectionsSection() {
  const oidc = (form) => ({
    type: 'oidc',
    issuer: form.elements.issuer.value.trim(),
    clientId: form.elements.clientId.value.trim(),
    clientSecret: form.elements.clientSecret.value,
  });
  const saml = (form) => ({ type: 'saml', idpMetadataXml: form.elements.metadata.value });
  const header = ['Name', 'Provider', 'Enter at the provider', 'Access', 'Status', ''];
  return el(
    'section',
    { 'aria-labelledby': 'connections-title' },
    el('h2', { id: 'connections-title' }, 'Single sign-on connections'),
    el(
      'table',
      { id: 'connections-table', 'aria-busy': 'true' },
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          header.map((text) => el('th', {}, text)),
        ),
      ),
      el('tbody'),
    ),
    el('p', { id: 'connections-empty', class: 'muted', hidden: true }, 'No connection yet.'),
    el('p', { id: 'connections-message', class: 'message', role: 'alert' }),
    el(
      'details',
      {},
      el('summary', {}, 'Connect an OpenID provider'),
      el(
        'form',
        { id: 'oidc-form', class: 'stack', onsubmit: creator(oidc) },
        nameField(),
        el(
          'label',
          {},
          'Issuer',
          el('input', { name: 'issuer', type: 'url', required: true, placeholder: 'https://login.example.com' }),
        ),
        el(
          'div',
          { class: 'row' },
          el('label', {}, 'Client id', el('input', { name: 'clientId', required: true, autocomplete: 'off' })),
          el(
            'label',
            {},
            'Client secret',
            el('input', { name: 'clientSecret', type: 'password', required: true, autocomplete: 'new-password' }),
          ),
        ),
        accessFields(),
        el(
          'p',
          { class: 'hint' },
          'The issuer must answer OpenID discovery; the secret is sealed and never shown again.',
        ),
        el('button', { type: 'submit' }, 'Connect'),
      ),
    ),
    el(
      'details',
      {},
      el('summary', {}, 'Connect a SAML identity provider'),
      el(
        'form',
        { id: 'saml-form', class: 'stack', onsubmit: creator(saml) },
        nameField(),
        el(
          'p',
          { class: 'hint' },
          'Import ',
          el('a', { href: '/sso/metadata', target: '_blank', rel: 'noopener' }, "this portal's metadata"),
          ' at your provider, then paste its metadata here.',
        ),
        el('label', {}, "The provider's metadata XML", el('textarea', { name: 'metadata', rows: 6, required: true })),
        accessFields(),
        el('button', { type: 'submit' }, 'Connect'),
      ),
    ),
  );
}
