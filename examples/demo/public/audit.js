/** The audit tab: the organization's audit trail, newest first, a page at a time. */
import { api, explain, query } from './api.js';
import { $, el, fill, say, when } from './dom.js';
import { nameOf, state } from './state.js';

const pageSize = 25;
let cursors = [null];
let nextCursor = null;
/** Users looked up for their names: a promise of the name, or of null when not visible. */
const lookups = new Map();

function userName(id) {
  if (state.names.has(id)) return Promise.resolve(state.names.get(id));
  if (!lookups.has(id)) {
    lookups.set(
      id,
      api('GET', `/api/users/${encodeURIComponent(id)}`).then(nameOf, () => null),
    );
  }
  return lookups.get(id);
}

/** Who acted, in words. */
async function actorName(actor) {
  if (actor.type !== 'user') return actor.type;
  return (await userName(actor.userId)) ?? actor.userId;
}

/** What the event is about, in words. */
async function targetName(event) {
  const id = event.targetId;
  if (!id) return '—';
  if (event.action.startsWith('organization.')) return state.names.get(id) ?? id;
  if (event.action.startsWith('role.')) return `role ${id}`;
  if (event.action.startsWith('import.')) return `import ${id.slice(0, 8)}…`;
  return (await userName(id)) ?? id;
}

function value(data) {
  if (data === null || data === undefined) return '∅';
  const text = typeof data === 'string' ? data : JSON.stringify(data);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

function changes(event) {
  const items = Object.entries(event.changes).map(([field, change]) =>
    el('li', {}, el('code', {}, field), `: ${value(change.before)} → ${value(change.after)}`),
  );
  const metadata = Object.entries(event.metadata ?? {}).map(([key, data]) =>
    el('li', { class: 'muted' }, `${key}: ${value(data)}`),
  );
  return items.length + metadata.length ? el('ul', { class: 'changes' }, items, metadata) : '—';
}

async function loadPage(page) {
  const table = $('audit-table');
  table.setAttribute('aria-busy', 'true');
  try {
    const action = $('audit-filters').elements.action.value.trim();
    const result = await api(
      'GET',
      `/api/audit?${query({ organizationId: state.organizationId, action, limit: pageSize, cursor: cursors[page] })}`,
    );
    const rows = await Promise.all(
      result.items.map(async (event) =>
        el(
          'tr',
          { 'data-action': event.action },
          el('td', {}, when(event.at)),
          el('td', {}, el('code', {}, event.action)),
          el('td', {}, await actorName(event.actor)),
          el('td', {}, await targetName(event)),
          el('td', {}, changes(event)),
        ),
      ),
    );
    cursors = cursors.slice(0, page + 1);
    nextCursor = result.nextCursor;
    fill(table.tBodies[0], rows);
    $('audit-next').disabled = !nextCursor;
    $('audit-first').disabled = page === 0;
  } catch (error) {
    say($('portal-message'), explain(error), 'error');
  } finally {
    table.setAttribute('aria-busy', 'false');
  }
}

/** Loads the newest page of the current organization's audit trail. */
export function loadAudit() {
  cursors = [null];
  return loadPage(0);
}

export function initAudit() {
  $('audit-filters').addEventListener('submit', (event) => {
    event.preventDefault();
    loadAudit();
  });
  $('audit-next').addEventListener('click', () => {
    if (!nextCursor) return;
    cursors.push(nextCursor);
    loadPage(cursors.length - 1);
  });
  $('audit-first').addEventListener('click', () => loadAudit());
}
