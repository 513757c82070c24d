/**
 * The steps of a sign-in after the password: the second factor (a code from the authenticator app, a recovery
 * code, or a passkey), or setting one up when the company requires it; and signing in with a passkey alone.
 */
import { ApiError, api, explain } from './api.js';
import { $, fill, say } from './dom.js';
import { addPasskey, setUpAuthenticator, showRecoveryCodes } from './factor-widgets.js';
import { getPasskey, passkeysSupported, passkeyTrouble } from './webauthn.js';

/** What app.js lends: switching views, going on with a sign-in's answer, going back to the sign-in form. */
let page = { showView: () => {}, continueSignIn: async () => {}, showSignIn: () => {} };
/** The sign-in waiting for its second factor: `{ challengeToken, methods, user }`. */
let pending = null;
let method = 'totp';

const codeMethods = {
  totp: { label: 'The 6-digit code from your authenticator app', inputmode: 'numeric', other: 'recovery-code' },
  'recovery-code': { label: 'One of your recovery codes', inputmode: 'text', other: 'totp' },
};

function useMethod(next) {
  method = next;
  const form = $('second-factor-form');
  const input = form.elements.code;
  $('second-factor-label').textContent = codeMethods[next].label;
  input.inputMode = codeMethods[next].inputmode;
  input.autocomplete = next === 'totp' ? 'one-time-code' : 'off';
  input.value = '';
  const other = codeMethods[next].other;
  $('second-factor-switch').hidden = !pending.methods.includes(other);
  $('second-factor-switch').textContent = other === 'totp' ? 'Use the authenticator app' : 'Use a recovery code';
  input.focus();
}

/** A refusal that ends the waiting sign-in (expired, used): back to the password. */
function endedSignIn(error) {
  return error instanceof ApiError && error.code === 'TOKEN_INVALID';
}

/** Asks the second factor of a sign-in that answered `second-factor-required`. */
export function askSecondFactor(answer) {
  pending = answer;
  $('second-factor-email').textContent = answer.user.email;
  say($('second-factor-message'));
  const codes = answer.methods.includes('totp') || answer.methods.includes('recovery-code');
  $('second-factor-form').hidden = !codes;
  $('second-factor-passkey').hidden = !answer.methods.includes('passkey') || !passkeysSupported();
  page.showView('second-factor-view');
  if (codes) useMethod(answer.methods.includes('totp') ? 'totp' : 'recovery-code');
}

async function submitCode(event) {
  event.preventDefault();
  const input = event.currentTarget.elements.code;
  say($('second-factor-message'));
  try {
    const answer = await api('POST', '/api/auth/second-factor', {
      challengeToken: pending.challengeToken,
      method,
      code: input.value.trim(),
    });
    input.value = '';
    pending = null;
    await page.continueSignIn(answer);
  } catch (error) {
    if (endedSignIn(error)) return page.showSignIn(explain(error));
    say($('second-factor-message'), explain(error), 'error');
    input.select();
  }
}

/** Signs with a passkey: for the waiting sign-in (`challengeToken`), or alone (none). */
async function passkeySignIn(challengeToken, where) {
  say(where);
  try {
    const body = challengeToken ? { challengeToken } : {};
    const { options } = await api('POST', '/api/auth/passkey/options', body);
    let response;
    try {
      response = await getPasskey(options);
    } catch (error) {
      return say(where, passkeyTrouble(error) ?? `The passkey could not be used: ${error.message}`, 'error');
    }
    const answer = await api('POST', '/api/auth/passkey', { ...body, response });
    pending = null;
    await page.continueSignIn(answer);
  } catch (error) {
    if (challengeToken && endedSignIn(error)) return page.showSignIn(explain(error));
    say(where, explain(error), 'error');
  }
}

/** Asks a sign-in that answered `second-factor-enrollment-required` to set up its first factor. */
export function askEnrollment(answer) {
  pending = answer;
  $('enrollment-email').textContent = answer.user.email;
  $('enrollment-passkey').hidden = !passkeysSupported();
  $('enrollment-choices').hidden = false;
  fill($('enrollment-setup'));
  fill($('enrollment-codes'));
  say($('enrollment-message'));
  page.showView('enrollment-view');
}

/** The first factor is set up and the session started: the recovery codes, then the portal. */
function enrolled(answer) {
  pending = null;
  $('enrollment-choices').hidden = true;
  say($('enrollment-message'), 'Your second factor is set up, and you are signed in.');
  // A sign-in that still has a step to go (`signIn`) goes on with it; one that started its session is done.
  const next = () => (answer.signIn ? page.continueSignIn(answer.signIn) : page.continueSignIn({ kind: 'session' }));
  if (answer.recoveryCodes.length === 0) return next();
  showRecoveryCodes($('enrollment-codes'), answer.recoveryCodes, { done: next, doneLabel: 'Saved: continue' });
}

async function enroll(start) {
  say($('enrollment-message'));
  fill($('enrollment-codes'));
  try {
    await start(pending.challengeToken);
  } catch (error) {
    if (endedSignIn(error)) return page.showSignIn(explain(error));
    say($('enrollment-message'), explain(error), 'error');
  }
}

const enrollAuthenticator = (challengeToken) =>
  setUpAuthenticator($('enrollment-setup'), {
    enroll: () => api('POST', '/api/auth/second-factor/enrollment/totp', { challengeToken }),
    confirm: (enrollmentId, code) =>
      api('POST', '/api/auth/second-factor/enrollment/totp/confirmation', { challengeToken, enrollmentId, code }),
    done: enrolled,
  });

async function enrollPasskey(challengeToken) {
  fill($('enrollment-setup'));
  const answer = await addPasskey({
    options: () => api('POST', '/api/auth/second-factor/enrollment/passkey/options', { challengeToken }),
    register: (response) => api('POST', '/api/auth/second-factor/enrollment/passkey', { challengeToken, response }),
  });
  await enrolled(answer);
}

export function initSignInSteps(lent) {
  page = lent;
  $('second-factor-form').addEventListener('submit', submitCode);
  $('second-factor-switch').addEventListener('click', () => useMethod(codeMethods[method].other));
  $('second-factor-passkey').addEventListener('click', () =>
    passkeySignIn(pending.challengeToken, $('second-factor-message')),
  );
  for (const cancel of ['second-factor-cancel', 'enrollment-cancel']) {
    $(cancel).addEventListener('click', () => {
      pending = null;
      page.showSignIn();
    });
  }
  $('passkey-signin').hidden = !passkeysSupported();
  $('passkey-signin').addEventListener('click', () => passkeySignIn(null, $('signin-message')));
  $('enrollment-totp').addEventListener('click', () => enroll(enrollAuthenticator));
  $('enrollment-passkey').addEventListener('click', () => enroll(enrollPasskey));
}
