/**
 * The parts of second factors that My account and a sign-in that must enroll share: setting up an authenticator
 * app (QR code, key, first code), adding a passkey, and the recovery codes shown once.
 */
import { explain } from './api.js';
import { el, fill, say } from './dom.js';
import { createPasskey, passkeysSupported, passkeyTrouble } from './webauthn.js';

export const factorTypes = { totp: 'Authenticator app', passkey: 'Passkey' };

/**
 * The QR code of an `otpauth://` URI, drawn by the demo server (`POST /demo/qr-code`, the URI in the body, never in
 * an address), as a `data:` URL for an image: the SVG never becomes part of the page's markup.
 */
async function qrCode(uri) {
  const response = await fetch('/demo/qr-code', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'image/svg+xml' },
    body: JSON.stringify({ uri }),
  });
  if (!response.ok) throw new Error(`the QR code could not be drawn (HTTP ${response.status})`);
  return `data:image/svg+xml,${encodeURIComponent(await response.text())}`;
}

/** A base32 key in groups of four, easier to type. */
const grouped = (secret) => secret.match(/.{1,4}/g).join(' ');

/**
 * Sets up an authenticator app in `mount`: `enroll()` answers `{ enrollmentId, secret, uri }`, shown as a QR code
 * and the key; `confirm(enrollmentId, code)` checks the first code; `done(answer)` gets its answer.
 */
export async function setUpAuthenticator(mount, { enroll, confirm, done }) {
  const enrollment = await enroll();
  const message = el('p', { class: 'message', role: 'alert' });
  const image = el('img', { class: 'qr', alt: 'QR code for your authenticator app', width: 200, height: 200 });
  qrCode(enrollment.uri).then(
    (url) => {
      image.src = url;
    },
    () => {
      image.alt = 'The QR code could not be drawn: type the key instead.';
    },
  );
  const code = el('input', {
    name: 'code',
    inputmode: 'numeric',
    autocomplete: 'one-time-code',
    pattern: '[0-9 ]{6,7}',
    maxlength: 7,
    required: true,
  });
  const form = el(
    'form',
    { class: 'stack setup', 'data-setup': 'totp' },
    el('h3', {}, 'Set up an authenticator app'),
    el(
      'p',
      {},
      'Scan the code with your authenticator app (Google Authenticator, Microsoft Authenticator, 1Password…):',
    ),
    image,
    el('p', {}, 'Or type this key: ', el('code', { class: 'totp-secret' }, grouped(enrollment.secret))),
    el('label', {}, 'The 6-digit code the app shows now', code),
    el(
      'div',
      { class: 'toolbar' },
      el('button', { type: 'submit' }, 'Confirm'),
      el('button', { type: 'button', class: 'secondary', onclick: () => fill(mount) }, 'Cancel'),
    ),
    message,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    say(message);
    try {
      const answer = await confirm(enrollment.enrollmentId, code.value.replace(/\s/g, ''));
      fill(mount);
      await done(answer);
    } catch (error) {
      say(message, explain(error), 'error');
      code.select();
    }
  });
  fill(mount, form);
  code.focus();
}

/**
 * Registers a passkey: `options()` answers the API's `{ options }`, `register(response)` keeps the credential;
 * answers what `register` answered, or throws an error whose message is for people.
 */
export async function addPasskey({ options, register }) {
  if (!passkeysSupported()) throw new Error('This browser has no passkeys.');
  const { options: creation } = await options();
  let response;
  try {
    response = await createPasskey(creation);
  } catch (error) {
    throw new Error(passkeyTrouble(error) ?? `The passkey could not be made: ${error.message}`);
  }
  return register(response);
}

/** The recovery codes, shown this once, with a way to copy them; `done()` when they are put away. */
export function showRecoveryCodes(mount, codes, { done, doneLabel = 'I have saved them' }) {
  const copied = el('span', { class: 'muted', role: 'status' });
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(codes.join('\n'));
      copied.textContent = 'Copied.';
    } catch {
      copied.textContent = 'Copying is not allowed here: select the codes instead.';
    }
  };
  const section = el(
    'section',
    { class: 'stack recovery', 'aria-label': 'Your recovery codes' },
    el('h3', {}, 'Your recovery codes'),
    el(
      'p',
      {},
      'Keep them somewhere safe (a password manager, or on paper). Each one signs you in once when your phone or ',
      'passkey is not at hand. They are shown only now; new ones replace them.',
    ),
    el(
      'ol',
      { class: 'recovery-codes' },
      codes.map((item) => el('li', {}, el('code', {}, item))),
    ),
    el(
      'div',
      { class: 'toolbar' },
      el('button', { type: 'button', class: 'secondary', onclick: copy }, 'Copy them'),
      copied,
      el(
        'button',
        {
          type: 'button',
          onclick: () => {
            fill(mount);
            done?.();
          },
        },
        doneLabel,
      ),
    ),
  );
  fill(mount, section);
  section.scrollIntoView({ block: 'nearest' });
}
