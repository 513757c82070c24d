/** The audit tab: the organization's audit trail, newest first, a page at a time. */
import { api, explain, query } from './api.js';
import { $, el, fill, say, when } from './dom.js';
import { state } from './state.js';

const pageSize = 25;
let cursors = [null];
let nextCursor = null;
/** Who acted, in words. */
function actorName(actor, names) {
  if (actor.type !== 'user') return actor.type;
  return names[actor.userId] ?? 'someone outside your view';
}

/** What the event is about, in words. */
function targetName(event, names) {
  const id = event.targetId;
  if (!id) return '—';
  if (names[id]) return names[id];
  if (event.action.startsWith('role.')) return `role ${id}`;
  if (event.action.startsWith('import.')) return `import ${id.slice(0, 8)}…`;
  return id;
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
      `/api/audit?${query({ organizationId: state.organizationId, action, limit: pageSize, cursor: cursors[page], names: true })}`,
    );
    const rows = result.items.map((event) =>
      el(
        'tr',
        { 'data-action': event.action },
        el('td', {}, when(event.at)),
        el('td', {}, el('code', {}, event.action)),
        el('td', {}, actorName(event.actor, result.names)),
        el('td', {}, targetName(event, result.names)),
        el('td', {}, changes(event)),
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
