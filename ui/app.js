// The shell: header, navigation, screen switching. Screens live in components/ and export
// `mount(root, ctx)` returning an optional cleanup function.

import { api } from './api.js';
import { showRecoveryKey } from './components/security.js';
import { html, raw, $ } from './lib/html.js';
import { t } from './lib/i18n.js';
import { toast, toastError } from './components/toast.js';
import { stateText } from './components/scanner-settings.js';
import { listenForScans, restoreOrigin, recordKeyEvents } from './lib/scanner.js';
import * as desk from './components/desk.js';
import * as experts from './components/experts.js';
import * as points from './components/points.js';
import * as exporter from './components/export.js';
import * as importer from './components/import.js';
import * as settings from './components/settings.js';
import * as stats from './components/stats.js';
import * as stations from './components/stations.js';
import * as city from './components/city.js';
import { mountWelcome } from './components/welcome.js';

const SCREENS = [
  { id: 'desk', label: 'nav_desk', screen: desk },
  { id: 'experts', label: 'nav_experts', screen: experts },
  { id: 'points', label: 'nav_points', screen: points },
  { id: 'import', label: 'nav_import', screen: importer },
  { id: 'export', label: 'nav_export', screen: exporter },
  { id: 'settings', label: 'nav_settings', screen: settings },
  { id: 'stats', label: 'nav_stats', screen: stats },
  { id: 'stations', label: 'nav_stations', screen: stations },
  { id: 'city', label: 'nav_city', screen: city },
];

const ctx = {
  info: null,
  current: 'desk',
  cleanup: null,
  /** Re-reads app info (event, desk, points) and redraws the shell and the screen. */
  async reload() {
    this.info = await api.appInfo();
    renderShell();
    if (this.info.first_run) {
      welcome();
      return;
    }
    show(this.current);
  },
  go(id) {
    show(id);
  },
};

/** The first run: the welcome screen over the whole window, until a choice is made. */
function welcome() {
  ctx.cleanup?.();
  ctx.cleanup = null;
  document.body.classList.add('first-run');
  const root = $('#screen');
  root.dataset.screen = 'welcome';
  mountWelcome(root, async (next) => {
    document.body.classList.remove('first-run');
    ctx.current = next;
    try {
      await ctx.reload();
    } catch (err) {
      toastError(err);
    }
  });
}

function renderShell() {
  const info = ctx.info;
  $('#brand').textContent = t('brand');
  document.title = t('brand');
  // The demo day is marked on every screen (and every printed page says 示例数据), so that a
  // demo sheet is never printed by mistake.
  document.body.classList.toggle('demo', !!info?.is_demo);
  $('#demo-ribbon').hidden = !info?.is_demo;
  $('#demo-ribbon').textContent = t('demo_ribbon');
  $('#demo-ribbon').title = t('demo_ribbon_hint');
  // A clock behind this laptop's own records would stamp every check-in wrong: said at start
  // and kept under the header until the clock is right.
  $('#clock-warning').hidden = !info?.clock_warning;
  $('#clock-warning').textContent = info?.clock_warning
    ? t('clock_warning', { text: info.clock_warning })
    : '';
  const ev = info?.current_event;
  $('#event-title').title = ev ? `${ev.name} · ${ev.short_name} · ${ev.date}` : '';
  $('#event-title').replaceChildren(
    ev
      ? html`<span class="event-name">${ev.name}</span><span class="event-venue">${ev.short_name}</span><span class="event-date">${ev.date}</span>`
      : html`<span class="event-none">${t('no_event_title')}</span>`,
  );
  $('#nav').replaceChildren(
    html`${SCREENS.map(
      (s, i) =>
        raw`<button type="button" class="nav-item" data-screen="${s.id}" title="Ctrl+${i + 1}">${t(s.label)}</button>`,
    )}`,
  );
  $('#desk-status').replaceChildren(
    html`<span class="dot" aria-hidden="true"></span>${info?.desk?.name ?? ''} · <span class="sync-chip" id="sync-chip" data-state="${sync?.state ?? 'off'}" data-plaintext="${sync?.plaintext ? 'true' : 'false'}" title="${
      sync && sync.state !== 'off' ? t('sync_hint_on', { host: sync.host }) : t('sync_hint_off')
    }">${city.syncText(sync)}</span> · ${t('saved_locally')}${
      serial && serial.state !== 'off'
        ? raw` · <span class="scanner-state" id="scanner-pill" data-state="${serial.state}" title="${stateText(serial)}">${t(
            serial.state === 'connected' ? 'scanner_pill_on' : 'scanner_pill_waiting',
          )}</span>`
        : ''
    }`,
  );
  markNav();
}

function markNav() {
  for (const b of document.querySelectorAll('.nav-item')) {
    b.classList.toggle('active', b.dataset.screen === ctx.current);
    b.setAttribute('aria-current', b.dataset.screen === ctx.current ? 'page' : 'false');
  }
}

function show(id) {
  const entry = SCREENS.find((s) => s.id === id) ?? SCREENS[0];
  ctx.cleanup?.();
  ctx.cleanup = null;
  ctx.current = entry.id;
  markNav();
  const root = $('#screen');
  root.replaceChildren();
  root.dataset.screen = entry.id;
  ctx.cleanup = entry.screen.mount(root, ctx) ?? null;
}

document.addEventListener('click', (e) => {
  const b = e.target.closest('.nav-item');
  if (b) show(b.dataset.screen);
});

document.addEventListener('keydown', (e) => {
  if (document.body.classList.contains('first-run')) return;
  if (e.ctrlKey && !e.altKey && /^[1-9]$/.test(e.key)) {
    e.preventDefault();
    show(SCREENS[Number(e.key) - 1].id);
  }
});

recordKeyEvents();

// A scanner works on every screen: a scan elsewhere brings the desk forward first.
function onScan(text, origin) {
  // The desk clears its own search box after a scan; any other field gets its text back.
  if (origin?.element?.id !== 'search') restoreOrigin(origin);
  if (document.body.classList.contains('first-run')) return;
  if (ctx.current !== 'desk') show('desk');
  ctx.onScan?.(text);
}
listenForScans(onScan);
// On Linux the shell reads bursts from the raw keys before the input method does
// (src-tauri/src/keytap.rs): a badge arrives here whole, and none of its keys reach the page.
window.__TAURI__?.event?.listen('scanner-burst', (e) => onScan(String(e.payload ?? ''), null));

// A scanner in serial mode: its state in the header; unplugging and plugging back are said.
let serial = null;
let unplugged = false;
window.__TAURI__?.event?.listen('serial-status', (e) => {
  const was = serial?.state;
  serial = e.payload;
  if (was === 'connected' && serial.state === 'waiting') {
    unplugged = true;
    toast(t('scanner_unplugged'), 'warn', 8000);
  }
  if (unplugged && serial.state === 'connected') {
    unplugged = false;
    toast(t('scanner_back'), 'info', 5000);
  }
  document.dispatchEvent(new CustomEvent('tongxin:serial-status', { detail: serial }));
  if (ctx.info) renderShell();
});

// The city server's sync, said in the header as it is: 离线 (not set up) / 未联网 / 同步中 /
// 已同步 09:12 / n 条待上传.
let sync = null;
window.__TAURI__?.event?.listen('sync-status', (e) => {
  sync = e.payload;
  const chip = $('#sync-chip');
  if (chip) {
    chip.dataset.state = sync.state;
    chip.dataset.plaintext = sync.plaintext ? 'true' : 'false';
    chip.textContent = city.syncText(sync);
    chip.title = sync.state !== 'off' ? t('sync_hint_on', { host: sync.host }) : t('sync_hint_off');
  }
  document.dispatchEvent(new CustomEvent('tongxin:sync-status', { detail: sync }));
});
window.__TAURI__?.event?.listen('sync-pulled', (e) =>
  document.dispatchEvent(new CustomEvent('tongxin:sync-pulled', { detail: e.payload })),
);

async function boot() {
  try {
    serial = await api.serialStatus();
    sync = (await api.cityPicture()).status;
    await ctx.reload();
  } catch (err) {
    renderShell();
    toastError(err);
  }
  document.body.classList.add('ready');
  // Two frames later the first screen is on the glass (the cold-start measurement reads this).
  requestAnimationFrame(() => requestAnimationFrame(() => api.firstScreenDrawn().catch(() => {})));
  // A key made at this start (or an earlier version's plain database just encrypted): its
  // recovery key is shown once, now; backups left in the clear are pointed out.
  api
    .securityStatus()
    .then((s) => {
      if (s.plain_backups.length)
        toast(t('sec_plain_toast', { n: s.plain_backups.length }), 'warn', 10000);
      if (s.show_recovery) showRecoveryKey(ctx, true);
    })
    .catch(() => {});
}

boot();
