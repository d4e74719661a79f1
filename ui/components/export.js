// The export screen: choose the checkpoint, the kind of sheet, the order and the options; see
// the sheet as it will print; save it as .xlsx / .pdf / .csv through the native save dialog
// (a Chinese file name is proposed), or print it from the window; the day's summary workbook.

import { api } from '../api.js';
import { html, raw, $ } from '../lib/html.js';
import { t, errorText } from '../lib/i18n.js';
import { unprintableNote } from './unprintable.js';
import { toastError } from './toast.js';

const FORMATS = { xlsx: 'Excel', pdf: 'PDF', csv: 'CSV' };

/** 'main' | 'all' | 'theme:ID' | a point id → the core's Scope. */
function scopeOf(value) {
  if (value === 'main' || value === 'all') return { type: value };
  if (value.startsWith('theme:')) return { type: 'theme', id: value.slice(6) };
  return { type: 'point', id: value };
}

export function mount(root, ctx) {
  const st = { choices: null, preview: null, busy: false, seq: 0 };
  root.append(html`
    <section class="page export">
      <div class="page-head">
        <h1 class="page-title">${t('export_title')}</h1>
        <span class="muted">${ctx.info?.current_event?.name ?? ''}</span>
      </div>
      <div class="export-layout">
       <aside class="export-side">
        <form class="card export-form" id="export-form" autocomplete="off">
          <h2 class="section-title">${t('sheet_title')}</h2>
          <label class="field"><span>${t('event')}</span><select id="x-event"></select></label>
          <label class="field"><span>${t('checkpoint')}</span><select id="x-scope"></select></label>
          <fieldset class="field"><legend>${t('sheet_kind')}</legend>
            <label class="radio"><input type="radio" name="x-kind" value="blank" checked> ${t('kind_blank')}</label>
            <label class="radio"><input type="radio" name="x-kind" value="record"> ${t('kind_record')}</label>
          </fieldset>
          <div class="field-row">
            <label class="field"><span>${t('sort_by')}</span>
              <select id="x-sort">
                <option value="group">${t('sort_group')}</option>
                <option value="organisation">${t('sort_organisation')}</option>
                <option value="pinyin">${t('sort_pinyin')}</option>
              </select></label>
            <label class="field narrow"><span>${t('blank_rows')}</span><input id="x-blank" type="number" min="0" max="200" value="5"></label>
          </div>
          <label class="check"><input type="checkbox" id="x-full-phone"> ${t('full_phone')}</label>
          <div class="export-actions">
            <button type="button" class="btn btn-primary" data-format="xlsx">${t('save_as', { f: 'Excel' })} <kbd>Ctrl+S</kbd></button>
            <button type="button" class="btn" data-format="pdf">${t('save_as', { f: 'PDF' })} <kbd>Ctrl+Shift+S</kbd></button>
            <button type="button" class="btn" data-format="csv">${t('save_as', { f: 'CSV' })}</button>
            <button type="button" class="btn" id="x-print">${t('print')} <kbd>Ctrl+P</kbd></button>
          </div>
          <div id="x-status" class="export-status" role="status"></div>
        </form>
        <div class="card export-summary">
          <h2 class="section-title">${t('summary_title')}</h2>
          <p class="hint">${t('summary_hint')}</p>
          <div class="counts-row" id="x-totals"></div>
          <button type="button" class="btn" id="x-summary">${t('save_summary')}</button>
        </div>
       </aside>
       <div id="x-preview" class="sheet-preview"></div>
      </div>
    </section>`);

  const options = () => ({
    kind: root.querySelector('input[name=x-kind]:checked').value,
    scope: scopeOf($('#x-scope', root).value),
    sort: $('#x-sort', root).value,
    full_phone: $('#x-full-phone', root).checked,
    blank_rows: Math.max(0, Math.min(200, Number($('#x-blank', root).value) || 0)),
  });

  const status = (content) => $('#x-status', root).replaceChildren(content);

  function renderChoices(c) {
    $('#x-event', root).replaceChildren(
      html`${c.events.map((e) => raw`<option value="${e.id}" ${e.id === c.event_id ? raw`selected` : ''}>${e.date} ${e.name} ${e.short_name}</option>`)}`,
    );
    const by = (g) => c.checkpoints.filter((x) => x.group === g);
    $('#x-scope', root).replaceChildren(html`
      ${by('venue').map((x) => raw`<option value="${x.value}">${t('venue_sheet', { name: x.label })}</option>`)}
      ${by('all').map((x) => raw`<option value="${x.value}">${t('all_points_sheet')}</option>`)}
      ${by('point').length ? raw`<optgroup label="${t('points_group')}">${by('point').map((x) => raw`<option value="${x.value}">${x.label}</option>`)}</optgroup>` : ''}
      ${by('theme').length ? raw`<optgroup label="${t('themes_group')}">${by('theme').map((x) => raw`<option value="${x.value}">${t('theme_sheet', { name: x.label })}</option>`)}</optgroup>` : ''}`);
  }

  // The sheet(s) as they print: title, subtitle, the table, the blank rows.
  function renderPreview(p) {
    const sheets = p.sheets;
    const shown = 400;
    $('#x-preview', root).replaceChildren(
      html`${sheets.map(
        (s) => raw`<article class="print-sheet" data-rows="${s.rows.length}">
        <h2 class="sheet-title">${s.title}</h2>
        <p class="sheet-subtitle">${s.subtitle}</p>
        <table class="sheet-table ${s.with_group ? 'with-group' : ''}">
          <colgroup><col class="w-no"><col class="w-name"><col class="w-org"><col class="w-title"><col class="w-phone">${
            s.with_group ? raw`<col class="w-group">` : ''
          }<col class="w-time"><col class="w-sign"></colgroup>
          <thead><tr>${sheetHead(s)}</tr></thead>
          <tbody>${s.rows.slice(0, shown).map(
            (
              r,
              i,
            ) => raw`<tr><td class="c">${i + 1}</td><td class="name">${r.name}</td><td>${r.organisation}</td><td>${r.title}</td>
              <td class="c mono">${r.phone}</td>${s.with_group ? raw`<td class="c">${r.group}</td>` : ''}<td class="c mono">${r.time}</td><td>${r.remark}</td></tr>`,
          )}${Array.from(
            { length: s.rows.length > shown ? 0 : s.blank_rows },
            (_, i) =>
              raw`<tr class="blank"><td class="c">${s.rows.length + i + 1}</td>${blankCells(s)}</tr>`,
          )}</tbody>
        </table>
        ${s.rows.length > shown ? raw`<p class="muted">${t('preview_more', { n: s.rows.length - shown })}</p>` : ''}
      </article>`,
      )}`,
    );
    const n = sheets.reduce((a, s) => a + s.rows.length, 0);
    $('#x-preview', root).prepend(
      html`<p class="preview-note muted">${t('preview_note', { sheets: sheets.length, rows: n })}</p>`,
    );
  }
  const sheetHead = (s) =>
    raw`<th>${t('h_no')}</th><th>${t('h_name')}</th><th>${t('h_org')}</th><th>${t('h_title')}</th><th>${t('h_phone')}</th>${
      s.with_group ? raw`<th>${t('h_group')}</th>` : ''
    }<th>${t('h_time')}</th><th>${s.kind === 'blank' ? t('h_sign') : t('h_remark')}</th>`;
  const blankCells = (s) =>
    raw`${Array.from({ length: s.with_group ? 7 : 6 }, () => raw`<td></td>`)}`;

  async function refresh() {
    const seq = ++st.seq;
    try {
      const p = await api.exportPreview(st.choices.event_id, options());
      if (seq !== st.seq) return; // a newer choice is on its way
      st.preview = p;
      renderPreview(p);
    } catch (err) {
      $('#x-preview', root).replaceChildren(
        html`<div class="card error-card" role="alert" data-code="${err.code}"><p>${errorText(err)}</p></div>`,
      );
    }
  }

  async function save(format) {
    if (st.busy || !st.preview) return;
    try {
      const path = await api.saveFile(
        t('save_as', { f: FORMATS[format] }),
        st.preview.file_names[format],
        [{ name: FORMATS[format], extensions: [format] }],
      );
      if (path) await write(() => api.exportSheet(st.choices.event_id, options(), format, path));
    } catch (err) {
      toastError(err);
    }
  }

  async function write(run) {
    st.busy = true;
    status(
      html`<p class="saved-line"><span class="spinner" aria-hidden="true"></span> ${t('exporting')}</p>`,
    );
    try {
      const saved = await run();
      status(html`<p class="saved-line"><span class="ok-mark" aria-hidden="true">✓</span> <span data-saved="${saved.path}">${t('saved_to', { path: saved.path })}</span></p>
        <button type="button" class="btn btn-small" id="x-open">${t('open_folder')}</button>
        ${unprintableNote(saved.unprintable)}`);
      st.saved = saved.path;
    } catch (err) {
      status(
        html`<span class="error-text" role="alert" data-code="${err.code}">${errorText(err)}</span>`,
      );
    } finally {
      st.busy = false;
    }
  }

  async function saveSummary() {
    try {
      const name = await api.summaryFileName(st.choices.event_id);
      const path = await api.saveFile(t('save_summary'), name, [
        { name: 'Excel', extensions: ['xlsx'] },
      ]);
      if (path) await write(() => api.exportSummary(st.choices.event_id, path));
    } catch (err) {
      toastError(err);
    }
  }

  async function loadChoices(eventId = null) {
    st.choices = await api.exportChoices(eventId);
    renderChoices(st.choices);
    await refresh();
  }

  root.addEventListener('change', (e) => {
    if (e.target.id === 'x-event') loadChoices(e.target.value).catch(toastError);
    else if (e.target.closest('#export-form')) refresh();
  });
  root.addEventListener('input', (e) => {
    if (e.target.id === 'x-blank') refresh();
  });
  root.addEventListener('click', (e) => {
    const b = e.target.closest('button');
    if (!b) return;
    if (b.dataset.format) save(b.dataset.format);
    else if (b.id === 'x-print') window.print();
    else if (b.id === 'x-summary') saveSummary();
    else if (b.id === 'x-open' && st.saved) api.openFolder(st.saved).catch(toastError);
  });
  const onKey = (e) => {
    if (e.ctrlKey && e.key.toLowerCase() === 's') {
      e.preventDefault();
      save(e.shiftKey ? 'pdf' : 'xlsx');
    } else if (e.ctrlKey && e.key.toLowerCase() === 'p') {
      e.preventDefault();
      window.print();
    }
  };
  document.addEventListener('keydown', onKey);

  (async () => {
    try {
      await loadChoices();
    } catch (err) {
      $('#x-preview', root).replaceChildren(
        html`<div class="empty-state large"><div class="empty-icon" aria-hidden="true">⎙</div><p>${errorText(err)}</p></div>`,
      );
    }
  })();
  return () => {
    document.removeEventListener('keydown', onKey);
  };
}
