// The import wizard: choose a file (native dialog) → preview with the detected header and
// column mapping (editable), every problem with its row, the first rows → import in one
// transaction → a report that can be saved.

import { api } from '../api.js';
import { html, raw, $ } from '../lib/html.js';
import { t, errorText, problemText, overflowText } from '../lib/i18n.js';
import { modal } from './modal.js';
import { toast, toastError } from './toast.js';
import { groupDigits } from '../lib/numbers.js';

const FILTERS = [{ name: 'Excel / CSV', extensions: ['xlsx', 'xls', 'csv', 'txt'] }];

export function mount(root, ctx) {
  const ev = ctx.info?.current_event;
  // A new event without service points: the next steps are shown, the points sheet first.
  const fresh = !!ev && (ctx.info?.points ?? []).length === 0;
  const st = {
    kind: fresh ? 'points' : 'signups',
    path: null,
    preview: null,
    mapping: null,
    busy: false,
    over: 'waitlist',
    // Rows 同号不同名: the coordinator's choice by row number (another / same / skip).
    shared: {},
  };
  const checked = (k) => (st.kind === k ? raw`checked` : '');
  root.append(html`
    <section class="page import">
      <div class="page-head">
        <h1 class="page-title">${t('import_title')}</h1>
        <span class="muted">${ev?.name ?? ''} ${ev?.short_name ?? ''}</span>
      </div>
      ${
        fresh
          ? raw`<div class="card next-steps" id="next-steps" role="note">
            <p class="next-title">${t('next_title', { name: ev.name })}</p>
            <ol><li class="now">${t('next_points')}</li><li>${t('next_signups')}</li><li>${t('next_desk')}</li></ol>
          </div>`
          : ''
      }
      <div class="card import-start">
        <div class="row">
          <span class="muted">${t('import_kind')}</span>
          <label class="radio"><input type="radio" name="kind" value="signups" ${checked('signups')}> ${t('kind_signups')}</label>
          <label class="radio"><input type="radio" name="kind" value="experts" ${checked('experts')}> ${t('kind_experts')}</label>
          <label class="radio"><input type="radio" name="kind" value="points" ${checked('points')}> ${t('kind_points')}</label>
          <label class="radio"><input type="radio" name="kind" value="activities" ${checked('activities')}> ${t('kind_activities')}</label>
          <button type="button" class="btn" id="undo-import">${t('undo_import')}</button>
          <button type="button" class="btn btn-primary" id="pick">${t('pick_file')} <kbd>Ctrl+O</kbd></button>
        </div>
        <p class="hint">${t('import_formats')}</p>
      </div>
      <div id="import-body"></div>
    </section>`);
  const body = $('#import-body', root);

  const empty = () =>
    body.replaceChildren(html`<div class="empty-state large"><div class="empty-icon" aria-hidden="true">⇪</div>
      <p class="empty-title">${t('import_title')}</p><p>${t('import_empty')}</p></div>`);

  // Reading has no steps to count (a spinner); checking and writing rows report progress.
  const busy = (key) =>
    body.replaceChildren(html`<div class="card progress" role="status"><span class="spinner" aria-hidden="true"></span>
      <span class="progress-text" id="progress-text">${t(key)}</span>
      <progress id="progress-bar" class="progress-bar" max="1" hidden></progress></div>`);
  const onProgress = ({ payload: p }) => {
    const text = $('#progress-text', body);
    const bar = $('#progress-bar', body);
    if (!text || !bar || !p.total) return;
    text.textContent = t(`phase_${p.phase}`, {
      done: groupDigits(p.done),
      total: groupDigits(p.total),
    });
    bar.hidden = false;
    bar.value = p.done / p.total;
  };
  const unlisten = window.__TAURI__?.event?.listen('import-progress', onProgress);

  function renderPreview(p) {
    const fieldOptions = (current) =>
      raw`<option value="">${t('not_imported')}</option>${p.fields.map(
        (f) =>
          raw`<option value="${f}" ${f === current ? raw`selected` : ''}>${t(`field_${f}`)}</option>`,
      )}`;
    const c = p.counts;
    body.replaceChildren(html`
      <div class="card preview" data-file="${p.file_name}">
        <div class="preview-head">
          <div>
            <div class="preview-file">${p.file_name}</div>
            <div class="muted">${
              p.sheet
                ? t('sheet_header', { sheet: p.sheet, row: p.header_row })
                : t('text_header', { row: p.header_row })
            }${p.remembered ? raw` · ${t('remembered')}` : ''}</div>
          </div>
          <div class="counts-row">
            <span class="pill ok" data-count="added">${t('c_added')} <b>${c.added}</b></span>
            <span class="pill" data-count="updated">${t('c_updated')} <b>${c.updated}</b></span>
            <span class="pill muted" data-count="unchanged">${t('c_unchanged')} <b>${c.unchanged}</b></span>
            <span class="pill warn" data-count="skipped">${t('c_skipped')} <b>${c.skipped}</b></span>
          </div>
        </div>
        <h2 class="section-title">${t('mapping_title')}</h2>
        <div class="mapping">
          ${p.mapping.columns.map(
            (
              col,
            ) => raw`<label class="map-col"><span class="map-head" title="${col.header}">${col.header || '—'}</span>
              <select data-col="${col.index}">${fieldOptions(col.field)}</select></label>`,
          )}
        </div>
        ${p.shared_phones?.length ? sharedChoice(p.shared_phones) : ''}
        ${p.overflow?.length ? overflowChoice(p.overflow) : ''}
        <h2 class="section-title">${t('problems_title')} <span class="muted">${p.problem_total}</span></h2>
        ${
          p.problems.length
            ? raw`<div class="table-wrap short"><table class="table compact" id="problems">
                <thead><tr><th>${t('col_row')}</th><th>${t('col_column')}</th><th></th><th>${t('col_message')}</th></tr></thead>
                <tbody>${p.problems.map(
                  (
                    x,
                  ) => raw`<tr class="sev-${x.severity}" data-code="${x.code}" data-row="${x.row}"><td class="mono">${x.row}</td><td>${x.column ?? ''}</td>
                    <td><span class="sev">${t(`sev_${x.severity}`)}</span></td><td>${problemText(x)}</td></tr>`,
                )}</tbody></table></div>
              ${p.problem_total > p.problems.length ? raw`<p class="muted">${t('problems_more', { n: p.problem_total - p.problems.length })}</p>` : ''}`
            : raw`<p class="muted">${t('problems_none')}</p>`
        }
        <h2 class="section-title">${t('sample_title', { n: p.sample.length + p.sample_points.length + p.sample_activities.length })}</h2>
        ${
          p.sample_points.length
            ? pointSample(p.sample_points)
            : p.sample_activities.length || st.kind === 'activities'
              ? activitySample(p.sample_activities)
              : raw`<div class="table-wrap short"><table class="table compact" id="sample">
          <thead><tr><th>${t('col_row')}</th><th></th><th>${t('col_name')}</th><th>${t('col_org')}</th><th>${t('col_title')}</th>
            <th>${t('col_phone')}</th><th>${t('f_group')}</th></tr></thead>
          <tbody>${p.sample.map(
            (
              r,
            ) => raw`<tr class="act-${r.action}"><td class="mono">${r.row}</td><td><span class="act">${t(`action_${r.action}`)}</span></td>
              <td class="strong">${r.name}</td><td>${r.organisation}</td><td>${r.title}</td><td class="mono">${r.phone_masked}</td>
              <td>${r.point_name ?? r.group_text}${
                r.beyond_capacity
                  ? raw` <span class="pill warn" data-beyond="${r.row}">${t('beyond_tag')}</span>`
                  : ''
              }</td></tr>`,
          )}</tbody></table></div>`
        }
        <div class="actions-bar">
          <button type="button" class="btn" id="again">${t('choose_again')}</button>
          <button type="button" class="btn btn-primary" id="commit" ${c.added + c.updated === 0 ? raw`disabled` : ''}>
            ${t('do_import')} ${c.added + c.updated} <kbd>Ctrl+Enter</kbd></button>
        </div>
      </div>`);
    st.mapping = p.mapping;
  }

  // Before anything is written: which rows each full point cannot take, and what to do with them.
  const overflowChoice = (list) => raw`<div class="overflow-box" id="overflow" role="note">
      <h2 class="section-title">${t('over_title')}</h2>
      <ul class="overflow-list">${list.map((o) => raw`<li data-point="${o.point_id}">${overflowText(o)}</li>`)}</ul>
      <div class="row">
        <span class="muted">${t('over_choice')}</span>
        <label class="radio"><input type="radio" name="over" value="waitlist" ${st.over === 'waitlist' ? raw`checked` : ''}> ${t('over_waitlist')}</label>
        <label class="radio"><input type="radio" name="over" value="register" ${st.over === 'register' ? raw`checked` : ''}> ${t('over_register')}</label>
      </div>
      <p class="hint">${t('over_hint')}</p>
    </div>`;

  // A row whose phone is on file under another name: both names side by side, three choices.
  const sharedChoice = (list) => {
    const radio = (r, v) =>
      raw`<label class="radio"><input type="radio" name="shared-${r.row}" data-shared-row="${r.row}" value="${v}" ${r.choice === v ? raw`checked` : ''}> ${t(`shared_${v}`)}</label>`;
    return raw`<div class="overflow-box shared-box" id="shared-phones" role="group" aria-labelledby="shared-title">
      <h2 class="section-title" id="shared-title">${t('shared_title')} <span class="muted">${list.length}</span></h2>
      <p class="hint">${t('shared_intro')}</p>
      <div class="table-wrap short"><table class="table compact" id="shared-table">
        <thead><tr><th>${t('col_row')}</th><th>${t('col_name')}</th><th>${t('shared_on_file')}</th><th>${t('col_phone')}</th><th></th></tr></thead>
        <tbody>${list.map(
          (
            r,
          ) => raw`<tr data-row="${r.row}" data-choice="${r.choice}"><td class="mono">${r.row}</td>
            <td><b>${r.name}</b><div class="muted small">${r.organisation}</div></td>
            <td><b>${r.on_file_name}</b> <span class="mono muted">${r.on_file_code}</span><div class="muted small">${r.on_file_organisation}</div></td>
            <td><span class="pill ${r.mobile ? 'warn' : 'muted'}">${t(r.mobile ? 'shared_mobile' : 'shared_landline')}</span></td>
            <td class="choices">${radio(r, 'another')}${radio(r, 'same')}${radio(r, 'skip')}</td></tr>`,
        )}</tbody></table></div>
      ${
        list.length > 1
          ? raw`<div class="row"><span class="muted">${t('shared_all')}</span>
          <button type="button" class="btn btn-small" data-shared-all="another">${t('shared_another')}</button>
          <button type="button" class="btn btn-small" data-shared-all="same">${t('shared_same')}</button>
          <button type="button" class="btn btn-small" data-shared-all="skip">${t('shared_skip')}</button></div>`
          : ''
      }
    </div>`;
  };

  const pointSample = (
    rows,
  ) => raw`<div class="table-wrap short"><table class="table compact" id="sample">
    <thead><tr><th>${t('col_row')}</th><th></th><th>${t('col_point')}</th><th>${t('col_theme')}</th><th>${t('col_address')}</th>
      <th>${t('col_contact')}</th><th class="num">${t('col_capacity')}</th><th>${t('col_depart')}</th><th>${t('col_bus')}</th></tr></thead>
    <tbody>${rows.map(
      (
        r,
      ) => raw`<tr class="act-${r.action}"><td class="mono">${r.row}</td><td><span class="act">${t(`action_${r.action}`)}</span></td>
        <td class="strong">${r.name}</td><td>${r.theme}</td><td>${r.address}</td><td>${r.contact}</td>
        <td class="num">${r.capacity || '—'}</td><td class="mono">${r.depart_time}</td><td>${r.bus}</td></tr>`,
    )}</tbody></table></div>`;

  // A ledger's rows: the activity as it will count in the year's report.
  const activitySample = (
    rows,
  ) => raw`<div class="table-wrap short"><table class="table compact" id="sample" data-kind="activities">
    <thead><tr><th>${t('col_row')}</th><th></th><th>${t('stats_date')}</th><th>${t('stats_district')}</th><th>${t('stats_name')}</th>
      <th>${t('stats_kind')}</th><th class="num">${t('stats_participations')}</th><th class="num">${t('stats_enterprises')}</th>
      <th class="num">${t('stats_people')}</th></tr></thead>
    <tbody>${rows.map(
      (
        r,
      ) => raw`<tr class="act-${r.action}" data-row="${r.row}"><td class="mono">${r.row}</td><td><span class="act">${t(`action_${r.action}`)}</span></td>
        <td class="mono">${r.date}</td><td>${r.district}</td><td class="strong">${r.name}</td><td>${r.kind}</td>
        <td class="num">${groupDigits(r.participations)}${
          r.experts_linked
            ? raw` <span class="pill" title="${t('linked_experts_hint')}">${t('linked_experts', { n: r.experts_linked })}</span>`
            : ''
        }</td><td class="num">${groupDigits(r.enterprises)}</td><td class="num">${groupDigits(r.people)}</td></tr>`,
    )}</tbody></table></div>
    <p class="hint">${t('ledger_hint')}</p>`;

  const choices = () => ({ shared_phone: st.shared });

  async function preview(path, mapping = null) {
    // Another file: its choices (rows beyond the places, shared phones) start at the defaults.
    if (path !== st.path) {
      st.over = 'waitlist';
      st.shared = {};
    }
    st.path = path;
    busy('reading');
    try {
      st.preview = await api.importPreview(path, st.kind, mapping, choices());
      renderPreview(st.preview);
    } catch (err) {
      body.replaceChildren(html`<div class="card error-card" role="alert" data-code="${err.code}">
        <p class="empty-title">${errorText(err)}</p>
        <p><button type="button" class="btn" id="again">${t('choose_again')}</button></p></div>`);
    }
  }

  async function pick() {
    try {
      const path = await api.pickFile(t('import_title'), FILTERS);
      if (path) await preview(path);
    } catch (err) {
      toastError(err);
    }
  }

  async function commit() {
    if (!st.path || st.busy) return;
    st.busy = true;
    busy('importing');
    try {
      const report = await api.importCommit(st.path, st.kind, st.mapping, st.over, choices());
      ctx.info = await api.appInfo();
      const c = report.counts;
      body.replaceChildren(html`
        <div class="card report" data-committed="${report.committed}">
          <p class="empty-title">✓ ${report.committed ? t('import_done') : t('import_nothing')}</p>
          <div class="counts-row">
            <span class="pill ok" data-count="added">${t('c_added')} <b>${c.added}</b></span>
            <span class="pill" data-count="updated">${t('c_updated')} <b>${c.updated}</b></span>
            <span class="pill muted" data-count="unchanged">${t('c_unchanged')} <b>${c.unchanged}</b></span>
            <span class="pill warn" data-count="skipped">${t('c_skipped')} <b>${c.skipped}</b></span>
            ${
              report.overflow?.length
                ? raw`<span class="pill warn" data-count="waitlisted">${t('c_waitlisted')} <b>${report.overflow.reduce((n, o) => n + o.waitlisted, 0)}</b></span>`
                : ''
            }
          </div>
          ${report.mapping_remembered === false ? raw`<p class="hint" id="mapping-not-kept">${t('mapping_not_kept')}</p>` : ''}
          ${
            report.overflow?.length
              ? raw`<ul class="overflow-list" id="overflow-report">${report.overflow.map(
                  (o) =>
                    raw`<li data-point="${o.point_id}" data-waitlisted="${o.waitlisted}">${overflowText(o, report)}</li>`,
                )}</ul>`
              : ''
          }
          <div class="actions-bar">
            <button type="button" class="btn" id="save-report">${t('save_report')}</button>
            <button type="button" class="btn btn-primary" id="again">${t('pick_file')}</button>
          </div>
        </div>`);
      st.report = report;
    } catch (err) {
      toastError(err);
      if (st.preview) renderPreview(st.preview);
    } finally {
      st.busy = false;
    }
  }

  async function undoImport() {
    const ok = await modal({
      title: t('undo_import'),
      body: html`<p>${t('undo_import_confirm')}</p>`,
      danger: true,
    });
    if (!ok) return;
    try {
      const u = await api.undoLastImport();
      ctx.info = await api.appInfo();
      toast(
        t('import_undone', {
          at: u.imported_at,
          removed: u.removed_experts,
          restored: u.restored_experts,
        }),
        'info',
        6000,
      );
      st.path = null;
      empty();
    } catch (err) {
      toastError(err);
    }
  }

  async function saveReport() {
    try {
      const path = await api.saveFile(t('save_report'), '导入报告.csv', [
        { name: 'CSV', extensions: ['csv'] },
      ]);
      if (!path) return;
      await api.saveImportReport(path, st.report);
      toast(t('report_saved', { path }));
    } catch (err) {
      toastError(err);
    }
  }

  root.addEventListener('change', (e) => {
    if (e.target.name === 'over') {
      st.over = e.target.value;
    } else if (e.target.dataset.sharedRow !== undefined) {
      // The counts change with the choice: preview again under it.
      st.shared = { ...st.shared, [e.target.dataset.sharedRow]: e.target.value };
      preview(st.path, st.mapping);
    } else if (e.target.name === 'kind') {
      st.kind = e.target.value;
      // Another kind of sheet has other columns: detect them afresh.
      if (st.path) preview(st.path);
    } else if (e.target.dataset.col !== undefined && st.mapping) {
      const m = structuredClone(st.mapping);
      const col = m.columns.find((c) => String(c.index) === e.target.dataset.col);
      col.field = e.target.value || null;
      // One column per field: the newly chosen one wins.
      for (const other of m.columns)
        if (other !== col && col.field && other.field === col.field) other.field = null;
      preview(st.path, m);
    }
  });
  root.addEventListener('click', (e) => {
    const all = e.target.closest('[data-shared-all]')?.dataset.sharedAll;
    if (all && st.preview) {
      st.shared = Object.fromEntries(st.preview.shared_phones.map((r) => [r.row, all]));
      preview(st.path, st.mapping);
      return;
    }
    const id = e.target.closest('button')?.id;
    if (id === 'pick' || id === 'again') pick();
    else if (id === 'commit') commit();
    else if (id === 'save-report') saveReport();
    else if (id === 'undo-import') undoImport();
  });
  const onKey = (e) => {
    if (e.ctrlKey && e.key.toLowerCase() === 'o') {
      e.preventDefault();
      pick();
    } else if (e.ctrlKey && e.key === 'Enter' && !$('#commit', root)?.disabled) {
      e.preventDefault();
      commit();
    }
  };
  document.addEventListener('keydown', onKey);
  empty();
  return () => {
    unlisten?.then((f) => f());
    document.removeEventListener('keydown', onKey);
  };
}
