// Lists the desk opens in a dialog: who has not arrived (F5), who came this morning but is
// on no bus, and the audit log (F4).

import { api } from '../api.js';
import { html, raw } from '../lib/html.js';
import { t } from '../lib/i18n.js';
import { modal } from './modal.js';
import { toastError } from './toast.js';

function groupOf(info, pointId) {
  const p = info.points.find((x) => x.id === pointId);
  if (!p) return { key: '', label: t('plenary') };
  const theme = info.themes.find((th) => th.id === p.theme_id)?.name ?? '';
  return { key: p.id, label: `${theme} · ${p.short_name || p.name}` };
}

function rosterTable(info, rows, { action = null } = {}) {
  const groups = new Map();
  for (const r of rows) {
    const g = groupOf(info, r.point_id);
    if (!groups.has(g.key)) groups.set(g.key, { label: g.label, rows: [] });
    groups.get(g.key).rows.push(r);
  }
  return raw`${[...groups.values()].map(
    (g) => raw`
      <h3 class="list-group">${g.label} <span class="muted">${g.rows.length}</span></h3>
      <ul class="plain-list">
        ${g.rows.map(
          (r) => raw`<li data-expert="${r.expert_id}">
            <span class="pl-name">${r.name}</span>
            <span class="pl-org">${r.organisation}${r.title ? raw` · ${r.title}` : ''}</span>
            <span class="pl-meta mono">${r.phone_masked}</span>
            ${action ? raw`<button type="button" class="btn small" data-act="${action.act}" data-id="${r.expert_id}">${action.label}</button>` : ''}
          </li>`,
        )}
      </ul>`,
  )}`;
}

/** F5: registered experts not checked in yet, by group; "签到" checks one in. */
export async function notArrivedDialog(info, onCheckIn) {
  let rows;
  try {
    rows = await api.notArrived();
  } catch (err) {
    toastError(err);
    return;
  }
  const body = html`<div class="list-scroll" id="missing-list">${
    rows.length
      ? rosterTable(info, rows, { action: { act: 'checkin', label: t('check_in') } })
      : raw`<p class="empty-line">${t('missing_empty')}</p>`
  }</div>`;
  body.firstElementChild.addEventListener('click', async (e) => {
    const b = e.target.closest('[data-act=checkin]');
    if (!b) return;
    b.disabled = true;
    if (await onCheckIn(b.dataset.id)) b.closest('li').classList.add('done');
    else b.disabled = false;
  });
  await modal({ title: `${t('missing_title')} · ${rows.length}`, body, wide: true, noOk: true });
}

export async function offBusDialog(info) {
  let rows;
  try {
    rows = await api.notOnAnyBus();
  } catch (err) {
    toastError(err);
    return;
  }
  const body = html`<div class="list-scroll">${
    rows.length ? rosterTable(info, rows) : raw`<p class="empty-line">${t('offbus_empty')}</p>`
  }</div>`;
  await modal({ title: `${t('offbus_title')} · ${rows.length}`, body, wide: true, noOk: true });
}

export async function auditDialog() {
  let rows;
  try {
    rows = await api.auditLog(300);
  } catch (err) {
    toastError(err);
    return;
  }
  const label = (a) => {
    const k = `action_${a}`;
    const s = t(k);
    return s === k ? a : s;
  };
  const body = html`<div class="list-scroll">${
    rows.length
      ? raw`<table class="table compact" id="audit-table"><thead><tr>
          <th>${t('col_time')}</th><th>${t('col_desk')}</th><th>${t('col_action')}</th><th>${t('col_detail')}</th></tr></thead>
          <tbody>${rows.map((a) => raw`<tr data-action="${a.action}"><td class="mono">${a.local_time}</td><td>${a.desk_name}</td><td>${label(a.action)}</td><td>${a.detail}</td></tr>`)}</tbody></table>`
      : raw`<p class="empty-line">${t('audit_empty')}</p>`
  }</div>`;
  await modal({ title: t('audit_title'), body, wide: true, noOk: true });
}
