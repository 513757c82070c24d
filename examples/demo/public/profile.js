/** My profile: the signed-in user's own picture and signature (only they change them), and what they may open. */
import { api, explain } from './api.js';
import { avatar } from './avatar.js';
import { $, el, fill, say } from './dom.js';
import { accessInWords, emit, nameOf, state } from './state.js';

/** The signed-in user in the top bar: picture (or initials), name and address. */
export function showWhoami() {
  const { user } = state.session;
  fill($('whoami-avatar'), avatar(user));
  $('whoami-name').textContent = nameOf(user);
  $('whoami-email').textContent = user.email;
}

function render() {
  const { user } = state.session;
  const form = $('profile-form');
  fill($('profile-avatar'), avatar(user, 'large'));
  $('profile-name').textContent = nameOf(user);
  form.elements.picture.value = user.fields.picture ?? '';
  form.elements.signature.value = user.fields.signature ?? '';
  // Access is given by others (never by oneself): shown, not offered.
  const access = user.effectiveResourceAccess;
  const types = state.estate.types.filter((type) => type.available || Object.hasOwn(access, type.key));
  fill(
    $('profile-access'),
    types.map((type) => [el('dt', {}, type.label), el('dd', {}, accessInWords(type, access[type.key]))]),
  );
}

/** A value as the API takes it: an empty box clears the field. */
function typed(input) {
  return input.value.trim() ? input.value : null;
}

async function save(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const message = $('profile-message');
  say(message);
  try {
    const user = await api('PATCH', `/api/users/${encodeURIComponent(state.session.user.id)}`, {
      fields: { picture: typed(form.elements.picture), signature: typed(form.elements.signature) },
    });
    state.session.user = user;
    showWhoami();
    render();
    say(message, 'Profile saved.');
    emit('users-changed');
  } catch (error) {
    say(message, explain(error), 'error');
  }
}

export function initProfile() {
  $('profile-open').addEventListener('click', () => {
    say($('profile-message'));
    render();
    $('profile-dialog').showModal();
  });
  $('profile-form').addEventListener('submit', save);
}
