// The afternoon roll call: when the desk's checkpoint is a service point, its list shows
// below the search — who is on the bus, who came this morning, who is missing — with a
// "move" action (调组) that warns when the target point is full.

import { api } from '../api.js';
import { html, raw } from '../lib/html.js';
import { t, errorText } from '../lib/i18n.js';
import { modal } from './modal.js';
import { toast, toastError } from './toast.js';

export async function renderRoster(container, info, pointId, attendance) {
  const p = info.points.find((x) => x.id === pointId);
  if (!p) {
    container.replaceChildren();
    return;
  }
  let rows;
  try {
    rows = await api.roster(pointId);
  } catch (err) {
    toastError(err);
    return;
  }
  const theme = info.themes.find((th) => th.id === p.theme_id)?.name ?? '';
  const registered = rows.filter((r) => r.status === 'registered');
  const waiting = rows.filter((r) => r.status === 'waiting');
  const present = registered.filter((r) => r.point_checkin_id).length;
  const row = (r) => raw`
    <li class="${r.point_checkin_id ? 'on' : ''}" data-expert="${r.expert_id}">
      <span class="rc-state">${r.point_checkin_id ? raw`✓ ${r.point_time}` : '○'}</span>
      <span class="rc-name">${r.name}</span>
      <span class="rc-org">${r.organisation}</span>
      <span class="rc-morning ${r.morning_time ? '' : 'absent'}">${
        r.morning_time ? t('morning_in', { time: r.morning_time }) : t('morning_absent')
      }</span>
      <button type="button" class="btn small" data-act="move" data-id="${r.expert_id}" data-name="${r.name}">${t('move')}</button>
    </li>`;
  container.replaceChildren(html`
    <div class="card roster" data-point="${p.id}">
      <div class="roster-head">
        <div>
          <div class="roster-title">${t('roster_title', { point: `${theme} · ${p.name}` })}</div>
          <div class="muted">${t('roster_sub', { time: p.depart_time, bus: p.bus, present, expected: registered.length })}</div>
        </div>
        <button type="button" class="btn small" data-act="offbus">${t('key_offbus')} <kbd>F6</kbd></button>
      </div>
      <ul class="roster-list">${registered.map(row)}</ul>
      ${
        waiting.length
          ? raw`<h3 class="list-group">${t('waiting_list')} <span class="muted">${waiting.length}</span></h3>
        <ul class="roster-list">${waiting.map(row)}</ul>`
          : ''
      }
    </div>`);
  void attendance;
}

/** Asks where to move the expert, warns when full, and moves. Resolves true when moved. */
export async function moveDialog(info, expertId, name, groups) {
  const themeName = (p) => info.themes.find((th) => th.id === p.theme_id)?.name ?? '';
  const left = (p) => {
    const g = groups.find((x) => x.point_id === p.id);
    const n = p.capacity - (g?.expected ?? 0);
    return p.capacity > 0 ? (n > 0 ? t('places_left', { n }) : t('full')) : '';
  };
  const body = html`
    <label class="field"><span>${t('move_to')}</span>
      <select id="move-to" autofocus>
        ${info.points.map((p) => raw`<option value="${p.id}">${themeName(p)} · ${p.name}（${left(p)}）</option>`)}
        <option value="">${t('plenary')}</option>
      </select></label>`;
  const to = await modal({
    title: t('move_title', { name }),
    body,
    collect: () => document.getElementById('move-to').value,
  });
  if (to === null) return false;
  const target = to || null;
  const label = info.points.find((p) => p.id === to)?.name ?? t('plenary');
  try {
    await api.moveExpert(expertId, target, false);
  } catch (err) {
    if (err.code !== 'capacity_full') {
      toastError(err);
      return false;
    }
    const ok = await modal({
      title: t('move_title', { name }),
      body: html`<p>${errorText(err)}</p>`,
      danger: true,
    });
    if (!ok) return false;
    try {
      await api.moveExpert(expertId, target, true);
    } catch (err2) {
      toastError(err2);
      return false;
    }
  }
  toast(t('moved', { name, point: label }));
  return true;
}
