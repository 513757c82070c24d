/** The import tab: upload a CSV file, follow its progress from the NDJSON stream, read the report and the history. */
import { ApiError, api, explain, query, readAnswer } from './api.js';
import { $, el, fill, say, when } from './dom.js';
import { emit, state } from './state.js';

function showProgress(processed, total) {
  const bar = $('import-progress');
  bar.max = Math.max(total ?? 0, 1);
  bar.value = total ? processed : bar.max;
  $('import-progress-text').textContent = `${processed} of ${total ?? '?'} rows`;
}

function showReport(report) {
  $('import-report').hidden = false;
  const counts = [
    ['Rows', report.total],
    ['Created', report.created],
    ['Updated', report.updated],
    ['Skipped', report.skipped],
    ['Failed', report.failed],
  ];
  fill(
    $('import-counts'),
    counts.map(([label, value]) => el('div', {}, el('dt', {}, label), el('dd', {}, String(value)))),
    report.dryRun ? el('div', {}, el('dt', {}, 'Dry run'), el('dd', {}, 'nothing was written')) : null,
  );
  fill(
    $('import-exceptions').tBodies[0],
    report.exceptions.map((exception) =>
      el(
        'tr',
        {},
        el('td', {}, String(exception.row)),
        el('td', {}, exception.email),
        el('td', {}, el('code', {}, exception.code)),
        el('td', {}, exception.message),
      ),
    ),
  );
  $('import-exceptions').hidden = report.exceptions.length === 0;
}

/** Reads NDJSON lines from a streamed answer as they arrive. */
async function* lines(response) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  for (;;) {
    const { done, value } = await reader.read();
    buffered += decoder.decode(value ?? new Uint8Array(), { stream: !done });
    let end = buffered.indexOf('\n');
    while (end >= 0) {
      const line = buffered.slice(0, end).trim();
      buffered = buffered.slice(end + 1);
      if (line) yield JSON.parse(line);
      end = buffered.indexOf('\n');
    }
    if (done) break;
  }
  if (buffered.trim()) yield JSON.parse(buffered);
}

async function runImport(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const file = form.elements.file.files[0];
  if (!file) return;
  const options = {
    mode: form.elements.mode.value,
    dryRun: form.elements.dryRun.checked,
    invite: form.elements.invite.checked,
  };
  const button = form.querySelector('button[type="submit"]');
  button.disabled = true;
  say($('import-message'));
  $('import-report').hidden = true;
  $('import-progress-box').hidden = false;
  $('import-progress').removeAttribute('value');
  $('import-progress-text').textContent = `Uploading ${file.name}…`;
  try {
    const response = await fetch(
      `/api/organizations/${encodeURIComponent(state.organizationId)}/imports?${query(options)}`,
      {
        method: 'POST',
        headers: { accept: 'application/x-ndjson', 'content-type': file.type || 'text/csv' },
        body: file,
        credentials: 'same-origin',
      },
    );
    if (!response.ok) await readAnswer(response);
    for await (const line of lines(response)) {
      if (line.type === 'progress') showProgress(line.processed, line.total);
      else if (line.type === 'report') {
        showProgress(line.report.total, line.report.total);
        showReport(line.report);
        say($('import-message'), `Import of ${file.name} finished.`);
      } else if (line.type === 'error') {
        const { code, message, details } = line.error ?? {};
        say($('import-message'), explain(new ApiError(422, code, message, details)), 'error');
      }
    }
    emit('users-changed');
    await loadImportHistory();
  } catch (error) {
    say($('import-message'), explain(error), 'error');
  } finally {
    button.disabled = false;
  }
}

/** Loads the organization's import history, newest first. */
export async function loadImportHistory() {
  const history = await api('GET', `/api/organizations/${encodeURIComponent(state.organizationId)}/imports`);
  fill(
    $('import-history').tBodies[0],
    history.map((report) =>
      el(
        'tr',
        {},
        el('td', {}, when(report.startedAt)),
        el('td', {}, report.mode),
        el('td', {}, report.dryRun ? 'yes' : 'no'),
        el('td', {}, report.status),
        ...[report.total, report.created, report.updated, report.skipped, report.failed].map((count) =>
          el('td', { class: 'number' }, String(count)),
        ),
        el('td', {}, el('button', { type: 'button', class: 'link', onclick: () => showReport(report) }, 'Show report')),
      ),
    ),
  );
}

export function initImports() {
  $('import-form').addEventListener('submit', runImport);
}
