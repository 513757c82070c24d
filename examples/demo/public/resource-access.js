/** A user's access to the demo app's resources: for each type the organization has, all of it or these. */
import { api } from './api.js';
import { $, el, fill } from './dom.js';
import { availableTypes, permissionLabel, resourceName, state } from './state.js';

const isSelf = (user) => user.id === state.session?.user.id;

/** Who gives access to a type: the organization's admins, and the holders of its `managedBy` permission. */
function managers(type) {
  const also = type.managedBy === 'org.admin' ? '' : ` or a ${permissionLabel(type.managedBy)}`;
  return `a company admin${also} changes this`;
}

/** All ids the type names, then any the user holds that the app no longer names (kept, so saving drops none unseen). */
function choices(type, granted) {
  const named = type.resources.map((resource) => resource.id);
  return [...named, ...granted.filter((id) => !named.includes(id))];
}

/** The checkboxes follow the choice: with "All …" they are not what counts. */
function follow(fieldset) {
  const all = fieldset.querySelector('input[value="all"]').checked;
  for (const box of fieldset.querySelectorAll('input[type="checkbox"]')) box.disabled = all;
}

function picker(type, access, enabled) {
  const plural = type.label.toLowerCase();
  const granted = Array.isArray(access) ? access : [];
  const scope = (value, label) =>
    el(
      'label',
      {},
      el('input', {
        type: 'radio',
        name: `${type.key}-scope`,
        value,
        checked: (access === 'all') === (value === 'all'),
      }),
      ` ${label}`,
    );
  const fieldset = el(
    'fieldset',
    { 'data-type': type.key, disabled: !enabled, onchange: () => follow(fieldset) },
    el('legend', {}, `Access to ${plural}`, type.changeable ? null : el('small', {}, ` — ${managers(type)}`)),
    el('div', { class: 'line' }, scope('all', `All ${plural}`), scope('these', `These ${plural}`)),
    el(
      'div',
      { class: 'choices' },
      choices(type, granted).map((id) =>
        el(
          'label',
          {},
          el('input', { type: 'checkbox', name: `resource-${type.key}`, value: id, checked: granted.includes(id) }),
          ` ${resourceName(type.key, id)}`,
        ),
      ),
    ),
  );
  follow(fieldset);
  return fieldset;
}

/** Draws the pickers for `user`; what the signed-in user may not change (their own access, always) is disabled. */
export function renderResourceAccess(user) {
  const types = availableTypes();
  const mayChange = (type) => type.changeable && !isSelf(user);
  $('resources-form').hidden = types.length === 0;
  fill(
    $('resource-pickers'),
    types.map((type) => picker(type, user.resourceAccess[type.key], mayChange(type))),
  );
  const any = types.some(mayChange);
  $('resources-save').hidden = !any;
  $('resources-note').textContent = isSelf(user)
    ? 'Nobody changes their own access.'
    : any
      ? 'Administering the organization gives no access of its own: only what is ticked here.'
      : 'You may not change this user’s access.';
}

function sameAccess(before, after) {
  if (after === 'all') return before === 'all';
  if (after === 'none') return before === undefined;
  return Array.isArray(before) && before.length === after.ids.length && after.ids.every((id) => before.includes(id));
}

/** What the form asks for: one `{ type, access }` for each type it may change whose access differs from the user's. */
export function resourceChanges(user) {
  const changes = [];
  for (const fieldset of $('resource-pickers').querySelectorAll('fieldset[data-type]')) {
    if (fieldset.disabled) continue;
    const type = fieldset.dataset.type;
    const ids = [...fieldset.querySelectorAll('input[type="checkbox"]:checked')].map((box) => box.value);
    const all = fieldset.querySelector('input[value="all"]').checked;
    const access = all ? 'all' : ids.length > 0 ? { ids } : 'none';
    if (!sameAccess(user.resourceAccess[type], access)) changes.push({ type, access });
  }
  return changes;
}

/** Saves the changes, one `PUT /api/users/{id}/resources/{type}` each; answers the user as the last one left them. */
export async function saveResourceAccess(user, changes) {
  let answer = user;
  for (const { type, access } of changes) {
    const path = `/api/users/${encodeURIComponent(user.id)}/resources/${encodeURIComponent(type)}`;
    answer = await api('PUT', path, { access });
  }
  return answer;
}
