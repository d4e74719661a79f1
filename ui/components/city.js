// 城市总览: every venue's 应到 / 实到 / walk-ins across the city, from the city office's server,
// redrawn in place whenever the shell reads a new picture (after each sync round, and at once
// when another venue's check-in arrives: the server's NOTIFY wakes it). A venue whose desks
// have gone quiet is marked. Without a server it says how to set one up.

import { api } from '../api.js';
import { html, raw, $ } from '../lib/html.js';
import { t } from '../lib/i18n.js';
import { toastError } from './toast.js';
import { groupDigits } from '../lib/numbers.js';

const n = (v) => groupDigits(v);

/** Shanghai's districts in the city's own order (as the year's report lists them). */
const CITY_ORDER = [
  '黄浦区',
  '徐汇区',
  '长宁区',
  '静安区',
  '普陀区',
  '虹口区',
  '杨浦区',
  '闵行区',
  '宝山区',
  '嘉定区',
  '浦东新区',
  '金山区',
  '松江区',
  '青浦区',
  '奉贤区',
  '崇明区',
];
const place = (d) => {
  const i = CITY_ORDER.indexOf(d);
  return i < 0 ? CITY_ORDER.length : i;
};

/** HH:MM (Shanghai) of a UTC ISO time. */
export function hm(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  const local = new Date(d.getTime() + 8 * 3600 * 1000);
  return local.toISOString().slice(11, 16);
}

/** The top bar's words for the sync state. */
export function syncText(s) {
  if (!s || s.state === 'off') return t('sync_off');
  // The red switch for a server off this machine without TLS is said wherever the state is.
  const plain = s.plaintext ? `${t('sync_plaintext')} · ` : '';
  if (s.state === 'syncing') return plain + t('sync_syncing');
  const unsent = s.unsent > 0 ? ` · ${t('sync_unsent', { n: s.unsent })}` : '';
  if (s.state === 'synced') return plain + t('sync_synced', { time: hm(s.synced_at) }) + unsent;
  return plain + t('sync_offline') + unsent;
}

function ago(seconds) {
  if (seconds == null) return t('city_never');
  if (seconds < 60) return t('city_ago_s', { n: Math.max(0, seconds) });
  if (seconds < 3600) return t('city_ago_m', { n: Math.floor(seconds / 60) });
  return t('city_ago_h', { n: Math.floor(seconds / 3600) });
}

/** quiet | late | '' for a venue last heard of `seconds` ago (by the server's clock). */
function quietness(seconds) {
  if (seconds == null) return 'never';
  if (seconds > 900) return 'quiet';
  if (seconds > 300) return 'late';
  return '';
}

export function mount(root) {
  let view = null;
  let readAt = 0;
  root.append(html`
    <section class="page city-page">
      <div class="page-head">
        <div>
          <h1 class="page-title">${t('city_title')}</h1>
          <p class="page-sub muted">${t('city_subtitle')}</p>
        </div>
        <div class="head-actions">
          <span class="sync-state" id="c-state"></span>
          <button type="button" class="btn" id="c-now">${t('city_sync_now')} <kbd>F5</kbd></button>
        </div>
      </div>
      <div id="c-body"><div class="card progress"><span class="spinner" aria-hidden="true"></span>${t('city_empty_wait')}</div></div>
    </section>`);
  const body = $('#c-body', root);

  function venueRow(v, age) {
    const pct = v.expected > 0 ? Math.min(100, Math.round((v.arrived * 100) / v.expected)) : 0;
    const q = quietness(age);
    return raw`<tr data-event="${v.event_id}" class="${q ? `venue-${q}` : ''}">
      <td class="c-district">${v.district || '—'}</td>
      <td class="c-venue" title="${v.name}"><b>${v.short_name || v.name}</b>${
        v.kind === 'main' ? raw` <span class="pill pill-main">${t('city_main')}</span>` : ''
      }</td>
      <td class="c-bar"><div class="bar" role="img" aria-label="${v.arrived}/${v.expected}"><span class="bar-fill" data-pct="${pct}"></span></div></td>
      <td class="num c-arrived"><b>${n(v.arrived)}</b><span class="muted"> / ${n(v.expected)}</span></td>
      <td class="num c-pct">${v.expected > 0 ? `${pct}%` : '—'}</td>
      <td class="num c-walkins">${n(v.walkins)}</td>
      <td class="c-sync"><span class="ago" data-q="${q}">${q === 'quiet' || q === 'late' ? t('city_quiet', { n: Math.floor(age / 60) }) : ago(age)}</span>${
        v.unsent > 0 ? raw`<div class="muted">${t('city_unsent', { n: v.unsent })}</div>` : ''
      }</td>
    </tr>`;
  }

  function render() {
    const status = view.status;
    const venues = view.picture.venues ?? [];
    $('#c-state', root).dataset.state = status.state;
    $('#c-state', root).textContent = syncText(status);
    if (status.state === 'off' && venues.length === 0) {
      body.replaceChildren(html`<div class="empty-state large">
        <div class="empty-icon" aria-hidden="true">◍</div>
        <p class="empty-title">${t('city_title')}</p><p>${t('city_empty_off')}</p>
        <p><button type="button" class="btn btn-primary" id="c-settings">${t('city_go_settings')}</button></p></div>`);
      return;
    }
    if (venues.length === 0) {
      body.replaceChildren(
        html`<div class="card progress"><span class="spinner" aria-hidden="true"></span>${t('city_empty_wait')}</div>`,
      );
      return;
    }
    const elapsed = Math.floor((Date.now() - readAt) / 1000);
    const sum = (k) => venues.reduce((a, v) => a + Number(v[k] ?? 0), 0);
    const expected = sum('expected');
    const arrived = sum('arrived');
    const rows = [...venues].sort(
      (a, b) => place(a.district) - place(b.district) || (a.kind === 'main' ? -1 : 1),
    );
    const figure = (key, value, extra = '') =>
      raw`<div class="stat-figure" data-figure="${key}"><span class="stat-label">${t(`city_${key}`)}</span><span class="stat-value">${value}</span>${extra}</div>`;
    body.replaceChildren(html`
      ${
        status.state === 'offline'
          ? raw`<div class="banner warn" id="c-offline">${t('city_offline_banner', { time: hm(view.picture.at) })}</div>`
          : ''
      }
      <div class="stat-figures city-figures">
        ${figure('venues', n(venues.length))}
        ${figure('expected', n(expected))}
        ${figure('arrived', n(arrived))}
        ${figure('rate', expected > 0 ? `${Math.round((arrived * 100) / expected)}%` : '—')}
        ${figure('walkins', n(sum('walkins')))}
      </div>
      <div class="card table-card">
        <table class="table city-table" id="c-table">
          <thead><tr><th>${t('city_district')}</th><th>${t('city_venue')}</th><th>${t('city_progress')}</th><th class="num">${t('city_arrived')} / ${t('city_expected')}</th>
            <th class="num">${t('city_rate')}</th><th class="num">${t('city_walkins')}</th><th>${t('city_last_sync')}</th></tr></thead>
          <tbody>${rows.map((v) =>
            venueRow(v, v.quiet_seconds == null ? null : v.quiet_seconds + elapsed),
          )}</tbody>
        </table>
      </div>
      <p class="muted small" id="c-read-at">${t('city_read_at', { time: hm(view.picture.at) })}</p>`);
    for (const el of body.querySelectorAll('.bar-fill')) el.style.width = `${el.dataset.pct}%`;
  }

  async function load() {
    try {
      view = await api.cityPicture();
      readAt = Date.now();
      render();
    } catch (err) {
      toastError(err);
    }
  }

  const unlisten = [];
  const listen = window.__TAURI__?.event?.listen;
  if (listen) {
    listen('city-picture', (e) => {
      if (!view) return;
      view.picture = e.payload;
      readAt = Date.now();
      render();
    }).then((u) => unlisten.push(u));
  }
  const onStatus = (e) => {
    if (!view) return;
    const was = view.status.state;
    view.status = e.detail;
    if (was !== view.status.state) render();
    else {
      $('#c-state', root).dataset.state = view.status.state;
      $('#c-state', root).textContent = syncText(view.status);
    }
  };
  document.addEventListener('tongxin:sync-status', onStatus);
  const onKey = (e) => {
    if (e.key === 'F5') {
      e.preventDefault();
      api.citySyncNow().catch(toastError);
    }
  };
  document.addEventListener('keydown', onKey);
  root.addEventListener('click', (e) => {
    if (e.target.closest('#c-now')) api.citySyncNow().catch(toastError);
    if (e.target.closest('#c-settings'))
      document.querySelector('.nav-item[data-screen="settings"]')?.click();
  });
  // The "n minutes ago" column moves on by itself.
  const tick = setInterval(() => view?.picture.venues?.length && render(), 15000);
  load();
  return () => {
    clearInterval(tick);
    for (const u of unlisten) u();
    document.removeEventListener('tongxin:sync-status', onStatus);
    document.removeEventListener('keydown', onKey);
  };
}
