/** The pages mailed links open: accept an invitation, or reset a password. The token comes from the address. */
import { api, explain, handedOverSignIn } from './api.js';
import { $, say, when } from './dom.js';

const token = new URLSearchParams(location.search).get('token');

function passwordsMatch(form) {
  if (form.elements.password.value === form.elements.repeat.value) return true;
  say($('token-message'), 'The two passwords differ.', 'error');
  return false;
}

async function invitationPage() {
  const form = $('accept-form');
  try {
    const invitation = await api('POST', '/api/auth/invitation', { token });
    $('invitee-name').textContent = `${invitation.firstName} ${invitation.lastName}`;
    $('invitee-organization').textContent = invitation.organizationName;
    $('invitee-email').textContent = invitation.email;
    form.elements.username.value = invitation.email;
    $('invitation-expires').textContent = when(invitation.expiresAt);
    $('terms-field').hidden = !invitation.termsRequired;
    say($('token-status'));
    form.hidden = false;
    form.elements.password.focus();
  } catch (error) {
    say($('token-status'), explain(error), 'error');
    return;
  }
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!passwordsMatch(form)) return;
    const terms = $('terms-field').hidden ? {} : { acceptTerms: form.elements.acceptTerms.checked };
    try {
      const answer = await api('POST', '/api/auth/invitation/accept', {
        token,
        password: form.elements.password.value,
        ...terms,
      });
      say($('token-message'), 'Your account is active. Signing you in…');
      // Where the company requires a second factor now, the portal's sign-in steps set it up before the session.
      if (answer.kind !== 'session') sessionStorage.setItem(handedOverSignIn, JSON.stringify(answer));
      location.assign('/');
    } catch (error) {
      say($('token-message'), explain(error), 'error');
    }
  });
}

function resetPage() {
  const form = $('reset-form');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!passwordsMatch(form)) return;
    try {
      await api('POST', '/api/auth/password-reset', { token, newPassword: form.elements.password.value });
      form.hidden = true;
      say($('token-status'), 'Your password is changed. You can sign in with it now.');
      $('token-status').append(' ', Object.assign(document.createElement('a'), { href: '/', textContent: 'Sign in' }));
    } catch (error) {
      say($('token-message'), explain(error), 'error');
    }
  });
}

if (!token) {
  say($('token-status'), 'This page needs the link from your mail.', 'error');
  for (const form of document.querySelectorAll('form')) form.hidden = true;
} else if ($('accept-form')) {
  invitationPage();
} else {
  resetPage();
}
