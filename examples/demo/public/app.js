/** The admin page: sign-in, the organization picker and the tabs. */
import { checkEnrollment, initAccount, openAccount } from './account.js';
import { ApiError, api, explain, handedOverSignIn, onSessionLost, query } from './api.js';
import { initAudit, loadAudit } from './audit.js';
import { initCompanySignIn, loadCompanySignIn } from './company-sign-in.js';
import { $, el, fill, say } from './dom.js';
import { initImports, loadImportHistory } from './imports.js';
import { initProfile, showWhoami } from './profile.js';
import { askEnrollment, askSecondFactor, initSignInSteps } from './sign-in-steps.js';
import { initSsoSignIn, offerSso, takeSsoReturn } from './sso-sign-in.js';
import { emit, state } from './state.js';
import { initUsers } from './users.js';

const tabs = ['users', 'import', 'audit', 'company'];
const adminTabs = ['import', 'audit', 'company'];
const tabLoaders = { import: loadImportHistory, audit: loadAudit, company: loadCompanySignIn };
const views = ['signin-view', 'password-change-view', 'second-factor-view', 'enrollment-view', 'portal-view'];
let challenge = null;
/** What to open once signed in again (My account, after a change that needed a recent sign-in). */
let resume = null;

function showView(id) {
  for (const view of views) $(view).hidden = view !== id;
  const signedIn = id === 'portal-view';
  for (const part of ['whoami', 'profile-open', 'account-open', 'sign-out', 'organization-picker']) {
    $(part).hidden = !signedIn;
  }
}

function showSignIn(message = '', kind = 'error') {
  state.session = null;
  showView('signin-view');
  say($('signin-message'), message, kind);
  $('signin-form').elements.email.focus();
}

/** The organizations as a tree: each one after its parent, sub-organizations indented. */
function organizationOptions(organizations) {
  const visible = new Set(organizations.map((organization) => organization.id));
  const byId = new Map(organizations.map((organization) => [organization.id, organization]));
  const children = new Map();
  for (const organization of organizations) {
    const parent = visible.has(organization.parentId) ? organization.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), organization]);
  }
  const options = [];
  const walk = (parentId, depth) => {
    for (const organization of children.get(parentId) ?? []) {
      const partner = byId.get(organization.partnerId);
      const note =
        organization.kind === 'partner'
          ? ' (partner)'
          : partner
            ? ` (customer of ${partner.name})`
            : organization.parentId
              ? ' (sub-organization)'
              : '';
      const label = `${'\u00a0\u00a0'.repeat(depth)}${depth > 0 ? '↳ ' : ''}${organization.name}${note}`;
      options.push(el('option', { value: organization.id }, label));
      walk(organization.id, depth + 1);
    }
  };
  walk(null, 0);
  return options;
}

async function selectOrganization(organizationId) {
  state.organizationId = organizationId;
  $('organization').value = organizationId;
  say($('portal-message'));
  const [roles, permissions, estate] = await Promise.all([
    api('GET', `/api/organizations/${encodeURIComponent(organizationId)}/roles`),
    api('GET', `/api/organizations/${encodeURIComponent(organizationId)}/permissions`),
    // The demo app's own answer: its resources, and what the signed-in user may change here (tenantry's rules).
    api('GET', `/demo/estate?${query({ organizationId })}`),
  ]);
  state.roles = roles;
  state.permissions = permissions;
  state.estate = estate;
  // Imports, the audit trail, domains and SSO are for administrators.
  for (const name of adminTabs) {
    document.querySelector(`.tabs [data-tab="${name}"]`).hidden = !estate.administers;
  }
  if (!estate.administers) showTab('users');
  emit('organization');
  const tab = document.querySelector('.tabs [aria-selected="true"]')?.dataset.tab;
  if (tab && tab !== 'users') await tabLoaders[tab]();
}

async function enterPortal() {
  state.session = await api('GET', '/api/auth/session');
  const { user, permissions } = state.session;
  showWhoami();
  // The reminder is a courtesy: the portal opens without it when the factors cannot be read.
  await checkEnrollment().catch(() => {});
  state.organizations = await api('GET', '/api/organizations');
  fill($('organization'), organizationOptions(state.organizations));
  showView('portal-view');
  // Admins start in their own organization; a customer manager without admin rights at home, with a customer.
  const home = user.organizationId;
  const first = permissions.includes('org.admin')
    ? home
    : (state.organizations.find((organization) => organization.id !== home)?.id ?? home);
  await selectOrganization(first);
  const next = resume;
  resume = null;
  await next?.();
}

/** Ends the session so the user signs in again (the address filled in), then goes back to My account. */
async function signInAgain() {
  const email = state.session?.user.email ?? '';
  for (const dialog of document.querySelectorAll('dialog[open]')) dialog.close();
  try {
    await api('POST', '/api/auth/sign-out');
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
  }
  resume = openAccount;
  showSignIn('Sign in again to change how you sign in; My account opens after.', 'ok');
  offerSso(email);
  $('signin-form').elements.password.focus();
}

function showTab(name) {
  for (const button of document.querySelectorAll('.tabs button')) {
    button.setAttribute('aria-selected', String(button.dataset.tab === name));
  }
  for (const tab of tabs) $(`${tab}-tab`).hidden = tab !== name;
  say($('portal-message'));
  const load = tabLoaders[name];
  load?.().catch((error) => say($('portal-message'), explain(error), 'error'));
}

/** Goes on with a sign-in's answer: a session opens the portal; a challenge asks its next step. */
async function continueSignIn(answer) {
  switch (answer.kind) {
    case 'password-change-required':
      challenge = answer.challengeToken;
      $('password-change-email').textContent = answer.user.email;
      $('password-change-form').elements.username.value = answer.user.email;
      showView('password-change-view');
      $('password-change-form').elements.password.focus();
      return;
    case 'second-factor-required':
      return askSecondFactor(answer);
    case 'second-factor-enrollment-required':
      return askEnrollment(answer);
    default:
      return enterPortal();
  }
}

function passwordsMatch(form) {
  if (form.elements.password.value === form.elements.repeat.value) return true;
  say($('password-change-message'), 'The two passwords differ.', 'error');
  return false;
}

function wire() {
  $('signin-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    say($('signin-message'));
    try {
      const answer = await api('POST', '/api/auth/sign-in', {
        email: form.elements.email.value,
        password: form.elements.password.value,
      });
      form.elements.password.value = '';
      await continueSignIn(answer);
    } catch (error) {
      say($('signin-message'), explain(error), 'error');
    }
  });

  $('password-change-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    if (!passwordsMatch(form)) return;
    try {
      const answer = await api('POST', '/api/auth/password-change', {
        challengeToken: challenge,
        newPassword: form.elements.password.value,
      });
      form.reset();
      challenge = null;
      await continueSignIn(answer);
    } catch (error) {
      say($('password-change-message'), explain(error), 'error');
    }
  });

  $('forgot-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const email = event.currentTarget.elements.email.value;
    try {
      await api('POST', '/api/auth/password-reset/request', { email });
      say($('forgot-message'), 'If the address belongs to an account, a reset link is on its way.');
    } catch (error) {
      say($('forgot-message'), explain(error), 'error');
    }
  });

  $('sign-out').addEventListener('click', async () => {
    try {
      await api('POST', '/api/auth/sign-out');
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
    }
    showSignIn('You are signed out.', 'ok');
  });

  $('organization').addEventListener('change', (event) => {
    selectOrganization(event.currentTarget.value).catch((error) => say($('portal-message'), explain(error), 'error'));
  });
  for (const button of document.querySelectorAll('.tabs button')) {
    button.addEventListener('click', () => showTab(button.dataset.tab));
  }
  for (const dialog of document.querySelectorAll('dialog')) {
    for (const close of dialog.querySelectorAll('[data-close]')) close.addEventListener('click', () => dialog.close());
  }
  onSessionLost(() => {
    if (state.session) showSignIn('Your session ended. Please sign in again.');
  });
}

async function boot() {
  wire();
  initUsers();
  initImports();
  initAudit();
  initProfile();
  initAccount({ signInAgain });
  initSignInSteps({ showView, continueSignIn, showSignIn });
  initSsoSignIn();
  initCompanySignIn();
  // An invitation accepted where a second factor is due hands its next step over (see token-pages.js).
  const handedOver = sessionStorage.getItem(handedOverSignIn);
  if (handedOver) {
    sessionStorage.removeItem(handedOverSignIn);
    return continueSignIn(JSON.parse(handedOver));
  }
  // Back from the company's provider: the session cookie is set (the portal opens), a second factor is due, or
  // the attempt failed and says why.
  const sso = takeSsoReturn();
  if (sso?.answer) return continueSignIn(sso.answer);
  try {
    await enterPortal();
  } catch (error) {
    if (sso?.error) {
      showSignIn(sso.error);
      offerSso(sso.email);
      return;
    }
    showSignIn(error instanceof ApiError && error.status === 401 ? '' : explain(error));
  }
}

boot();
