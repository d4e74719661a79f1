// The check-in desk: one search box, Enter checks in the top hit, live counts beside.
// Keyboard-first: the search box has the focus after every action; a USB scanner works
// wherever the focus is, also under a Chinese input method.

import { api } from '../api.js';
import { html, raw, $ } from '../lib/html.js';
import { t, errorText } from '../lib/i18n.js';
import { modal, modalOpen } from './modal.js';
import { toast, toastError } from './toast.js';
import { walkInDialog } from './walkin.js';
import { notArrivedDialog, offBusDialog, auditDialog } from './lists.js';
import { renderRoster, moveDialog } from './rollcall.js';
import { looksLikeCode } from '../lib/scanner.js';

// Keystroke-to-render timings of the last searches (ms): from the input event to the new
// results laid out in the page; read by the window benchmark (tests/benches/window.rs).
const timings = (window.__tongxinSearchTimings = window.__tongxinSearchTimings || []);

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
  if (st.checkpoint !== 'main' && !points.some((p) => p.id === st.checkpoint)) st.checkpoint = 'main';

  root.append(html`
    <section class="desk">
      <div class="desk-main">
        <div class="checkpoints" role="tablist" aria-label="checkpoint">
          <button type="button" class="chip" role="tab" data-cp="main">${t('main_venue')}</button>
          ${points.map(
            (p) => raw`<button type="button" class="chip" role="tab" data-cp="${p.id}">${themeName(p)} · ${p.short_name || p.name}</button>`,
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

  function markCheckpoint() {
    for (const c of root.querySelectorAll('.chip')) {
      const on = c.dataset.cp === st.checkpoint;
      c.classList.toggle('active', on);
      c.setAttribute('aria-selected', String(on));
    }
  }

  function statusCell(hit) {
    if (hit.checkin) {
      return raw`<span class="state in">✓ ${hit.checkin.local_time} ${hit.checkin.desk_name}</span>`;
    }
    if (hit.assignment.signup_status === 'waiting') return raw`<span class="state wait">${t('waiting')}</span>`;
    return raw`<span class="state">${t('not_checked_in')}</span>`;
  }

  function groupTag(a) {
    if (!a.point_name) return raw`<span class="tag muted">${t('no_group')}</span>`;
    return raw`<span class="tag">${a.theme_name ?? ''} · ${a.point_short_name || a.point_name}</span>`;
  }

  function renderHits(query) {
    // With nothing typed, a confirmation on screen says enough: the hint box steps aside.
    results.hidden = !query.trim() && $('#confirm', root).childElementCount > 0;
    if (!query.trim()) {
      results.replaceChildren(html`
        <div class="empty-state">
          <p class="empty-title">${t('empty_title')}</p><p>${t('empty_body')}</p>
        </div>`);
      return;
    }
    if (st.hits.length === 0) {
      results.replaceChildren(html`
        <div class="empty-state">
          <p class="empty-title">${t('no_hits', { q: query.trim() })}</p><p>${t('no_hits_body')}</p>
          <p><button type="button" class="btn small" data-act="walkin">${t('walkin_title')} <kbd>F2</kbd></button></p>
        </div>`);
      return;
    }
    results.replaceChildren(
      html`${st.hits.map(
        (h, i) => raw`
          <div class="hit ${i === st.selected ? 'selected' : ''} ${h.checkin ? 'is-in' : ''}" role="option"
               aria-selected="${i === st.selected}" data-index="${i}" data-expert="${h.expert_id}">
            <span class="hit-key">${i === st.selected ? '↵' : i + 1}</span>
            <span class="hit-name">${h.name}</span>
            <span class="hit-org">${h.organisation}${h.title ? raw` · ${h.title}` : ''}${
              h.match_kind === 'phone' ? raw` · <span class="phone">${h.phone_masked}</span>` : ''
            }</span>
            ${groupTag(h.assignment)}
            ${statusCell(h)}
          </div>`,
      )}`,
    );
  }

  async function runSearch(ev) {
    const q = input.value;
    const seq = ++st.seq;
    const started = ev?.timeStamp ?? performance.now();
    if (!q.trim()) {
      st.hits = [];
      renderHits(q);
      return;
    }
    try {
      const handled = performance.now();
      const hits = await api.search(q, st.checkpoint);
      if (seq !== st.seq) return; // a newer keystroke already asked
      const answered = performance.now();
      st.hits = hits;
      st.selected = 0;
      renderHits(q);
      void results.offsetHeight; // style and layout of the new results, done now
      const rendered = performance.now();
      timings.push(rendered - started);
      requestAnimationFrame(() => {
        const frame = performance.now();
        (window.__tongxinSearchBreakdown ||= []).push({
          queued: handled - started,
          command: answered - handled,
          dom: rendered - answered,
          frame: frame - rendered,
        });
        if (timings.length > 5000) timings.shift();
      });
    } catch (err) {
      toastError(err);
    }
  }

  function whereText(a) {
    return a.point_name
      ? raw`${t('group_of', { theme: a.theme_name ?? '' })} · ${a.point_name} · ${t('depart', { time: a.depart_time, bus: a.bus })}`
      : raw`${a.signup_status === 'waiting' ? t('waiting') : t('no_group')}`;
  }

  function showConfirmation(r, walkIn = false) {
    const slot = $('#confirm', root);
    if (r.outcome === 'duplicate') {
      slot.replaceChildren(html`
        <div class="confirm dup" data-outcome="duplicate">
          <div class="confirm-text">
            <div class="confirm-title">⚠ ${t('duplicate_title', { name: r.expert.name })}</div>
            <div class="confirm-sub strong">${t('duplicate_body', { time: r.checkin.local_time, desk: r.checkin.desk_name })}</div>
            <div class="confirm-sub">${whereText(r.assignment)}</div>
          </div>
        </div>`);
    } else {
      slot.replaceChildren(html`
        <div class="confirm ok" data-outcome="recorded">
          <div class="confirm-text">
            <div class="confirm-title">✓ ${
              walkIn
                ? t('walkin_done', { name: r.expert.name })
                : t(st.checkpoint === 'main' ? 'checked_in_ok' : 'boarded_ok', { name: r.expert.name })
            }</div>
            <div class="confirm-sub">${whereText(r.assignment)}</div>
          </div>
          <button type="button" class="btn btn-ghost" data-act="undo-last">${t('undo')} <kbd>Ctrl+Z</kbd></button>
        </div>`);
    }
  }

  // A check-in that could not be saved says so where the eye is, not only in a corner: the
  // person is not checked in, and the screen keeps the last good state.
  const STORAGE = new Set(['disk_full', 'disk_io', 'read_only', 'busy', 'db_error']);
  function failed(err) {
    if (STORAGE.has(err.code)) {
      $('#confirm', root).replaceChildren(html`
        <div class="confirm fail" role="alert" data-outcome="failed" data-code="${err.code}">
          <div class="confirm-text">
            <div class="confirm-title">✕ ${t('not_saved_title')}</div>
            <div class="confirm-sub strong">${errorText(err)}</div>
          </div>
        </div>`);
    }
    toastError(err);
  }

  async function refreshCounts() {
    try {
      const a = await api.attendance(st.checkpoint);
      // The coordinator may have left the desk screen while this was on its way.
      if (!root.isConnected || !$('#present-count', root)) return;
      st.groups = a.groups;
      $('#present-count', root).textContent = a.present;
      $('#expected-count', root).textContent = a.expected;
      $('#present-pct', root).textContent = a.expected ? `${Math.round((a.present * 100) / a.expected)}%` : '';
      const groups = st.checkpoint === 'main' ? a.groups : a.groups.filter((g) => g.point_id === st.checkpoint);
      $('#groups', root).replaceChildren(
        html`${groups.map((g) => {
          const pct = g.expected ? Math.min(100, (g.present * 100) / g.expected) : 0;
          return raw`<li data-point="${g.point_id}">
              <span class="g-name">${g.theme_name ?? g.point_short_name}</span>
              <span class="bar"><span data-pct="${pct.toFixed(1)}"></span></span>
              <span class="g-num">${g.present}/${g.expected}</span>
            </li>`;
        })}`,
      );
      // The CSP forbids inline style attributes; widths are set through the CSSOM.
      for (const b of root.querySelectorAll('.bar > span')) b.style.width = `${b.dataset.pct}%`;
      $('#extra', root).replaceChildren(
        html`<span>${t('walk_ins')} <b id="walkin-count">${a.walk_ins}</b></span>
             ${a.unexpected > a.walk_ins ? raw`<span>${t('unexpected')} <b>${a.unexpected - a.walk_ins}</b></span>` : ''}`,
      );
      const items = [
        ...st.flags.map((f) => ({ ...f, flag: true })),
        ...a.recent.map((r) => ({ ...r, flag: false })),
      ]
        .sort((x, y) => (x.sortKey ?? x.at) < (y.sortKey ?? y.at) ? 1 : -1)
        .slice(0, 8);
      const recent = $('#recent', root);
      if (items.length === 0) {
        recent.replaceChildren(html`<li class="recent-empty">${t('recent_empty')}</li>`);
      } else {
        recent.replaceChildren(
          html`${items.map((r) =>
            r.flag
              ? raw`<li class="flagged"><span class="r-name">${r.name}</span>
                  <span class="r-meta">⚠ ${t('duplicate_flag')}</span>
                  <span class="r-time">${r.local_time} ${r.desk_name}</span><span></span></li>`
              : raw`<li class="${r.revoked ? 'revoked' : ''}" data-checkin="${r.checkin_id}">
                <span class="r-name">${r.name}</span>
                <span class="r-meta">${r.revoked ? t('revoked') : t(`method_${r.method}`)}</span>
                <span class="r-time">${r.local_time} ${r.desk_name}</span>
                ${r.revoked ? raw`<span></span>` : raw`<button type="button" class="link" data-act="undo" data-id="${r.checkin_id}"
                    data-name="${r.name}" data-time="${r.local_time}" title="${t('undo')}">${t('undo')}</button>`}
              </li>`,
          )}`,
        );
      }
      if (st.checkpoint !== 'main') await renderRoster($('#roster', root), info, st.checkpoint, a);
      else $('#roster', root).replaceChildren();
    } catch (err) {
      toastError(err);
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

  async function checkInExpert(expertId, method) {
    if (st.busy) return false;
    st.busy = true;
    try {
      const r = await api.checkIn(expertId, st.checkpoint, method);
      after(r);
      await refreshCounts();
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
      const r = await api.checkInCode(text, st.checkpoint);
      after(r);
      await refreshCounts();
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

  async function undo(checkinId, name, time) {
    const body = html`
      <p>${t('undo_body', { name, time })}</p>
      <label class="field"><span>${t('undo_reason')}</span>
        <input id="undo-reason" type="text" value="${t('reason_mistake')}" maxlength="200"></label>
      <div class="quick">
        ${[t('reason_mistake'), t('reason_double'), t('reason_left')].map((x) => raw`<button type="button" class="chip small" data-reason="${x}">${x}</button>`)}
      </div>`;
    body.querySelector('.quick').addEventListener('click', (e) => {
      const r = e.target.closest('[data-reason]');
      if (r) document.getElementById('undo-reason').value = r.dataset.reason;
    });
    const reason = await modal({
      title: t('undo_title'),
      body,
      danger: true,
      collect: () => document.getElementById('undo-reason').value,
    });
    if (reason === null) {
      input.focus();
      return;
    }
    try {
      await api.undoCheckIn(checkinId, reason);
      toast(t('undone', { name }), 'info');
      if (st.last?.checkin.id === checkinId) st.last = null;
      $('#confirm', root).replaceChildren();
      await refreshCounts();
      await runSearch();
    } catch (err) {
      toastError(err);
    }
    input.focus();
  }

  function undoLast() {
    if (!st.last) {
      toast(t('nothing_to_undo'), 'info');
      return;
    }
    undo(st.last.checkin.id, st.last.expert.name, st.last.checkin.local_time);
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
    } else if (e.key === 'F6') {
      e.preventDefault();
      offBusDialog(info).then(() => input.focus());
    } else if (document.activeElement !== input && e.key.length === 1 && !e.ctrlKey && !e.altKey && !e.metaKey) {
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
      case 'offbus':
        offBusDialog(info).then(() => input.focus());
        break;
      case 'move':
        if (await moveDialog(info, act.dataset.id, act.dataset.name, st.groups)) await refreshCounts();
        input.focus();
        break;
      default:
    }
  });

  markCheckpoint();
  renderHits('');
  refreshCounts();
  input.focus();

  return () => {
    document.removeEventListener('keydown', onDocKey);
    ctx.onScan = null;
    document.removeEventListener('keydown', onAnyKey, true);
  };
}
