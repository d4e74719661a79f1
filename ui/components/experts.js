// Everyone on file, 100,000 rows if need be: the table is virtual (only the rows in view are
// in the page; the Rust side filters, searches with the desk's index and sorts, and hands out
// windows of 200). Click or Enter opens the edit form; tick two rows to merge them.

import { api } from '../api.js';
import { html, raw, $ } from '../lib/html.js';
import { t, errorText } from '../lib/i18n.js';
import { modal } from './modal.js';
import { toast, toastError } from './toast.js';
import { groupDigits } from '../lib/numbers.js';

const ROW_H = 38;
const CHUNK = 200;
const OVERSCAN = 12;
// Chunks held in the page at once (2,400 rows). Scrolled top to bottom, 100,000 rows would all
// stay in the web process otherwise; the ones farthest from the view go and are read again (a
// few milliseconds) if the view comes back to them.
const KEEP_CHUNKS = 12;

export function mount(root, ctx) {
  const themes = ctx.info?.themes ?? [];
  root.append(html`
    <section class="page experts-page">
      <div class="page-head">
        <h1 class="page-title">${t('experts_title')}</h1>
        <span class="muted" id="experts-count" aria-live="polite"></span>
        <div class="head-actions">
          <button type="button" class="btn" id="merge-selected" disabled>${t('merge_selected')} <kbd>Ctrl+M</kbd></button>
          <button type="button" class="btn btn-primary" id="add-expert">${t('add_expert')} <kbd>Ctrl+N</kbd></button>
        </div>
      </div>
      <div class="card filters">
        <input id="x-query" class="filter wide" type="search" placeholder="${t('experts_filter')}" autocomplete="off" aria-label="${t('experts_filter')}">
        <select id="x-party" aria-label="${t('col_party')}"><option value="">${t('all_parties')}</option></select>
        <select id="x-org" aria-label="${t('col_org')}"><option value="">${t('all_orgs')}</option></select>
        <select id="x-theme" aria-label="${t('col_group')}"><option value="">${t('all_groups')}</option>
          ${themes.map((th) => raw`<option value="${th.id}">${th.name}</option>`)}<option value="none">${t('no_group')}</option></select>
        <select id="x-signed" aria-label="${t('col_status')}">
          <option value="">${t('signed_all')}</option><option value="yes">${t('signed_yes')}</option>
          <option value="waiting">${t('waiting')}</option><option value="no">${t('signed_no')}</option></select>
        <select id="x-sort" aria-label="${t('sort_by')}">
          <option value="">${t('sort_default')}</option><option value="name">${t('sort_pinyin')}</option>
          <option value="organisation">${t('sort_organisation')}</option><option value="party">${t('sort_party')}</option>
          <option value="group">${t('sort_group')}</option><option value="code">${t('sort_code')}</option></select>
      </div>
      <div class="vt-head" role="row">
        <span></span><span>${t('col_code')}</span><span>${t('col_name')}</span><span>${t('col_org')}</span><span>${t('col_title')}</span>
        <span>${t('col_party')}</span><span>${t('col_group')}</span><span>${t('col_status')}</span><span>${t('col_phone')}</span>
      </div>
      <div class="vt" id="vt" tabindex="0" role="grid" aria-label="${t('experts_title')}">
        <div class="vt-spacer" id="vt-spacer"></div>
        <div class="vt-rows" id="vt-rows"></div>
      </div>
      <p class="hint keys-line"><kbd>Ctrl+F</kbd> ${t('k_search')} · <kbd>↑</kbd><kbd>↓</kbd> ${t('k_move')} · <kbd>Enter</kbd> ${t('k_edit')} · <kbd>Space</kbd> ${t('k_tick')}</p>
    </section>`);

  const vt = $('#vt', root);
  const spacer = $('#vt-spacer', root);
  const slice = $('#vt-rows', root);
  const st = {
    total: 0,
    all: 0,
    chunks: new Map(),
    pending: new Set(),
    gen: 0,
    selected: new Map(),
    focus: 0,
    facetsLoaded: false,
  };

  const query = () => ({
    query: $('#x-query', root).value,
    party: $('#x-party', root).value,
    organisation: $('#x-org', root).value,
    theme: $('#x-theme', root).value,
    signed: $('#x-signed', root).value,
    sort: $('#x-sort', root).value,
    desc: false,
  });

  function rowAt(i) {
    return st.chunks.get(Math.floor(i / CHUNK))?.[i % CHUNK];
  }

  const statusText = (r) =>
    r.status === 'registered'
      ? r.checked_in
        ? t('arrived')
        : t('signed_yes')
      : r.status === 'waiting'
        ? t('waiting')
        : '';

  function render() {
    spacer.style.height = `${st.total * ROW_H}px`;
    $('#experts-count', root).textContent =
      st.total === st.all
        ? t('experts_count', { n: groupDigits(st.all) })
        : t('experts_count_of', { n: groupDigits(st.total), all: groupDigits(st.all) });
    if (st.loading) {
      // The first read of a large list takes a moment (about a second for 100,000).
      slice.style.transform = 'translateY(0px)';
      slice.replaceChildren(
        html`<div class="card progress vt-loading" role="status"><span class="spinner" aria-hidden="true"></span>${t('loading_list')}</div>`,
      );
      return;
    }
    if (st.total === 0) {
      slice.style.transform = 'translateY(0px)';
      slice.replaceChildren(
        html`<div class="empty-state">${st.all ? t('experts_none_match') : t('experts_empty')}</div>`,
      );
      return;
    }
    const first = Math.max(0, Math.floor(vt.scrollTop / ROW_H) - OVERSCAN);
    const last = Math.min(st.total, Math.ceil((vt.scrollTop + vt.clientHeight) / ROW_H) + OVERSCAN);
    for (let c = Math.floor(first / CHUNK); c <= Math.floor((last - 1) / CHUNK); c++) load(c);
    slice.style.transform = `translateY(${first * ROW_H}px)`;
    const rows = [];
    for (let i = first; i < last; i++) {
      const r = rowAt(i);
      rows.push(
        r
          ? raw`<div class="vt-row ${i === st.focus ? 'focused' : ''} ${st.selected.has(r.id) ? 'ticked' : ''}" role="row" data-i="${i}" data-id="${r.id}">
              <span><input type="checkbox" tabindex="-1" aria-label="${t('tick')}" ${st.selected.has(r.id) ? raw`checked` : ''}></span>
              <span class="mono">${r.code}</span><span class="strong">${r.name}</span><span>${r.organisation}</span><span>${r.title}</span>
              <span>${r.party}</span><span>${r.theme ? raw`${r.theme} · ${r.point}` : r.status ? t('no_group') : ''}</span>
              <span class="st-${r.status ?? 'none'} ${r.checked_in ? 'in' : ''}">${statusText(r)}</span><span class="mono">${r.phone_masked}</span></div>`
          : raw`<div class="vt-row loading" role="row" data-i="${i}"><span></span><span class="muted">…</span></div>`,
      );
    }
    slice.replaceChildren(html`${rows}`);
  }

  async function load(c) {
    if (st.chunks.has(c) || st.pending.has(c)) return;
    st.pending.add(c);
    const gen = st.gen;
    try {
      const page = await api.expertsPage(query(), c * CHUNK, CHUNK, !st.facetsLoaded);
      if (gen !== st.gen) return; // the filters changed meanwhile
      if (page.facets && !st.facetsLoaded) {
        st.facetsLoaded = true;
        $('#x-party', root).append(
          html`${page.facets.parties.map(([v, n]) => raw`<option value="${v}">${v}（${n}）</option>`)}`,
        );
        $('#x-org', root).append(
          html`${page.facets.organisations.map(([v, n]) => raw`<option value="${v}">${v}（${n}）</option>`)}`,
        );
      }
      st.total = page.total;
      st.all = page.all;
      st.loading = false;
      st.chunks.set(c, page.rows);
      dropFarChunks();
      schedule();
    } catch (err) {
      st.loading = false;
      toastError(err);
    } finally {
      st.pending.delete(c);
    }
  }

  function dropFarChunks() {
    if (st.chunks.size <= KEEP_CHUNKS) return;
    const here = Math.floor(vt.scrollTop / ROW_H / CHUNK);
    const far = [...st.chunks.keys()].sort((a, b) => Math.abs(b - here) - Math.abs(a - here));
    for (const c of far.slice(0, st.chunks.size - KEEP_CHUNKS)) st.chunks.delete(c);
  }

  let frame = 0;
  function schedule() {
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      render();
    });
  }

  function reset() {
    st.loading = st.all === 0;
    st.gen++;
    st.chunks.clear();
    st.pending.clear();
    st.focus = 0;
    vt.scrollTop = 0;
    load(0);
  }

  function updateMerge() {
    $('#merge-selected', root).disabled = st.selected.size !== 2;
    $('#merge-selected', root).dataset.count = st.selected.size;
  }

  function tick(i) {
    const r = rowAt(i);
    if (!r) return;
    if (st.selected.has(r.id)) st.selected.delete(r.id);
    else st.selected.set(r.id, r);
    updateMerge();
    schedule();
  }

  // The expert's sign-up for the current event, or a way to sign them up (a full point puts
  // them on its waiting list).
  function signupPart(detail) {
    const ev = ctx.info?.current_event?.id;
    const points = ctx.info?.points ?? [];
    const s = detail.signups.find((x) => x.event_id === ev);
    if (s) {
      const p = points.find((x) => x.id === s.point_id);
      return raw`<p class="ex-signup">${t('signup_now')}：<b>${p ? p.name : t('plenary')}</b>${s.status === 'waiting' ? raw` <span class="st-waiting">（${t('waiting')}）</span>` : ''}
        <span class="muted">${t('signup_move_hint')}</span></p>`;
    }
    return raw`<div class="ex-signup"><span>${t('not_signed_up_here')}</span>
      <select id="ex-point"><option value="">${t('plenary')}</option>${points.map((p) => raw`<option value="${p.id}">${p.name}（${p.capacity || '∞'}）</option>`)}</select>
      <button type="button" class="btn btn-small" id="ex-signup">${t('sign_up')}</button><span id="ex-signup-result" class="muted"></span></div>`;
  }

  // The edit form: add (no id) or edit; delete / archive from the same dialog.
  async function edit(id = null) {
    let detail = null;
    try {
      if (id) detail = await api.expertDetail(id);
    } catch (err) {
      toastError(err);
      return;
    }
    const e = detail?.expert ?? {
      name: '',
      gender: '',
      party: '',
      organisation: '',
      title: '',
      field: '',
      phone: '',
      notes: '',
    };
    const body = html`
      <div class="form-grid" id="ex-form">
        <label class="field"><span>${t('f_name')} <em>${t('f_required')}</em></span><input id="ex-name" maxlength="60" value="${e.name}" autofocus></label>
        <label class="field"><span>${t('f_phone')}</span><input id="ex-phone" type="tel" maxlength="30" value="${e.phone}"></label>
        <label class="field"><span>${t('f_org')}</span><input id="ex-org" maxlength="200" value="${e.organisation}"></label>
        <label class="field"><span>${t('f_title')}</span><input id="ex-title" maxlength="200" value="${e.title}"></label>
        <label class="field"><span>${t('col_party')}</span><input id="ex-party" maxlength="200" value="${e.party}"></label>
        <label class="field"><span>${t('col_gender')}</span><input id="ex-gender" maxlength="10" value="${e.gender}"></label>
        <label class="field span2"><span>${t('col_field')}</span><input id="ex-field" maxlength="200" value="${e.field}"></label>
        <label class="field span2"><span>${t('f_notes')}</span><input id="ex-notes" maxlength="200" value="${e.notes}"></label>
      </div>
      ${detail ? signupPart(detail) : ''}
      ${
        detail
          ? raw`<div class="ex-meta"><span class="mono">${e.code}</span>
        <span class="ex-danger"><button type="button" class="btn btn-small btn-danger-outline" id="ex-remove">${detail.has_checkins ? t('archive_expert') : t('delete_expert')}</button>
        <button type="button" class="btn btn-small btn-danger-outline" id="ex-erase" title="${t('erase_hint')}">${t('erase_expert')}</button></span></div>`
          : ''
      }`;
    const v = (k) => document.getElementById(k)?.value ?? '';
    const collect = () => ({
      name: v('ex-name'),
      phone: v('ex-phone'),
      organisation: v('ex-org'),
      title: v('ex-title'),
      party: v('ex-party'),
      gender: v('ex-gender'),
      field: v('ex-field'),
      notes: v('ex-notes'),
    });
    body.querySelector('#ex-signup')?.addEventListener('click', async (ev) => {
      const out = document.getElementById('ex-signup-result');
      const btn = ev.currentTarget;
      try {
        const r = await api.signupAdd(id, document.getElementById('ex-point').value || null);
        out.textContent = r.waiting_position
          ? t('signed_up_waiting', { n: r.waiting_position })
          : t('signed_up_ok');
        btn.disabled = true;
        st.gen++;
        st.chunks.clear();
        schedule();
        load(0);
      } catch (err) {
        out.textContent = errorText(err);
      }
    });
    // A second click confirms (a dialog over a dialog would fight over Enter and Esc): the
    // first arms the button and says what the second will do.
    const armed = (btn, label) => {
      if (btn.dataset.armed) return true;
      btn.dataset.armed = '1';
      btn.textContent = t(label);
      btn.classList.add('btn-danger');
      return false;
    };
    body.querySelector('#ex-remove')?.addEventListener('click', async (ev) => {
      if (!armed(ev.currentTarget, 'confirm_remove')) return;
      try {
        const how = await api.expertRemove(id);
        document.querySelector('.modal-backdrop [data-act=cancel]')?.click();
        toast(
          how === 'archived'
            ? t('expert_archived', { name: e.name })
            : t('expert_deleted', { name: e.name }),
        );
        reset();
      } catch (err) {
        toastError(err);
      }
    });
    body.querySelector('#ex-erase')?.addEventListener('click', async (ev) => {
      if (!armed(ev.currentTarget, 'erase_confirm')) return;
      try {
        const done = await api.expertErase(id);
        document.querySelector('.modal-backdrop [data-act=cancel]')?.click();
        toast(t('expert_erased', { code: done.code }), 'info', 8000);
        reset();
      } catch (err) {
        toastError(err);
      }
    });
    const saved = await modal({
      title: id ? t('edit_expert') : t('add_expert'),
      body,
      wide: true,
      okLabel: t('save'),
      collect,
      onConfirm: async (form, showError) => {
        try {
          const r = await api.expertSave(id, form);
          toast(t('expert_saved', { name: r.name, code: r.code }));
          return true;
        } catch (err) {
          showError(errorText(err));
          return false;
        }
      },
    });
    if (saved) reset();
  }

  async function mergeSelected() {
    if (st.selected.size !== 2) return;
    const [a, b] = [...st.selected.values()];
    const card = (
      r,
      checked,
    ) => raw`<label class="merge-card"><input type="radio" name="keep" value="${r.id}" ${checked ? raw`checked` : ''}>
      <b>${r.name}</b> <span class="mono">${r.code}</span><br><span>${r.organisation}</span><br><span class="muted">${r.title} · ${r.party} · ${r.phone_masked}</span>
      <br><span>${r.theme ? raw`${r.theme} · ${r.point}` : ''} ${statusText(r)}</span></label>`;
    const body = html`<p>${t('merge_hint')}</p><div class="merge-pair">${card(a, true)}${card(b, false)}</div>`;
    const keep = await modal({
      title: t('merge_title'),
      body,
      wide: true,
      danger: true,
      okLabel: t('merge_do'),
      collect: () => document.querySelector('input[name=keep]:checked')?.value,
    });
    if (!keep) return;
    const other = keep === a.id ? b.id : a.id;
    try {
      const m = await api.expertMerge(keep, other);
      toast(
        t('merged_experts', {
          name: m.survivor.name,
          checkins: m.moved_checkins,
          signups: m.moved_signups,
        }),
        'info',
        6000,
      );
      st.selected.clear();
      updateMerge();
      reset();
    } catch (err) {
      toastError(err);
    }
  }

  vt.addEventListener('scroll', schedule, { passive: true });
  let timer = 0;
  $('#x-query', root).addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(reset, 120);
  });
  root.querySelector('.filters').addEventListener('change', (e) => {
    if (e.target.tagName === 'SELECT') reset();
  });
  slice.addEventListener('click', (e) => {
    const row = e.target.closest('.vt-row');
    if (!row || row.classList.contains('loading')) return;
    const i = Number(row.dataset.i);
    st.focus = i;
    if (e.target.type === 'checkbox') tick(i);
    else edit(row.dataset.id);
  });
  vt.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      st.focus = Math.max(0, Math.min(st.total - 1, st.focus + (e.key === 'ArrowDown' ? 1 : -1)));
      const top = st.focus * ROW_H;
      if (top < vt.scrollTop) vt.scrollTop = top;
      else if (top + ROW_H > vt.scrollTop + vt.clientHeight)
        vt.scrollTop = top + ROW_H - vt.clientHeight;
      schedule();
    } else if (e.key === 'Enter') {
      const r = rowAt(st.focus);
      if (r) edit(r.id);
    } else if (e.key === ' ') {
      e.preventDefault();
      tick(st.focus);
    }
  });
  $('#add-expert', root).addEventListener('click', () => edit(null));
  $('#merge-selected', root).addEventListener('click', mergeSelected);
  const onKey = (e) => {
    if (document.querySelector('.modal-backdrop')) return;
    const k = e.key.toLowerCase();
    if (e.ctrlKey && k === 'f') {
      e.preventDefault();
      $('#x-query', root).focus();
    } else if (e.ctrlKey && k === 'n') {
      e.preventDefault();
      edit(null);
    } else if (e.ctrlKey && k === 'm') {
      e.preventDefault();
      mergeSelected();
    }
  };
  document.addEventListener('keydown', onKey);
  const onResize = () => schedule();
  window.addEventListener('resize', onResize);
  reset();
  schedule();
  $('#x-query', root).focus();
  return () => {
    document.removeEventListener('keydown', onKey);
    window.removeEventListener('resize', onResize);
    api.expertsClosed().catch(() => {});
  };
}
