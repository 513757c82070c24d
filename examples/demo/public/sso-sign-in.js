/**
 * Single sign-on on the sign-in page: once an address is typed, the API says whether its company signs it in
 * (`POST /api/auth/discover`); then a button sends the browser to `/sso/begin`, which goes on to the company's
 * provider and back to this page with the session cookie set. The password stays for everyone else, and for those
 * of an SSO company who have one.
 */
import { api, query } from './api.js';
import { $, say } from './dom.js';

/** The address an SSO sign-in started with, kept over the trip to the provider (the page after it needs it). */
const startedWith = 'tenantry-demo.sso-address';

/** Why the last attempt failed (`?sso_error=<reason>`), in words. */
const reasons = {
  'email-missing': 'your company’s sign-in did not send your email address.',
  'email-unverified': 'your company’s sign-in has not verified your email address.',
  'domain-not-verified': 'your address is not in a domain of that company.',
  'user-in-other-organization': 'your address belongs to an account of another organization.',
  'no-connection': 'there is no single sign-on for this address (any more).',
  'connection-unavailable': 'your company’s single sign-on is switched off now.',
  'state-missing': 'the sign-in was not started in this browser, or took too long. Start again.',
  'state-invalid': 'the sign-in has expired or was used already. Start again.',
  'state-mismatch': 'the answer belonged to another sign-in. Start again.',
  'provider-error': 'your company’s sign-in did not sign you in.',
  'discovery-failed': 'your company’s sign-in could not be reached.',
  'token-exchange-failed': 'your company’s sign-in did not confirm the sign-in.',
  ACCOUNT_DISABLED: 'your account is disabled.',
  ACCOUNT_EXPIRED: 'your account has expired.',
};

/** A failed attempt's reason as a sentence. */
export function ssoErrorText(reason) {
  return `Single sign-on failed: ${reasons[reason] ?? `the sign-in was refused (${reason}).`}`;
}

const looksLikeAddress = (value) => /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value);
let asked = 0;
let timer = null;
let target = null;

function showChoice(email, name) {
  target = email;
  $('sso-signin-button').textContent = `Sign in with ${name ?? 'your company’s'} SSO`;
  $('sso-signin').hidden = false;
}

/** Asks where the address signs in; only the answer to the latest question is shown. */
async function discover(email) {
  const number = ++asked;
  let choice = null;
  if (looksLikeAddress(email)) {
    try {
      const method = await api('POST', '/api/auth/discover', { email });
      if (method.method === 'sso') {
        // The company's name is the demo's own answer; without it the button still works.
        const named = await api('GET', `/demo/sso-name?${query({ connectionId: method.connectionId })}`).catch(
          () => null,
        );
        choice = { name: named?.name ?? null };
      }
    } catch {
      // Discovery is a shortcut: when it fails, the password is still there.
    }
  }
  if (number !== asked) return;
  // Which address the page has its answer for (what is shown is up to date for it).
  $('signin-form').dataset.discovered = email;
  if (choice) showChoice(email, choice.name);
  else {
    target = null;
    $('sso-signin').hidden = true;
  }
}

/** Asks again shortly after typing stops, and at once when the field is left. */
function watch(input) {
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => discover(input.value.trim()), 250);
  });
  input.addEventListener('change', () => {
    clearTimeout(timer);
    discover(input.value.trim());
  });
}

/**
 * What the trip to the provider brought back, taken out of the address: a failure (`?sso_error=`) as a message,
 * or a second factor still to prove (`#sso=…&challengeToken=…`) as a sign-in's answer for the next step.
 */
export function takeSsoReturn() {
  const url = new URL(location.href);
  const reason = url.searchParams.get('sso_error');
  const fragment = new URLSearchParams(url.hash.slice(1));
  const kind = fragment.get('sso');
  const challengeToken = fragment.get('challengeToken');
  if (!reason && !kind) return null;
  url.searchParams.delete('sso_error');
  history.replaceState(null, '', `${url.pathname}${url.search}`);
  const email = sessionStorage.getItem(startedWith) ?? '';
  if (reason) return { error: ssoErrorText(reason), email };
  sessionStorage.removeItem(startedWith);
  // The fragment does not say which factors the user has: every way is offered, the API checks the one used.
  return { answer: { kind, challengeToken, methods: ['totp', 'recovery-code', 'passkey'], user: { email } } };
}

/** Puts an address in the sign-in form and asks where it signs in (after a failed attempt, or to sign in again). */
export function offerSso(email) {
  const input = $('signin-form').elements.email;
  input.value = email;
  discover(email);
}

export function initSsoSignIn() {
  watch($('signin-form').elements.email);
  $('sso-signin-button').addEventListener('click', () => {
    if (!target) return;
    say($('signin-message'));
    sessionStorage.setItem(startedWith, target);
    location.assign(`/sso/begin?${query({ email: target })}`);
  });
}
