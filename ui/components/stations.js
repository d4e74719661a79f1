// 服务站: the 同心荟 expert service stations by district — host, address, 授牌 date, the
// experts appointed (serving, expired, ended) and this year's activities held there. Ctrl+N
// opens a station, a station's 聘任专家 appoints an expert found by name or pinyin, 解聘 ends
// an appointment; Ctrl+S saves the appointment list (受聘专家名单) as a workbook.

import { api } from '../api.js';
import { html, raw, $ } from '../lib/html.js';
import { t, errorText } from '../lib/i18n.js';
import { modal } from './modal.js';
import { toast, toastError } from './toast.js';
import { groupDigits } from '../lib/numbers.js';

const n = (x) => groupDigits(x);

/** The station form: name and district required, the rest as the plaque says. */
async function stationDialog() {
  const body = html`<div class="form-grid">
    <label class="field span2"><span>${t('st_name')} *</span>
      <input id="st-name" maxlength="80" placeholder="${t('st_name_ph')}" autofocus></label>
    <label class="field"><span>${t('stats_district')} *</span>
      <input id="st-district" maxlength="20" placeholder="${t('st_district_ph')}"></label>
    <label class="field"><span>${t('st_opened')}</span>
      <input id="st-opened" maxlength="20" placeholder="2024-05-20"></label>
    <label class="field span2"><span>${t('st_host')}</span><input id="st-host" maxlength="80"></label>
    <label class="field span2"><span>${t('st_address')}</span><input id="st-address" maxlength="120"></label>
  </div>`;
  const v = (id) => document.getElementById(id)?.value.trim() ?? '';
  let saved = null;
  await modal({
    title: t('st_new'),
    body,
    okLabel: t('save'),
    collect: () => ({
      name: v('st-name'),
      district: v('st-district'),
      opened_on: v('st-opened'),
      host: v('st-host'),
      address: v('st-address'),
    }),
    onConfirm: async (form, showError) => {
      try {
        saved = await api.stationAdd(form);
        return true;
      } catch (err) {
        showError(errorText(err));
        return false;
      }
    },
  });
  return saved;
}

/** Appoint an expert: found as at the desk (name, pinyin, phone digits), a date and a term. */
async function appointDialog(station) {
  const today = new Date().toISOString().slice(0, 10);
  const body = html`<div class="form-grid">
    <label class="field span2"><span>${t('st_find_expert')}</span>
      <input id="ap-query" autocomplete="off" placeholder="${t('st_find_ph')}" autofocus></label>
    <div class="span2 ap-hits" id="ap-hits" role="radiogroup"><p class="muted">${t('st_find_hint')}</p></div>
    <p class="span2 hint">${t('st_find_keys')}</p>
    <label class="field"><span>${t('st_appointed_on')}</span><input id="ap-on" value="${today}" maxlength="20"></label>
    <label class="field"><span>${t('st_term')}</span>
      <input id="ap-term" type="number" min="1" max="10" step="1" value="2" inputmode="numeric"></label>
  </div>`;
  const hitsBox = body.querySelector('#ap-hits');
  // ↑/↓ in the search box move the choice; Enter appoints the one chosen.
  body.querySelector('#ap-query').addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    const radios = [...hitsBox.querySelectorAll('input[name=ap-expert]')];
    if (!radios.length) return;
    e.preventDefault();
    const at = radios.findIndex((r) => r.checked);
    const next = (at + (e.key === 'ArrowDown' ? 1 : -1) + radios.length) % radios.length;
    radios[next].checked = true;
  });
  let seq = 0;
  body.querySelector('#ap-query').addEventListener('input', async (e) => {
    const q = e.target.value.trim();
    const mine = ++seq;
    if (!q) {
      hitsBox.replaceChildren(html`<p class="muted">${t('st_find_hint')}</p>`);
      return;
    }
    try {
      const hits = await api.search(q, 'venue', 6);
      if (mine !== seq) return;
      hitsBox.replaceChildren(
        hits.length
          ? html`${hits.map(
              (
                h,
                i,
              ) => raw`<label class="ap-hit"><input type="radio" name="ap-expert" value="${h.expert_id}" ${i === 0 ? raw`checked` : ''}>
                <b>${h.name}</b> <span class="muted">${h.organisation} ${h.title}</span> <span class="mono muted">${h.code}</span></label>`,
            )}`
          : html`<p class="muted">${t('st_find_none')}</p>`,
      );
    } catch (err) {
      hitsBox.replaceChildren(html`<p class="error-text">${errorText(err)}</p>`);
    }
  });
  const v = (id) => document.getElementById(id)?.value.trim() ?? '';
  let saved = null;
  await modal({
    title: t('st_appoint_title', { name: station.name }),
    body,
    okLabel: t('st_appoint'),
    collect: () => ({
      expert: document.querySelector('input[name=ap-expert]:checked')?.value ?? '',
      on: v('ap-on'),
      term: v('ap-term'),
    }),
    onConfirm: async (form, showError) => {
      if (!form.expert) {
        showError(t('st_pick_expert'));
        return false;
      }
      const term = Number(form.term);
      try {
        saved = await api.stationAppoint(
          station.id,
          form.expert,
          form.on,
          Number.isInteger(term) ? term : 0,
        );
        return true;
      } catch (err) {
        showError(errorText(err));
        return false;
      }
    },
  });
  return saved;
}

export function mount(root) {
  const st = { year: new Date().getFullYear(), list: null };
  root.append(html`
    <section class="page stations-page">
      <div class="page-head">
        <h1 class="page-title">${t('st_title')}</h1>
        <label class="inline">${t('stats_year')} <select id="st-year"></select></label>
        <span class="muted" id="st-summary"></span>
        <div class="head-actions">
          <button type="button" class="btn" id="st-export">${t('st_export')} <kbd>Ctrl+S</kbd></button>
          <button type="button" class="btn btn-primary" id="st-add">${t('st_new')} <kbd>Ctrl+N</kbd></button>
        </div>
      </div>
      <div id="st-body"><div class="card progress"><span class="spinner" aria-hidden="true"></span>${t('working')}</div></div>
    </section>`);
  const body = $('#st-body', root);
  const years = (() => {
    const y = new Date().getFullYear();
    return [y, y - 1, y - 2, y - 3];
  })();

  const standing = (e) =>
    raw`<span class="pill standing-${e.standing}">${t(`st_standing_${e.standing}`)}</span>`;

  const expertRows = (s) =>
    s.experts.length
      ? raw`<table class="table compact st-experts"><thead><tr><th>${t('col_name')}</th><th>${t('col_org')}</th>
          <th>${t('st_appointed_on')}</th><th>${t('st_until')}</th><th></th><th></th></tr></thead>
          <tbody>${s.experts.map(
            (e) => raw`<tr data-appointment="${e.appointment_id}" class="standing-${e.standing}">
              <td class="strong">${e.name}</td><td>${e.organisation} ${e.title}</td>
              <td class="mono">${e.appointed_on}</td><td class="mono">${e.until}</td><td>${standing(e)}</td>
              <td>${e.standing === 'serving' ? raw`<button type="button" class="btn btn-small" data-end="${e.appointment_id}">${t('st_end')}</button>` : ''}</td></tr>`,
          )}</tbody></table>`
      : raw`<p class="muted">${t('st_no_experts')}</p>`;

  const activityRows = (s) =>
    s.activities.length
      ? raw`<ul class="st-activities">${s.activities.map(
          (a) =>
            raw`<li><span class="mono">${a.date}</span> ${a.name} <span class="muted">${a.kind} · ${n(a.participations)} ${t('stats_unit_person_times')}</span></li>`,
        )}</ul>`
      : raw`<p class="muted">${t('st_no_activities', { year: st.year })}</p>`;

  const card = (s) => {
    const serving = s.experts.filter((e) => e.standing === 'serving').length;
    return raw`<article class="card st-card" data-station="${s.id}">
      <header class="st-head">
        <div><h3 class="st-name">${s.name}</h3>
          <div class="muted">${[s.host, s.address].filter(Boolean).join(' · ')}</div></div>
        <div class="st-badges">
          <span class="pill ok" data-serving="${serving}">${t('st_serving_n', { n: serving })}</span>
          <span class="pill" data-held="${s.activities.length}">${t('st_held_n', { n: s.activities.length, p: n(s.participations) })}</span>
        </div>
      </header>
      <div class="muted st-opened">${s.opened_on ? t('st_opened_on', { d: s.opened_on }) : t('st_not_opened')}</div>
      ${expertRows(s)}
      <h4 class="st-sub">${t('st_activities_in', { year: st.year })}</h4>
      ${activityRows(s)}
      <div class="st-actions"><button type="button" class="btn" data-appoint="${s.id}">${t('st_appoint')}</button></div>
    </article>`;
  };

  function render(list) {
    st.list = list;
    $('#st-year', root).replaceChildren(
      ...years.map(
        (y) => html`<option value="${y}" ${y === st.year ? raw`selected` : ''}>${y}</option>`,
      ),
    );
    const serving = list.flatMap((s) => s.experts).filter((e) => e.standing === 'serving').length;
    $('#st-summary', root).textContent = list.length
      ? t('st_summary', { s: list.length, e: serving })
      : '';
    if (!list.length) {
      body.replaceChildren(html`<div class="empty-state large" id="st-empty">
        <div class="empty-icon" aria-hidden="true">⌂</div>
        <p class="empty-title">${t('st_empty_title')}</p><p>${t('st_empty_hint')}</p></div>`);
      return;
    }
    const districts = [...new Set(list.map((s) => s.district))];
    body.replaceChildren(
      html`${districts.map(
        (d) => raw`<section class="st-district" data-district="${d}">
          <h2 class="section-title">${d} <span class="muted">${t('st_count', { n: list.filter((s) => s.district === d).length })}</span></h2>
          <div class="st-grid">${list.filter((s) => s.district === d).map(card)}</div></section>`,
      )}`,
    );
  }

  async function load() {
    try {
      render(await api.stationsList(st.year));
    } catch (err) {
      body.replaceChildren(html`<div class="card empty-state"><p>${errorText(err)}</p></div>`);
    }
  }

  async function add() {
    const s = await stationDialog();
    if (s) {
      toast(t('st_added', { name: s.name }));
      load();
    }
  }

  async function appoint(id) {
    const s = st.list?.find((x) => x.id === id);
    if (s && (await appointDialog(s))) {
      toast(t('st_appointed', { name: s.name }));
      load();
    }
  }

  async function end(id) {
    const e = st.list?.flatMap((s) => s.experts).find((x) => x.appointment_id === id);
    if (!e) return;
    const ok = await modal({
      title: t('st_end_title', { name: e.name }),
      body: html`<p>${t('st_end_body')}</p>`,
      danger: true,
      okLabel: t('st_end'),
    });
    if (!ok) return;
    try {
      await api.appointmentEnd(id);
      load();
    } catch (err) {
      toastError(err);
    }
  }

  async function save() {
    try {
      const path = await api.saveFile(
        t('st_export'),
        `受聘专家名单_${new Date().toISOString().slice(0, 10)}.xlsx`,
        [{ name: 'Excel', extensions: ['xlsx'] }],
      );
      if (!path) return;
      await api.appointmentsSave(path);
      toast(t('saved_to', { path }));
    } catch (err) {
      toastError(err);
    }
  }

  root.addEventListener('change', (e) => {
    if (e.target.id === 'st-year') {
      st.year = Number(e.target.value);
      load();
    }
  });
  root.addEventListener('click', (e) => {
    const b = e.target.closest('button');
    if (!b) return;
    if (b.id === 'st-add') add();
    else if (b.id === 'st-export') save();
    else if (b.dataset.appoint) appoint(b.dataset.appoint);
    else if (b.dataset.end) end(b.dataset.end);
  });
  const onKey = (e) => {
    if (document.querySelector('.modal-backdrop')) return;
    if (e.ctrlKey && e.key.toLowerCase() === 'n') {
      e.preventDefault();
      add();
    } else if (e.ctrlKey && e.key.toLowerCase() === 's') {
      e.preventDefault();
      save();
    }
  };
  document.addEventListener('keydown', onKey);
  load();
  return () => document.removeEventListener('keydown', onKey);
}
