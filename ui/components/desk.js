// The check-in desk: one search box, Enter checks in the top hit, live counts beside.
// Keyboard-first: the search box has the focus after every action; a USB scanner works
// wherever the focus is, also under a Chinese input method. This file lays the desk out, keeps
// its state, checks in and takes the keys; desk/ holds its parts: the search (search.js), the
// counts beside it (counts.js), and what a check-in says and its undo (confirm.js).

import { api } from '../api.js';
import { html, raw, $ } from '../lib/html.js';
import { t } from '../lib/i18n.js';
import { modalOpen } from './modal.js';
import { toast, toastError } from './toast.js';
import { chosenDisplay } from './screen-settings.js';
import { walkInDialog } from './walkin.js';
import { notArrivedDialog, offBusDialog, auditDialog } from './lists.js';
import { moveDialog } from './rollcall.js';
import { looksLikeCode } from '../lib/scanner.js';
import { deskSearch } from './desk/search.js';
import { deskCounts } from './desk/counts.js';
import { deskConfirm } from './desk/confirm.js';

// When each check-in was asked for (epoch ms), by check-in: the big-screen benchmark measures
// from here to the desk's confirmation and to the welcome on the projector.
window.__tongxinCheckinStarted ||= {};
const started = window.__tongxinCheckinStarted;
// When the check-in command's answer reached the page (the rest of the time is drawing).
window.__tongxinCheckinAnswered ||= {};
const answered = window.__tongxinCheckinAnswered;
// When the counts (实到, the groups) showing each check-in were drawn: the arrival-loop
// benchmark measures from the Enter key to here.
window.__tongxinCountsDrawn ||= {};
const counted = window.__tongxinCountsDrawn;
const markCounted = (id) =>
  requestAnimationFrame(() => {
    counted[id] = performance.timeOrigin + performance.now();
  });

export function mount(root, ctx) {
  const info = ctx.info;
  if (!info?.current_event) {
    root.append(html`
      <section class="page"><div class="empty-state large">
        <div class="empty-icon" aria-hidden="true">◎</div>
        <p class="empty-title">${t('no_event_title')}</p><p>${t('no_event_body')}</p>
      </div></section>`);
    return null;
  }
  const points = info.points ?? [];
  const themeName = (p) => info.themes.find((th) => th.id === p.theme_id)?.name ?? p.name;
  const st = {
    checkpoint: sessionStorage.getItem('tongxin.checkpoint') || 'main',
    hits: [],
    selected: 0,
    seq: 0,
    last: null, // the last check-in recorded here this session: {checkin, expert}
    flags: [], // duplicates seen this session, shown in the recent list
    groups: [],
    busy: false,
  };
  if (st.checkpoint !== 'main' && !points.some((p) => p.id === st.checkpoint))
    st.checkpoint = 'main';

  root.append(html`
    <section class="desk">
      <div class="desk-main">
        <div class="checkpoints" role="tablist" aria-label="checkpoint">
          <button type="button" class="chip" role="tab" data-cp="main">${t('main_venue')}</button>
          ${points.map(
            (p) =>
              raw`<button type="button" class="chip" role="tab" data-cp="${p.id}">${themeName(p)} · ${p.short_name || p.name}</button>`,
          )}
        </div>
        <label class="searchbox">
          <input id="search" type="search" autocomplete="off" spellcheck="false"
                 placeholder="${t('search_placeholder')}" aria-label="${t('search_placeholder')}">
          <span class="search-hints">${t('search_hints')}</span>
        </label>
        <div id="results" class="results" role="listbox" aria-label="results"></div>
        <div id="confirm" class="confirm-slot" aria-live="assertive"></div>
        <div class="keys">
          <span><kbd>Enter</kbd>${t('key_enter')}</span>
          <span><kbd>↑</kbd><kbd>↓</kbd>${t('key_arrows')}</span>
          <span><kbd>Alt</kbd>+<kbd>1…8</kbd>${t('key_alt')}</span>
          <span><kbd>Esc</kbd>${t('key_esc')}</span>
          <span><kbd>Ctrl</kbd>+<kbd>Z</kbd>${t('key_undo')}</span>
          <span><kbd>F2</kbd>${t('key_walkin')}</span>
          <span><kbd>F4</kbd>${t('key_audit')}</span>
          <span><kbd>F5</kbd>${t('key_missing')}</span>
          <button type="button" class="keybtn" data-act="bigscreen" id="bigscreen-toggle"><kbd>F11</kbd>${t('key_bigscreen')}</button>
        </div>
        <div id="roster"></div>
      </div>
      <aside class="desk-side">
        <div class="card counts">
          <div class="card-title">${t('present_expected')}</div>
          <div class="big">
            <span id="present-count" class="present">–</span>
            <span class="of">/ <span id="expected-count">–</span></span>
            <span id="present-pct" class="pct"></span>
          </div>
          <ul id="groups" class="groups"></ul>
          <div class="extra" id="extra"></div>
        </div>
        <div class="card">
          <div class="card-title">${t('recent')}</div>
          <ul id="recent" class="recent"></ul>
        </div>
      </aside>
    </section>`);

  const input = $('#search', root);
  const results = $('#results', root);

  const desk = { root, st, input, results, info };
  const { renderHits, runSearch } = deskSearch(desk);
  const { refreshCounts, showCounts, ticket } = deskCounts(desk);
  const { showConfirmation, failed, undo, undoLast } = deskConfirm(desk, {
    refreshCounts,
    runSearch,
  });

  function markCheckpoint() {
    for (const c of root.querySelectorAll('.chip')) {
      const on = c.dataset.cp === st.checkpoint;
      c.classList.toggle('active', on);
      c.setAttribute('aria-selected', String(on));
    }
  }

  function after(r, walkIn = false) {
    if (r.outcome === 'recorded') st.last = { checkin: r.checkin, expert: r.expert };
    else {
      st.flags.unshift({
        name: r.expert.name,
        local_time: r.checkin.local_time,
        desk_name: r.checkin.desk_name,
        sortKey: new Date().toISOString(),
      });
      st.flags = st.flags.slice(0, 5);
    }
    input.value = '';
    showConfirmation(r, walkIn);
    st.hits = [];
    renderHits('');
  }

  // The check-in brings its counts back with it: the side panel is drawn with the
  // confirmation. Without them (they could not be read), they are asked for again.
  function counts(r, n) {
    const drawn = r.attendance ? showCounts(r.attendance, n) : refreshCounts();
    drawn.then(() => markCounted(r.checkin.id)).catch(() => refreshCounts());
  }

  async function checkInExpert(expertId, method) {
    if (st.busy) return false;
    st.busy = true;
    try {
      const t0 = performance.timeOrigin + performance.now();
      const n = ticket();
      const r = await api.checkIn(expertId, st.checkpoint, method);
      started[r.checkin.id] = t0;
      answered[r.checkin.id] = performance.timeOrigin + performance.now();
      after(r);
      counts(r, n);
      return true;
    } catch (err) {
      failed(err);
      return false;
    } finally {
      st.busy = false;
      if (!modalOpen()) input.focus();
    }
  }

  function checkIn(index) {
    const hit = st.hits[index];
    if (hit) checkInExpert(hit.expert_id, 'search');
  }

  // Badges scanned in quick succession are queued, never dropped: the next one is checked
  // in as soon as the previous one is on disk.
  let scans = Promise.resolve();
  let lastKeyAt = 0;
  const onAnyKey = () => {
    lastKeyAt = performance.now();
  };
  document.addEventListener('keydown', onAnyKey, true);
  function scanned(text) {
    // Whatever the burst typed into the box goes, now and if an IME commits it late — but not
    // the start of the next badge, typed since (it would lose its "TX" and miss).
    input.value = '';
    const at = performance.now();
    setTimeout(() => {
      if (lastKeyAt > at) return;
      const left = input.value.trim().toLowerCase();
      if (left && text.toLowerCase().includes(left)) input.value = '';
    }, 120);
    scans = scans.then(() => scanOne(text));
    return scans;
  }

  async function scanOne(text) {
    // A check-in by search (Enter) may be on its way: wait for it rather than race it.
    while (st.busy) await new Promise((r) => setTimeout(r, 20));
    st.busy = true;
    try {
      const t0 = performance.timeOrigin + performance.now();
      const n = ticket();
      const r = await api.checkInCode(text, st.checkpoint);
      started[r.checkin.id] = t0;
      answered[r.checkin.id] = performance.timeOrigin + performance.now();
      after(r);
      counts(r, n);
    } catch (err) {
      // The scan is not a search: its text does not stay behind as "no one matches".
      input.value = '';
      st.hits = [];
      renderHits('');
      failed(err);
    } finally {
      st.busy = false;
      input.focus();
    }
  }

  async function walkIn() {
    const typed = input.value.trim();
    const prefill = /[\u3400-\u9fff]/.test(typed) ? typed : '';
    const r = await walkInDialog(info, st.checkpoint, prefill);
    if (r) {
      after(r, true);
      await refreshCounts();
    }
    input.focus();
  }

  input.addEventListener('input', runSearch);
  input.addEventListener('keydown', (e) => {
    if (e.isComposing) return;
    if (e.key === 'Enter') {
      e.preventDefault();
      // A code in the box (a scan the timing did not catch, or typed by hand) checks in
      // that person directly, without waiting for the search to answer.
      if (looksLikeCode(input.value.trim())) scanned(input.value.trim());
      else checkIn(st.selected);
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (st.hits.length) {
        const d = e.key === 'ArrowDown' ? 1 : -1;
        st.selected = (st.selected + d + st.hits.length) % st.hits.length;
        renderHits(input.value);
      }
    } else if (e.key === 'Escape') {
      e.preventDefault();
      input.value = '';
      st.hits = [];
      renderHits('');
    }
  });

  // The big screen on the projector (a second window): the desk keeps the keyboard.
  async function toggleScreen() {
    try {
      const display = chosenDisplay();
      const open = await api.bigscreenToggle(display === '' ? null : Number(display));
      toast(t(open ? 'bs_opened' : 'bs_closed'));
    } catch (err) {
      toastError(err);
    }
    input.focus();
  }

  const onDocKey = (e) => {
    if (modalOpen()) return;
    if (e.altKey && /^[1-8]$/.test(e.key)) {
      e.preventDefault();
      checkIn(Number(e.key) - 1);
    } else if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'z') {
      e.preventDefault();
      undoLast();
    } else if (e.key === 'F2') {
      e.preventDefault();
      walkIn();
    } else if (e.key === 'F4') {
      e.preventDefault();
      auditDialog().then(() => input.focus());
    } else if (e.key === 'F5') {
      e.preventDefault();
      notArrivedDialog(info, (id) => checkInExpert(id, 'manual')).then(() => input.focus());
    } else if (e.key === 'F11') {
      e.preventDefault();
      toggleScreen();
    } else if (e.key === 'F6') {
      e.preventDefault();
      offBusDialog(info).then(() => input.focus());
    } else if (
      document.activeElement !== input &&
      e.key.length === 1 &&
      !e.ctrlKey &&
      !e.altKey &&
      !e.metaKey
    ) {
      // Typing anywhere on the desk goes to the search box.
      input.focus();
    }
  };
  document.addEventListener('keydown', onDocKey);
  ctx.onScan = scanned;

  root.addEventListener('click', async (e) => {
    const chip = e.target.closest('.chip[data-cp]');
    if (chip) {
      st.checkpoint = chip.dataset.cp;
      sessionStorage.setItem('tongxin.checkpoint', st.checkpoint);
      api.bigscreenFollow(st.checkpoint).catch(() => {});
      $('#confirm', root).replaceChildren();
      markCheckpoint();
      refreshCounts();
      runSearch();
      input.focus();
      return;
    }
    const hit = e.target.closest('.hit');
    if (hit) {
      checkIn(Number(hit.dataset.index));
      return;
    }
    const act = e.target.closest('[data-act]');
    switch (act?.dataset.act) {
      case 'undo-last':
        undoLast();
        break;
      case 'undo':
        undo(act.dataset.id, act.dataset.name, act.dataset.time);
        break;
      case 'walkin':
        walkIn();
        break;
      case 'bigscreen':
        toggleScreen();
        break;
      case 'offbus':
        offBusDialog(info).then(() => input.focus());
        break;
      case 'move':
        if (await moveDialog(info, act.dataset.id, act.dataset.name, st.groups))
          await refreshCounts();
        input.focus();
        break;
      default:
    }
  });

  markCheckpoint();
  api.bigscreenFollow(st.checkpoint).catch(() => {});
  renderHits('');
  refreshCounts();
  input.focus();
  // Another desk's check-ins arrived from the city server: the counts move with them.
  const onPulled = () => refreshCounts();
  document.addEventListener('tongxin:sync-pulled', onPulled);

  return () => {
    document.removeEventListener('tongxin:sync-pulled', onPulled);
    document.removeEventListener('keydown', onDocKey);
    ctx.onScan = null;
    document.removeEventListener('keydown', onAnyKey, true);
  };
}
