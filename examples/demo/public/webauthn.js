/**
 * Passkeys in the browser: the API's WebAuthn options (JSON) into `navigator.credentials`, and the credential back
 * as JSON. Browsers that have `PublicKeyCredential.parse…OptionsFromJSON` and `toJSON()` (Chromium, Firefox,
 * Safari 18) do it themselves; for others the few binary fields are converted from and to base64url here.
 */

export const passkeysSupported = () => typeof window.PublicKeyCredential === 'function';

function bytes(base64url) {
  const base64 = base64url.replaceAll('-', '+').replaceAll('_', '/');
  const binary = atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, '='));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0)).buffer;
}

function base64url(buffer) {
  if (!buffer) return undefined;
  let binary = '';
  for (const byte of new Uint8Array(buffer)) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

const descriptors = (list) => list?.map((item) => ({ ...item, id: bytes(item.id) }));

function creationOptions(json) {
  if (PublicKeyCredential.parseCreationOptionsFromJSON) return PublicKeyCredential.parseCreationOptionsFromJSON(json);
  return {
    ...json,
    challenge: bytes(json.challenge),
    user: { ...json.user, id: bytes(json.user.id) },
    excludeCredentials: descriptors(json.excludeCredentials),
  };
}

function requestOptions(json) {
  if (PublicKeyCredential.parseRequestOptionsFromJSON) return PublicKeyCredential.parseRequestOptionsFromJSON(json);
  return { ...json, challenge: bytes(json.challenge), allowCredentials: descriptors(json.allowCredentials) };
}

/** The credential as the API takes it (`PublicKeyCredential.toJSON()`). */
function credentialJson(credential) {
  let json;
  if (typeof credential.toJSON === 'function') {
    json = credential.toJSON();
  } else {
    const { response } = credential;
    json = {
      id: credential.id,
      rawId: base64url(credential.rawId),
      type: credential.type,
      authenticatorAttachment: credential.authenticatorAttachment,
      clientExtensionResults: credential.getClientExtensionResults(),
      response: {
        clientDataJSON: base64url(response.clientDataJSON),
        attestationObject: base64url(response.attestationObject),
        transports: response.getTransports?.(),
        authenticatorData: base64url(response.authenticatorData),
        signature: base64url(response.signature),
        userHandle: base64url(response.userHandle),
      },
    };
  }
  // An attachment the browser does not know is null, which the API reads as absent.
  if (json.authenticatorAttachment == null) delete json.authenticatorAttachment;
  return json;
}

/** A refusal of the browser's (cancelled, timed out, already registered) in words. */
export function passkeyTrouble(error) {
  if (error?.name === 'NotAllowedError') return 'No passkey was used (cancelled, or the time ran out).';
  if (error?.name === 'InvalidStateError') return 'This device already holds a passkey for your account.';
  if (error?.name === 'SecurityError') return 'Passkeys work only where the page is opened as http://localhost.';
  return null;
}

/** Registers a new passkey with the options of the API; answers the credential as JSON. */
export async function createPasskey(options) {
  return credentialJson(await navigator.credentials.create({ publicKey: creationOptions(options) }));
}

/** Signs with a passkey for the options of the API; answers the assertion as JSON. */
export async function getPasskey(options) {
  return credentialJson(await navigator.credentials.get({ publicKey: requestOptions(options) }));
}
