/** The users tab: the filtered, sorted, paged table, and the dialogs that add and invite users. */
import { accessChoices } from './access-choices.js';
import { api, explain, query } from './api.js';
import { avatar } from './avatar.js';
import { $, checkedValues, el, fill, say, when } from './dom.js';
import { availableTypes, emit, nameOf, on, permissionLabel, resourceName, roleLabel, state } from './state.js';
import { initUserDetails, openUser } from './user-details.js';

const pageSize = 20;
/** The cursors of the pages shown so far: the first page has none. */
let cursors = [null];
let nextCursor = null;
let requestNumber = 0;

function filters() {
  const form = $('user-filters');
  // `[type, id]`: only users with access to that resource (its id, or all of its type).
  const [resourceType, resourceId] = form.elements.resource.value ? JSON.parse(form.elements.resource.value) : [];
  return {
    resourceType,
    resourceId,
    organizationId: state.organizationId,
    search: form.elements.search.value.trim(),
    status: checkedValues(form, 'status'),
    roles: form.elements.role.value,
    permissions: form.elements.permission.value,
    sort: form.elements.sort.value,
    order: form.elements.order.value,
    limit: pageSize,
  };
}

function statusCell(user) {
  const badges = [el('span', { class: `badge ${user.status}` }, user.status)];
  if (user.locked) badges.push(el('span', { class: 'badge warn' }, 'locked'));
  if (user.expired) badges.push(el('span', { class: 'badge warn' }, 'expired'));
  else if (user.expiresAt) badges.push(el('span', { class: 'badge' }, `until ${when(user.expiresAt, false)}`));
  if (!user.canSignIn) badges.push(el('span', { class: 'badge' }, 'no sign-in'));
  return el('td', {}, badges);
}

function userRow(user) {
  const name = nameOf(user);
  return el(
    'tr',
    { 'data-user-id': user.id },
    el(
      'td',
      { class: 'who' },
      avatar(user),
      el('button', { type: 'button', class: 'link', onclick: () => openUser(user.id) }, name),
      user.isAdmin ? el('span', { class: 'crown', title: 'Company admin' }, ' ♛') : null,
      user.isContactPerson ? el('span', { class: 'badge' }, 'contact') : null,
    ),
    el('td', {}, user.email),
    statusCell(user),
    el('td', {}, user.roles.map(roleLabel).join(', ')),
    el('td', {}, user.effectivePermissions.map(permissionLabel).join(', ')),
    el('td', {}, when(user.createdAt, false)),
  );
}

/** Loads the page of users at `cursors[page]`. */
async function loadPage(page) {
  const table = $('users-table');
  const number = ++requestNumber;
  table.setAttribute('aria-busy', 'true');
  try {
    const cursor = cursors[page];
    const result = await api('GET', `/api/users?${query({ ...filters(), cursor })}`);
    if (number !== requestNumber) return;
    cursors = cursors.slice(0, page + 1);
    nextCursor = result.nextCursor;
    fill(table.tBodies[0], result.items.map(userRow));
    $('users-empty').hidden = result.items.length > 0;
    $('users-next').disabled = !nextCursor;
    $('users-first').disabled = page === 0;
    $('users-page').textContent = `Page ${page + 1} · ${result.items.length} shown`;
  } catch (error) {
    if (number !== requestNumber) return;
    fill(table.tBodies[0]);
    $('users-next').disabled = true;
    say($('portal-message'), explain(error), 'error');
  } finally {
    if (number === requestNumber) table.setAttribute('aria-busy', 'false');
  }
}

/** Reloads the table from its first page. */
export function loadUsers() {
  cursors = [null];
  return loadPage(0);
}

function refreshFilterChoices() {
  const form = $('user-filters');
  fill(
    form.elements.role,
    el('option', { value: '' }, 'Any role'),
    state.roles.map((role) => el('option', { value: role.key }, role.label)),
  );
  fill(
    form.elements.permission,
    el('option', { value: '' }, 'Any permission'),
    state.permissions
      .filter((permission) => permission.available)
      .map((permission) => el('option', { value: permission.key }, permission.label)),
  );
  const types = availableTypes();
  fill(
    form.elements.resource,
    el('option', { value: '' }, 'Anything'),
    types.map((type) =>
      el(
        'optgroup',
        { label: type.label },
        type.resources.map((resource) =>
          el('option', { value: JSON.stringify([type.key, resource.id]) }, resourceName(type.key, resource.id)),
        ),
      ),
    ),
  );
  $('resource-filter').hidden = types.length === 0;
  fill(
    $('invite-form').elements.role,
    el('option', { value: '' }, 'No role'),
    state.roles.map((role) => el('option', { value: role.key }, role.label)),
  );
}

function openAddUser() {
  const form = $('add-user-form');
  form.reset();
  accessChoices(form.querySelector('[data-choices="roles"]'), 'roles');
  accessChoices(form.querySelector('[data-choices="permissions"]'), 'permissions');
  say($('add-user-message'));
  $('add-user-dialog').showModal();
}

async function addUser(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const phone = form.elements.phone.value.trim();
  try {
    const { user, invitationSent } = await api('POST', '/api/users', {
      organizationId: state.organizationId,
      firstName: form.elements.firstName.value,
      lastName: form.elements.lastName.value,
      email: form.elements.email.value,
      ...(phone ? { phone } : {}),
      roles: checkedValues(form, 'roles'),
      permissions: checkedValues(form, 'permissions'),
      invite: form.elements.invite.checked,
    });
    $('add-user-dialog').close();
    const mail = invitationSent ? 'an invitation is on its way' : 'no invitation was sent';
    say($('portal-message'), `Added ${nameOf(user)} (${user.email}): ${mail}.`);
    emit('users-changed');
  } catch (error) {
    say($('add-user-message'), explain(error), 'error');
  }
}

async function invite(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const emails = form.elements.emails.value.split(/[\s,;]+/).filter(Boolean);
  const role = form.elements.role.value;
  try {
    const result = await api('POST', '/api/invitations', {
      organizationId: state.organizationId,
      emails,
      roles: role ? [role] : [],
      send: form.elements.send.checked,
    });
    say(
      $('invite-message'),
      `${result.created.length} created, ${result.matched.length} already here, ${result.rejected.length} refused.`,
    );
    fill($('invite-result'), [
      ...result.created.map((user) => el('li', {}, `Created ${nameOf(user)} <${user.email}>`)),
      ...result.matched.map((user) => el('li', {}, `Already a user: ${user.email}`)),
      ...result.rejected.map((refusal) => el('li', { class: 'refused' }, `Refused ${refusal.email}: ${refusal.code}`)),
    ]);
    emit('users-changed');
  } catch (error) {
    say($('invite-message'), explain(error), 'error');
  }
}

export function initUsers() {
  initUserDetails();
  const form = $('user-filters');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    loadUsers();
  });
  form.addEventListener('change', (event) => {
    if (event.target.name !== 'search') loadUsers();
  });
  $('users-next').addEventListener('click', () => {
    if (!nextCursor) return;
    cursors.push(nextCursor);
    loadPage(cursors.length - 1);
  });
  $('users-first').addEventListener('click', () => loadUsers());
  $('add-user-open').addEventListener('click', openAddUser);
  $('add-user-form').addEventListener('submit', addUser);
  $('invite-open').addEventListener('click', () => {
    $('invite-form').reset();
    say($('invite-message'));
    fill($('invite-result'));
    $('invite-dialog').showModal();
  });
  $('invite-form').addEventListener('submit', invite);
  on('organization', () => {
    refreshFilterChoices();
    // Adding and inviting is for administrators; a data estate admin reads the list to give access.
    for (const id of ['add-user-open', 'invite-open']) $(id).hidden = !state.estate.administers;
    $('users-directory').hidden = !state.estate.readsUsers;
    $('users-unreadable').hidden = state.estate.readsUsers;
    if (state.estate.readsUsers) loadUsers();
  });
  on('users-changed', () => {
    if (state.estate.readsUsers) loadPage(cursors.length - 1);
  });
}
