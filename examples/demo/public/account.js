/**
 * My account: the signed-in user's second factors (authenticator apps and passkeys), adding and removing them,
 * new recovery codes; and the reminder when their company requires a factor they have not set up yet.
 */
import { ApiError, api, explain } from './api.js';
import { $, el, fill, say, when } from './dom.js';
import { addPasskey, factorTypes, setUpAuthenticator, showRecoveryCodes } from './factor-widgets.js';
import { state } from './state.js';
import { passkeysSupported } from './webauthn.js';

let factors = [];
/** What app.js lends: ending the session so the user signs in again. */
let page = { signInAgain: () => {} };

const message = () => $('account-message');

/**
 * A refusal in words. Changing how one signs in needs a recent sign-in (`policy.mfa.recentSignInMs`), not a
 * session left open: then the way is to sign in again, which the dialog offers.
 */
function refused(error) {
  const stale = error instanceof ApiError && error.details.reason === 'recent-sign-in-required';
  $('account-reauth').hidden = !stale;
  if (!stale) return say(message(), explain(error), 'error');
  say(message(), 'Changing how you sign in needs a recent sign-in. Sign in again, then make the change.', 'error');
}

/** Clears the message and what the last action left. */
function clear(...parts) {
  say(message());
  $('account-reauth').hidden = true;
  for (const part of parts) fill($(part));
}

/** The name the user typed for the new factor, if any (the API names it `Authenticator app` or `Passkey`). */
function labelled() {
  const label = $('factor-label').value.trim();
  return label ? { label } : {};
}

/** Shows the reminder while the company requires a factor by a date and the user has none yet. */
function remind() {
  const due = state.session?.session.enrollmentDueAt;
  $('mfa-banner').hidden = !due || factors.length > 0;
  if (due) $('mfa-due').textContent = when(due, false);
}

function row(factor) {
  const remove = async () => {
    clear('account-setup', 'account-codes');
    try {
      await api('DELETE', `/api/auth/factors/${encodeURIComponent(factor.id)}`);
      say(message(), `Removed “${factor.label}”.`);
      await loadFactors();
    } catch (error) {
      refused(error);
    }
  };
  return el(
    'tr',
    { 'data-factor-id': factor.id, 'data-type': factor.type },
    el('td', {}, factor.label),
    el('td', {}, factorTypes[factor.type] ?? factor.type),
    el('td', {}, when(factor.createdAt)),
    el('td', {}, factor.lastUsedAt ? when(factor.lastUsedAt) : 'never'),
    el('td', {}, el('button', { type: 'button', class: 'secondary', onclick: remove }, 'Remove')),
  );
}

/** Reads the user's factors, draws them, and the reminder. */
export async function loadFactors() {
  factors = await api('GET', '/api/auth/factors');
  fill($('factors-table').querySelector('tbody'), factors.map(row));
  $('factors-table').hidden = factors.length === 0;
  $('factors-empty').hidden = factors.length > 0;
  $('recovery-codes-new').disabled = factors.length === 0;
  remind();
}

/** After a factor was added: the recovery codes if it was the first, the list again. */
async function added(answer, what) {
  $('factor-label').value = '';
  say(message(), `${what} added: it confirms your next sign-ins.`);
  if (answer.recoveryCodes.length > 0) showRecoveryCodes($('account-codes'), answer.recoveryCodes, {});
  await loadFactors();
}

async function startAuthenticator() {
  clear('account-codes');
  try {
    await setUpAuthenticator($('account-setup'), {
      enroll: () => api('POST', '/api/auth/factors/totp', labelled()),
      confirm: (enrollmentId, code) => api('POST', '/api/auth/factors/totp/confirmation', { enrollmentId, code }),
      done: (answer) => added(answer, 'Authenticator app'),
    });
  } catch (error) {
    refused(error);
  }
}

async function startPasskey() {
  clear('account-setup', 'account-codes');
  try {
    const answer = await addPasskey({
      options: () => api('POST', '/api/auth/factors/passkey/options'),
      register: (response) => api('POST', '/api/auth/factors/passkey', { response, ...labelled() }),
    });
    await added(answer, 'Passkey');
  } catch (error) {
    refused(error);
  }
}

async function newRecoveryCodes() {
  clear('account-setup');
  try {
    const { recoveryCodes } = await api('POST', '/api/auth/recovery-codes');
    showRecoveryCodes($('account-codes'), recoveryCodes, {});
    say(message(), 'New recovery codes: the earlier ones no longer work.');
  } catch (error) {
    refused(error);
  }
}

/** Opens My account. */
export async function openAccount() {
  clear('account-setup', 'account-codes');
  $('account-email').textContent = state.session.user.email;
  try {
    await loadFactors();
  } catch (error) {
    say(message(), explain(error), 'error');
  }
  if (!$('account-dialog').open) $('account-dialog').showModal();
}

/** The reminder for the signed-in user, at sign-in: their factors are read only when the company asks for one. */
export async function checkEnrollment() {
  factors = [];
  if (state.session?.session.enrollmentDueAt) factors = await api('GET', '/api/auth/factors');
  remind();
}

export function initAccount(lent) {
  page = lent;
  $('account-reauth').addEventListener('click', () => page.signInAgain());
  $('account-open').addEventListener('click', openAccount);
  $('mfa-banner-open').addEventListener('click', openAccount);
  $('totp-start').addEventListener('click', startAuthenticator);
  $('passkey-add').addEventListener('click', startPasskey);
  $('passkey-add').hidden = !passkeysSupported();
  $('recovery-codes-new').addEventListener('click', newRecoveryCodes);
}
