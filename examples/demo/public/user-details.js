/**
 * A user's details: access (roles and permissions, the app's resources), profile fields, status, lockout, password
 * reset, invitation, expiry, second factors, sessions. Who does not administer the organization (a data estate admin) reads them,
 * and changes only the resource access their permission manages.
 */

import { accessChoices } from './access-choices.js';
import { api, explain } from './api.js';
import { avatar } from './avatar.js';
import { $, checkedValues, el, fill, say, when } from './dom.js';
import { factorTypes } from './factor-widgets.js';
import { renderResourceAccess, resourceChanges, saveResourceAccess } from './resource-access.js';
import { emit, nameOf, permissionLabel, roleLabel, state } from './state.js';

let current = null;

function fact(label, value) {
  return [el('dt', {}, label), el('dd', {}, value)];
}

/** The profile fields, read-only here: the demo's are the user's own to change (under My profile). */
function fieldFacts(user) {
  return state.estate.fields.map((field) => {
    const value = user.fields[field.key];
    const shown =
      value === undefined || value === ''
        ? el('span', { class: 'muted' }, 'none')
        : field.key === 'picture'
          ? [avatar(user, 'large'), ' ', el('span', { class: 'address' }, String(value))]
          : el('span', { class: 'field-text' }, String(value));
    const note = field.editableBy === 'self' ? el('small', { class: 'muted' }, ' (only the user changes it)') : null;
    return fact(field.label, el('span', { 'data-field': field.key }, shown, note));
  });
}

function render(user) {
  current = user;
  const administers = state.estate.administers;
  $('user-title').textContent = `${nameOf(user)}${user.isAdmin ? ' ♛' : ''}`;
  fill($('user-facts'), [
    fact('Email', user.email),
    fact('Status', [user.status, user.locked ? ', locked' : '', user.expired ? ', expired' : ''].join('')),
    fact('Company admin', user.isAdmin ? 'yes' : 'no'),
    fact('Contact person', user.isContactPerson ? 'yes' : 'no'),
    fact('Can sign in', user.canSignIn ? 'yes' : 'no (a contact record)'),
    fact('Roles', user.roles.map(roleLabel).join(', ') || 'none'),
    fact('Effective permissions', user.effectivePermissions.map(permissionLabel).join(', ') || 'none'),
    fact('Created', when(user.createdAt)),
    fact('Activated', when(user.activatedAt)),
    fact('Last sign-in', when(user.lastSignInAt)),
    fact('Account expires', user.expiresAt ? when(user.expiresAt) : 'never'),
    fieldFacts(user),
  ]);
  renderResourceAccess(user);
  // What only an administrator may change is not offered to anyone else (the API would refuse it too).
  for (const part of ['access-form', 'user-actions', 'expiry-form', 'user-factors-section', 'sessions-section']) {
    $(part).hidden = !administers;
  }
  // Nobody resets their own factors (the API refuses it too): theirs are under My account.
  $('user-factors-reset').hidden = user.id === state.session?.user.id;
  const form = $('access-form');
  accessChoices(form.querySelector('[data-choices="roles"]'), 'roles', user.roles);
  accessChoices(form.querySelector('[data-choices="permissions"]'), 'permissions', user.permissions);
  $('expiry-form').elements.expiresAt.value = user.expiresAt ? user.expiresAt.slice(0, 10) : '';

  const action = (label, run, done) =>
    el('button', { type: 'button', class: 'secondary', onclick: () => act(run, done) }, label);
  const path = `/api/users/${encodeURIComponent(user.id)}`;
  fill($('user-actions'), [
    user.status === 'disabled'
      ? action('Enable', () => api('POST', `${path}/enable`), 'Enabled.')
      : action('Disable', () => api('POST', `${path}/disable`), 'Disabled: their sessions ended.'),
    user.locked ? action('Unlock', () => api('POST', `${path}/unlock`), 'Unlocked.') : null,
    user.status === 'pending' && user.canSignIn
      ? action(
          'Send invitation',
          () => api('POST', `${path}/invitation`),
          (answer) =>
            answer.sent ? 'Invitation sent; earlier links no longer work.' : 'The invitation could not be mailed now.',
        )
      : null,
    user.status === 'active' && user.canSignIn
      ? action(
          'Reset password (mail)',
          () => api('POST', `${path}/password-reset`, { mode: 'email' }),
          'A reset link is on its way.',
        )
      : null,
    !user.isContactPerson && user.status !== 'disabled'
      ? action(
          'Make contact person',
          () =>
            api('PUT', `/api/organizations/${encodeURIComponent(user.organizationId)}/contact-person`, {
              userId: user.id,
            }).then(() => api('GET', path)),
          'Now the contact person.',
        )
      : null,
  ]);
}

/** A user agent in a few words ("HeadlessChrome on Linux"); the whole string stays in the tooltip. */
function device(userAgent) {
  if (!userAgent) return 'an unknown device';
  const browser = /(Edg|HeadlessChrome|Chrome|Firefox|Safari)\//.exec(userAgent)?.[1]?.replace('Edg', 'Edge');
  const system = /(Windows|Mac OS X|Android|iPhone|iPad|Linux)/.exec(userAgent)?.[1]?.replace('Mac OS X', 'macOS');
  return browser ? `${browser}${system ? ` on ${system}` : ''}` : userAgent.slice(0, 40);
}

/** The user's live sessions, each with a button that ends it (not the one of this browser). */
async function loadSessions(user) {
  const path = `/api/users/${encodeURIComponent(user.id)}/sessions`;
  const list = $('user-sessions');
  try {
    const sessions = await api('GET', path);
    const item = (session) => {
      const here = session.id === state.session?.session.id;
      const where = `${device(session.userAgent)} from ${session.ip ?? 'an unknown address'}`;
      const end = () =>
        act(() => api('DELETE', `${path}/${session.id}`), 'Signed out on that device.').then(() => loadSessions(user));
      return el(
        'li',
        { 'data-session': session.id, title: session.userAgent ?? '' },
        `${where}, last used ${when(session.lastSeenAt)}`,
        here ? ' (this browser)' : el('button', { type: 'button', class: 'secondary', onclick: end }, 'Sign out there'),
      );
    };
    fill(list, sessions.length ? sessions.map(item) : [el('li', { class: 'muted' }, 'Not signed in anywhere.')]);
  } catch (error) {
    fill(list, [el('li', { class: 'muted' }, explain(error))]);
  }
}

/** The user's second factors, read-only (never a secret): what to talk over before a reset. */
async function loadFactors(user) {
  const list = $('user-factors');
  try {
    const factors = await api('GET', `/api/users/${encodeURIComponent(user.id)}/factors`);
    const item = (factor) =>
      el(
        'li',
        { 'data-factor-id': factor.id },
        `${factor.label} (${factorTypes[factor.type] ?? factor.type}), added ${when(factor.createdAt)}, last used `,
        factor.lastUsedAt ? when(factor.lastUsedAt) : 'never',
      );
    fill(list, factors.length ? factors.map(item) : [el('li', { class: 'muted' }, 'No second factor.')]);
    $('user-factors-reset').disabled = factors.length === 0;
  } catch (error) {
    fill(list, [el('li', { class: 'muted' }, explain(error))]);
  }
}

/** Runs a change; its answer (a user, if any) is shown, a refusal is explained. */
async function act(run, done) {
  say($('user-message'));
  try {
    const answer = await run();
    if (answer?.id === current.id) render(answer);
    say($('user-message'), typeof done === 'function' ? done(answer) : done);
    emit('users-changed');
  } catch (error) {
    say($('user-message'), explain(error), 'error');
  }
}

/** Opens the details of a user. */
export async function openUser(userId) {
  try {
    const user = await api('GET', `/api/users/${encodeURIComponent(userId)}`);
    say($('user-message'));
    render(user);
    if (state.estate.administers) await Promise.all([loadFactors(user), loadSessions(user)]);
    else for (const list of ['user-sessions', 'user-factors']) fill($(list));
    if (!$('user-dialog').open) $('user-dialog').showModal();
  } catch (error) {
    say($('portal-message'), explain(error), 'error');
  }
}

export function initUserDetails() {
  const path = () => `/api/users/${encodeURIComponent(current.id)}`;
  $('access-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    // Grants the actor may not change (disabled boxes) are sent back as they are.
    const permissions = checkedValues(form, 'permissions');
    act(() => api('PUT', `${path()}/access`, { roles: checkedValues(form, 'roles'), permissions }), 'Access saved.');
  });
  $('resources-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const changes = resourceChanges(current);
    if (changes.length === 0) {
      say($('user-message'), 'No change to save.');
      return;
    }
    act(() => saveResourceAccess(current, changes), 'Resource access saved.');
  });
  $('expiry-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const date = event.currentTarget.elements.expiresAt.value;
    const expiresAt = new Date(`${date}T23:59:59`).toISOString();
    act(() => api('PUT', `${path()}/expiry`, { expiresAt }), `The account now expires on ${when(expiresAt, false)}.`);
  });
  $('user-factors-reset').addEventListener('click', () =>
    act(
      () => api('POST', `${path()}/factors/reset`),
      ({ removed }) =>
        `Second factors reset (${removed} removed), and their sessions ended: at their next sign-in they set up a ` +
        'new one if their company requires it.',
    ).then(() => Promise.all([loadFactors(current), loadSessions(current)])),
  );
  $('expiry-clear').addEventListener('click', () =>
    act(() => api('PUT', `${path()}/expiry`, { expiresAt: null }), 'The account is now permanent.'),
  );
}
