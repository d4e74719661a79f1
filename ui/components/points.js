// The sign-up board: every service point of the event with its people, places left and
// waiting list; tick people (in any column) to move them to another point or cancel them —
// a freed place goes to the first one waiting. Suggestions for those without a group, the
// point's own details, and the QR badges to print.

import { api } from '../api.js';
import { html, raw, $ } from '../lib/html.js';
import { t, errorText } from '../lib/i18n.js';
import { modal } from './modal.js';
import { toast, toastError } from './toast.js';
import { warnUnprintable } from './unprintable.js';
import { outcomeDialog, outcomeLabel } from './outcome.js';

export function mount(root, ctx) {
  const info = ctx.info;
  const st = { board: null, selected: new Set(), outcomes: new Map() };
  root.append(html`
    <section class="page board-page">
      <div class="page-head">
        <h1 class="page-title">${t('board_title')}</h1>
        <span class="muted">${info?.current_event?.name ?? ''} ${info?.current_event?.short_name ?? ''}</span>
        <div class="head-actions">
          <button type="button" class="btn" id="suggest">${t('suggest')} <kbd>Ctrl+G</kbd></button>
          <button type="button" class="btn" id="badges-all">${t('badges_all')} <kbd>Ctrl+B</kbd></button>
          <button type="button" class="btn btn-primary" id="add-point">${t('add_point')}</button>
        </div>
      </div>
      <div class="bulk-bar" id="bulk" hidden></div>
      <div class="board" id="board"><div class="card progress"><span class="spinner" aria-hidden="true"></span>${t('working')}</div></div>
    </section>`);
  const board = $('#board', root);

  const person = (
    r,
    waiting,
    n,
  ) => raw`<li class="${st.selected.has(r.expert_id) ? 'ticked' : ''}" data-id="${r.expert_id}">
      <label><input type="checkbox" data-pick="${r.expert_id}" ${st.selected.has(r.expert_id) ? raw`checked` : ''}>
      ${waiting ? raw`<span class="wait-no">${n}</span>` : ''}<span class="b-name">${r.name}</span>
      <span class="b-org">${r.organisation}</span>${r.morning_time ? raw`<span class="b-in" title="${t('arrived')}">✓ ${r.morning_time}</span>` : ''}</label></li>`;

  function render() {
    const b = st.board;
    if (!b.points.length && !b.unassigned.length) {
      board.replaceChildren(
        html`<div class="empty-state large"><p class="empty-title">${t('points_empty')}</p><p>${t('points_empty_hint')}</p></div>`,
      );
      return;
    }
    const column = (p) => {
      const used = p.registered.length;
      const full = p.capacity > 0 && used >= p.capacity;
      const left = p.capacity > 0 ? p.capacity - used : null;
      const pct = p.capacity > 0 ? Math.min(100, (used * 100) / p.capacity) : 0;
      return raw`<article class="card b-col ${full ? 'full' : ''}" data-point="${p.id}">
        <header>
          <div class="point-theme">${p.theme}</div>
          <h2 class="point-name">${p.name}</h2>
          <div class="point-addr">${p.address}${p.depart_time || p.bus ? raw` · ${p.depart_time} ${p.bus}` : ''}</div>
          <div class="cap"><span class="cap-bar"><span data-pct="${pct.toFixed(0)}"></span></span>
            <b class="cap-n">${used}</b><span class="muted">/ ${p.capacity || '∞'}</span>
            <span class="cap-left ${full ? 'is-full' : ''}">${full ? t('full') : left !== null ? t('places_left', { n: left }) : ''}</span></div>
          <div class="col-actions">
            <button type="button" class="btn btn-small" data-edit="${p.id}">${t('edit')}</button>
            <button type="button" class="btn btn-small" data-badges="${p.id}" data-name="${p.short_name || p.name}">${t('badges')}</button>
            <button type="button" class="btn btn-small" data-cards="${p.id}" data-name="${p.short_name || p.name}">${t('table_cards')}</button>
            <button type="button" class="btn btn-small outcome-btn" data-outcome="${p.id}">${outcomeLabel(st.outcomes.get(p.id))}</button>
          </div>
        </header>
        <ul class="b-list">${p.registered.map((r) => person(r, false))}</ul>
        ${
          p.waiting.length
            ? raw`<h3 class="wait-title">${t('waiting_list', { n: p.waiting.length })}</h3>
          <ol class="b-list waiting">${p.waiting.map((r, i) => person(r, true, i + 1))}</ol>`
            : ''
        }
      </article>`;
    };
    board.replaceChildren(html`
      ${
        b.unassigned.length
          ? raw`<article class="card b-col unassigned" data-point="">
        <header><div class="point-theme">${t('no_group')}</div><h2 class="point-name">${t('unassigned_title')}</h2>
          <div class="point-addr">${t('unassigned_hint')}</div>
          <div class="cap"><b class="cap-n">${b.unassigned.length}</b></div></header>
        <ul class="b-list">${b.unassigned.map((r) => person(r, false))}</ul></article>`
          : ''
      }
      ${b.points.map(column)}`);
    for (const bar of board.querySelectorAll('.cap-bar > span'))
      bar.style.width = `${bar.dataset.pct}%`;
    renderBulk();
  }

  function renderBulk() {
    const bar = $('#bulk', root);
    bar.hidden = st.selected.size === 0;
    if (!st.selected.size) return bar.replaceChildren();
    const themeOf = (p) => (p.theme ? `${p.theme} · ` : '');
    bar.replaceChildren(html`
      <b>${t('n_selected', { n: st.selected.size })}</b>
      <label>${t('move_to')} <select id="bulk-target">
        <option value="">${t('plenary')}</option>
        ${st.board.points.map((p) => raw`<option value="${p.id}">${themeOf(p)}${p.name}（${p.registered.length}/${p.capacity || '∞'}）</option>`)}
      </select></label>
      <button type="button" class="btn btn-primary btn-small" id="bulk-move">${t('move')} <kbd>Enter</kbd></button>
      <button type="button" class="btn btn-small btn-danger-outline" id="bulk-cancel">${t('cancel_signup')}</button>
      <button type="button" class="btn btn-small" id="bulk-clear">${t('clear')} <kbd>Esc</kbd></button>`);
  }

  async function load() {
    try {
      st.board = await api.signupBoard();
      const eventId = ctx.info?.current_event?.id;
      st.outcomes = new Map(
        (eventId ? await api.outcomesForEvent(eventId) : []).map((o) => [o.point_id, o]),
      );
      const known = new Set(
        [
          ...st.board.unassigned,
          ...st.board.points.flatMap((p) => [...p.registered, ...p.waiting]),
        ].map((r) => r.expert_id),
      );
      for (const id of [...st.selected]) if (!known.has(id)) st.selected.delete(id);
      render();
    } catch (err) {
      board.replaceChildren(
        html`<div class="card error-card" role="alert">${errorText(err)}</div>`,
      );
    }
  }

  const promotedText = (list) =>
    list.length ? ` ${t('promoted', { names: list.map((p) => p.name).join('、') })}` : '';

  async function moveSelected(over = false) {
    const to = $('#bulk-target', root)?.value || null;
    const ids = [...st.selected];
    try {
      const r = await api.signupMoveMany(ids, to, over);
      toast(t('moved_n', { n: r.moved }) + promotedText(r.promoted), 'info', 6000);
      st.selected.clear();
      await load();
    } catch (err) {
      if (err.code === 'capacity_full' && !over) {
        const ok = await modal({
          title: t('over_capacity_title'),
          body: html`<p>${errorText(err)}</p><p>${t('over_capacity_ask')}</p>`,
          danger: true,
          okLabel: t('over_capacity_do'),
        });
        if (ok) return moveSelected(true);
        await load();
      } else {
        toastError(err);
        await load();
      }
    }
  }

  async function cancelSelected() {
    const ids = [...st.selected];
    const ok = await modal({
      title: t('cancel_signup'),
      body: html`<p>${t('cancel_confirm', { n: ids.length })}</p>`,
      danger: true,
    });
    if (!ok) return;
    const promoted = [];
    for (const id of ids) {
      try {
        promoted.push(...(await api.signupCancel(id)));
      } catch (err) {
        toastError(err);
      }
    }
    toast(t('cancelled_n', { n: ids.length }) + promotedText(promoted), 'info', 6000);
    st.selected.clear();
    await load();
  }

  async function editPoint(id = null) {
    const p = st.board.points.find((x) => x.id === id) ?? {
      name: '',
      short_name: '',
      theme_id: null,
      address: '',
      contact: '',
      contact_phone: '',
      capacity: 0,
      depart_time: '',
      bus: '',
    };
    const body = html`<div class="form-grid">
      <label class="field span2"><span>${t('field_point_name')} <em>${t('f_required')}</em></span><input id="pt-name" maxlength="100" value="${p.name}" autofocus></label>
      <label class="field"><span>${t('field_short_name')}</span><input id="pt-short" maxlength="30" value="${p.short_name}"></label>
      <label class="field"><span>${t('field_theme')}</span><select id="pt-theme"><option value="">—</option>
        ${st.board.themes.map((th) => raw`<option value="${th.id}" ${th.id === p.theme_id ? raw`selected` : ''}>${th.name}</option>`)}</select></label>
      <label class="field span2"><span>${t('field_address')}</span><input id="pt-address" maxlength="200" value="${p.address}"></label>
      <label class="field"><span>${t('field_contact')}</span><input id="pt-contact" maxlength="30" value="${p.contact}"></label>
      <label class="field"><span>${t('f_phone')}</span><input id="pt-phone" maxlength="30" value="${p.contact_phone}"></label>
      <label class="field"><span>${t('field_capacity')}（${t('zero_unlimited')}）</span><input id="pt-capacity" type="number" min="0" value="${p.capacity}"></label>
      <label class="field"><span>${t('field_depart_time')}</span><input id="pt-depart" maxlength="10" placeholder="13:00" value="${p.depart_time}"></label>
      <label class="field span2"><span>${t('field_bus')}</span><input id="pt-bus" maxlength="60" value="${p.bus}"></label>
    </div>`;
    const v = (k) => document.getElementById(k)?.value ?? '';
    const saved = await modal({
      title: id ? t('edit_point') : t('add_point'),
      body,
      wide: true,
      okLabel: t('save'),
      collect: () => ({
        id: id ?? '',
        name: v('pt-name'),
        short_name: v('pt-short'),
        theme_id: v('pt-theme') || null,
        address: v('pt-address'),
        contact: v('pt-contact'),
        contact_phone: v('pt-phone'),
        capacity: Number(v('pt-capacity')) || 0,
        depart_time: v('pt-depart'),
        bus: v('pt-bus'),
      }),
      onConfirm: async (form, showError) => {
        try {
          const r = await api.pointSave(form);
          toast(t('point_saved', { name: r.point.name }) + promotedText(r.promoted), 'info', 6000);
          return true;
        } catch (err) {
          showError(errorText(err));
          return false;
        }
      },
    });
    if (saved) {
      ctx.info = await api.appInfo();
      await load();
    }
  }

  async function suggest() {
    let list;
    try {
      list = await api.signupSuggestions();
    } catch (err) {
      return toastError(err);
    }
    const body = html`<p class="hint">${t('suggest_rule')}</p>
      ${
        list.length
          ? raw`<div class="table-wrap short"><table class="table compact" id="suggestions"><thead><tr><th>${t('col_name')}</th><th>${t('col_field')}</th><th>${t('suggested_point')}</th><th>${t('reason')}</th></tr></thead>
          <tbody>${list.map((s) => raw`<tr><td class="strong">${s.name}</td><td>${s.field}</td><td>${s.point_name}</td><td class="muted">${s.reason}</td></tr>`)}</tbody></table></div>`
          : raw`<p class="muted">${t('suggest_none')}</p>`
      }`;
    const ok = await modal({
      title: t('suggest'),
      body,
      wide: true,
      okLabel: t('apply_all', { n: list.length }),
      noOk: list.length === 0,
    });
    if (!ok) return;
    try {
      const n = await api.signupApplySuggestions();
      toast(t('applied_n', { n }), 'info', 5000);
      await load();
    } catch (err) {
      toastError(err);
    }
  }

  async function badges(pointId = null, name = null, cards = false) {
    try {
      const fileName = await api.badgesFileName(name, cards);
      const path = await api.saveFile(t(cards ? 'table_cards' : 'badges'), fileName, [
        { name: 'PDF', extensions: ['pdf'] },
      ]);
      if (!path) return;
      const r = await api.badgesSave(pointId, path, cards);
      toast(t(cards ? 'cards_saved' : 'badges_saved', { n: r.badges, path: r.path }), 'info', 6000);
      warnUnprintable(r.unprintable);
    } catch (err) {
      toastError(err);
    }
  }

  root.addEventListener('change', (e) => {
    const id = e.target.dataset?.pick;
    if (!id) return;
    if (e.target.checked) st.selected.add(id);
    else st.selected.delete(id);
    e.target.closest('li')?.classList.toggle('ticked', e.target.checked);
    renderBulk();
  });
  root.addEventListener('click', (e) => {
    const b = e.target.closest('button');
    if (!b) return;
    if (b.id === 'bulk-move') moveSelected();
    else if (b.id === 'bulk-cancel') cancelSelected();
    else if (b.id === 'bulk-clear') {
      st.selected.clear();
      render();
    } else if (b.id === 'suggest') suggest();
    else if (b.id === 'add-point') editPoint(null);
    else if (b.id === 'badges-all') badges(null, null);
    else if (b.dataset.edit) editPoint(b.dataset.edit);
    else if (b.dataset.outcome) {
      const point = st.board.points.find((p) => p.id === b.dataset.outcome);
      if (point)
        outcomeDialog(point, st.outcomes.get(point.id))
          .then((o) => o && load())
          .catch(toastError);
    } else if (b.dataset.badges) badges(b.dataset.badges, b.dataset.name);
    else if (b.dataset.cards) badges(b.dataset.cards, b.dataset.name, true);
  });
  const onKey = (e) => {
    if (document.querySelector('.modal-backdrop')) return;
    const k = e.key.toLowerCase();
    if (e.ctrlKey && k === 'g') {
      e.preventDefault();
      suggest();
    } else if (e.ctrlKey && k === 'b') {
      e.preventDefault();
      badges(null, null);
    } else if (e.key === 'Escape' && st.selected.size) {
      st.selected.clear();
      render();
    } else if (e.key === 'Enter' && st.selected.size && e.target.id === 'bulk-target') {
      e.preventDefault();
      moveSelected();
    }
  };
  document.addEventListener('keydown', onKey);
  load();
  return () => {
    document.removeEventListener('keydown', onKey);
  };
}
