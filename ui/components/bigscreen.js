// 大屏: the page of the second window, on the venue's projector. It draws from one snapshot
// (bigscreen_snapshot) and is told by the app what changed: `screen-change` (a check-in with the
// arrival to welcome, an undo, a walk-in, a move, a merge) and `screen-resync` (a write it did
// not see: the CLI, another tool). It never polls. Morning: a welcome card for each arrival —
// queued when they come faster than a card is shown — the wall of names, 实到 / 应到 overall and
// per group. Afternoon: the departure board. It reads; it never writes.

import { api } from '../api.js';
import { html, raw, $ } from '../lib/html.js';
import { t, getLang } from '../lib/i18n.js';
import { groupDigits } from '../lib/numbers.js';

/** How long a welcome stays, and how long when others are waiting behind it. */
const SHOW_MS = 3500;
const HURRY_MS = 1400;
/** At most this many arrivals the window was not told of are welcomed at once. */
const LIVE = 5;

const st = {
  snap: null,
  /** The city picture, when the board is 城市总览. */
  city: null,
  queue: [],
  current: null,
  timer: null,
  welcomed: new Set(),
  mergedAt: 0,
  shownCount: 0,
};
const stage = $('#stage');
// When each welcome card reached the screen (epoch ms, at the next frame), by check-in: read by
// the big-screen benchmark beside the desk's own record of its confirmation.
window.__tongxinWelcomeDrawn ||= {};
const drawnAt = window.__tongxinWelcomeDrawn;

const n = (x) => groupDigits(x);

function clock() {
  const d = new Date();
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

function dateText(iso) {
  if (!iso) return '';
  const [y, m, d] = iso.split('-').map(Number);
  return getLang() === 'en' ? iso : `${y}年${m}月${d}日`;
}

function header(s, title) {
  return raw`<header class="bs-head">
    <div><h1 class="bs-title">${s.event_name}</h1>
      <div class="bs-sub">${s.venue} · ${dateText(s.date)} · ${title}</div></div>
    <div class="bs-clock" id="bs-clock">${clock()}</div>
  </header>`;
}

function welcomeCard() {
  const a = st.current;
  const s = st.snap;
  if (!a) {
    return raw`<section class="bs-welcome idle" id="bs-welcome" data-state="idle">
      <div class="bs-hello">${t('bs_hello')}</div>
      <div class="bs-idle-title">${t('bs_idle')}</div>
      <div class="bs-idle-hint">${t('bs_idle_hint')}</div></section>`;
  }
  if (a.counts) {
    return raw`<section class="bs-welcome" id="bs-welcome" data-state="card" data-seq="${st.shownCount}">
      <div class="bs-hello">${t('bs_hello')}</div>
      <div class="bs-name bs-count-welcome">${t('bs_nth', { n: a.nth })}</div></section>`;
  }
  const spaced = [...a.name].length === 2 ? [...a.name].join('\u3000') : a.name;
  return raw`<section class="bs-welcome" id="bs-welcome" data-state="card" data-seq="${st.shownCount}"
      data-checkin="${a.checkin_id}">
    <div class="bs-hello">${t('bs_hello')}</div>
    <div class="bs-name" id="bs-name" data-name="${a.name}">${spaced}${a.title ? raw`<span class="bs-honour">${a.title}</span>` : ''}</div>
    ${a.organisation ? raw`<div class="bs-org">${a.organisation}</div>` : ''}
    ${a.group ? raw`<div class="bs-group">${a.group}</div>` : ''}
    <div class="bs-next">${s && st.queue.length ? t('bs_waiting', { n: st.queue.length }) : ''}</div>
  </section>`;
}

// The morning board is a frame drawn once, with parts filled in place: the welcome card is
// replaced only when the person changes (its entrance plays once), the counts, groups and wall
// when the numbers do. Nothing else on the screen moves: no flicker.
function morningFrame(s) {
  return html`${header(s, t('bs_welcome_title'))}
    <main class="bs-main">
      <div class="bs-left"><div class="bs-card-slot" id="bs-card-slot"></div><div class="bs-wall-slot" id="bs-wall-slot"></div></div>
      <aside class="bs-right">
        <section class="bs-card bs-total" id="bs-total"></section>
        <section class="bs-card bs-groups" id="bs-groups"></section>
      </aside>
    </main>`;
}

function fill(id, content) {
  const el = $(`#${id}`);
  if (!el) return;
  const next = document.createElement('div');
  next.append(html`${content}`);
  // Only when something changed: the same content is left alone.
  if (el.dataset.src !== next.innerHTML) {
    el.dataset.src = next.innerHTML;
    el.replaceChildren(...next.childNodes);
  }
}

/** The groups: rows drawn once, their bars and figures moved in place (the bars glide). */
function fillGroups(s) {
  const box = $('#bs-groups');
  if (!box) return;
  const ids = s.groups.map((g) => g.point_id).join('|');
  if (box.dataset.ids !== ids) {
    box.dataset.ids = ids;
    box.replaceChildren(
      html`${s.groups.map(
        (g) => raw`<div class="bs-group-row" data-point="${g.point_id}">
          <span class="bs-group-name">${g.theme || g.point}</span>
          <span class="bs-bar"><i></i></span><span class="bs-group-n"></span></div>`,
      )}`,
    );
  }
  s.groups.forEach((g, i) => {
    const row = box.children[i];
    const pct = g.expected ? Math.min(100, (100 * g.present) / g.expected) : 0;
    // Widths through the CSSOM: the strict CSP allows no inline style attribute.
    row.querySelector('.bs-bar i').style.width = `${pct.toFixed(1)}%`;
    row.querySelector('.bs-group-n').replaceChildren(html`<b>${g.present}</b>/${g.expected}`);
  });
}

function morningParts(s) {
  const names = s.privacy !== 'counts';
  const slot = $('#bs-card-slot');
  const seq = st.current ? String(st.shownCount) : 'idle';
  if (slot && slot.dataset.seq !== seq) {
    slot.dataset.seq = seq;
    slot.replaceChildren(html`${welcomeCard()}`);
    const id = st.current?.checkin_id;
    if (id)
      requestAnimationFrame(() => {
        drawnAt[id] = performance.timeOrigin + performance.now();
      });
  }
  // The same person on the card: only the line about who is waiting changes.
  const waiting = slot?.querySelector('.bs-next');
  if (waiting) waiting.textContent = st.queue.length ? t('bs_waiting', { n: st.queue.length }) : '';
  fill(
    'bs-wall-slot',
    names
      ? raw`<section class="bs-wall"><div class="bs-label">${t('bs_arrived', { n: n(s.present) })}</div>
        <div class="bs-wall-names" id="bs-wall">${s.wall.map(
          (w, i) =>
            raw`<span class="bs-wall-name ${i === 0 ? 'newest' : ''}" data-checkin="${w.checkin_id}">${w.name}</span>`,
        )}</div></section>`
      : '',
  );
  fill(
    'bs-total',
    raw`<div class="bs-label">${t('bs_present_expected')}</div>
      <div class="bs-figure"><b id="bs-present">${n(s.present)}</b><span>/ <span id="bs-expected">${n(s.expected)}</span></span></div>
      ${s.walk_ins ? raw`<div class="bs-walkins">${t('bs_walkins', { n: s.walk_ins })}</div>` : ''}`,
  );
  fillGroups(s);
}

function departures(s) {
  const names = s.privacy !== 'counts';
  return html`${header(s, t('bs_departures_title'))}
    <main class="bs-board">
      <table class="bs-table" id="bs-departures">
        <thead><tr><th>${t('bs_depart')}</th><th>${t('bs_group')}</th><th>${t('bs_bus')}</th>
          <th class="num">${t('bs_on_board')}</th><th>${names ? t('bs_missing') : ''}</th></tr></thead>
        <tbody>${s.departures.map((d) => {
          const done = d.expected > 0 && d.missing_count === 0;
          const shown = d.missing.slice(0, 10);
          return raw`<tr data-point="${d.point_id}" class="${done ? 'done' : ''}">
            <td class="bs-time">${d.depart_time || '—'}</td>
            <td><div class="bs-theme">${d.theme}</div><div class="bs-point">${d.point}</div></td>
            <td class="bs-busno">${d.bus}</td>
            <td class="num"><b data-on-board="${d.on_board}">${d.on_board}</b> / ${d.expected}</td>
            <td class="bs-missing">${
              done
                ? raw`<span class="bs-all">${t('bs_all_aboard')}</span>`
                : names
                  ? raw`${shown.map((m) => raw`<span class="bs-miss">${m}</span>`)}${
                      d.missing.length > shown.length
                        ? raw`<span class="bs-more">${t('bs_more', { n: d.missing.length - shown.length })}</span>`
                        : ''
                    }`
                  : raw`<span class="bs-more">${t('bs_missing_n', { n: d.missing_count })}</span>`
            }</td></tr>`;
        })}</tbody>
      </table>
    </main>`;
}

/** The city's venues (城市总览 on the projector): counts only, from the central server. */
function cityBoard(s) {
  const venues = st.city?.venues ?? [];
  const sum = (k) => venues.reduce((a, v) => a + Number(v[k] ?? 0), 0);
  if (!venues.length) {
    return html`${header(s, t('bs_city_title'))}<main class="bs-city empty" id="bs-city"><p>${t('bs_city_none')}</p></main>`;
  }
  const rows = [...venues].sort((a, b) => (a.district || '').localeCompare(b.district || '', 'zh'));
  return html`${header(s, t('bs_city_title'))}
    <main class="bs-city" id="bs-city">
      <div class="bs-city-total"><span class="bs-big" id="bs-city-arrived">${n(sum('arrived'))}</span>
        <span class="bs-of">/ ${n(sum('expected'))}</span><span class="bs-label">${t('city_arrived')} / ${t('city_expected')} · ${t('city_walkins')} ${n(sum('walkins'))}</span></div>
      <ol class="bs-city-rows">${rows.map((v) => {
        const pct = v.expected > 0 ? Math.min(100, Math.round((v.arrived * 100) / v.expected)) : 0;
        return raw`<li data-event="${v.event_id}" class="${(v.quiet_seconds ?? 9999) > 900 ? 'quiet' : ''}">
          <span class="bs-city-name">${v.district ? `${v.district} · ` : ''}${v.short_name || v.name}</span>
          <span class="bs-city-bar"><span class="bs-city-fill" data-pct="${pct}"></span></span>
          <span class="bs-city-count"><b>${n(v.arrived)}</b> / ${n(v.expected)}</span></li>`;
      })}</ol>
    </main>`;
}

function draw() {
  const s = st.snap;
  if (!s) return;
  const frame = `${s.board}|${s.privacy}|${s.event_name}`;
  document.body.dataset.board = s.board;
  document.body.dataset.privacy = s.privacy;
  if (s.board === 'city') {
    stage.dataset.frame = frame;
    stage.replaceChildren(cityBoard(s));
    for (const el of stage.querySelectorAll('.bs-city-fill')) el.style.width = `${el.dataset.pct}%`;
    return;
  }
  if (s.board === 'departures') {
    stage.dataset.frame = frame;
    stage.replaceChildren(departures(s));
    return;
  }
  if (stage.dataset.frame !== frame) {
    stage.dataset.frame = frame;
    stage.replaceChildren(morningFrame(s));
  }
  morningParts(s);
}

/** Shows the next welcome in the queue (or the idle card). */
function next() {
  clearTimeout(st.timer);
  st.current = st.queue.shift() ?? null;
  if (st.current) st.shownCount += 1;
  draw();
  if (st.current) st.timer = setTimeout(next, st.queue.length ? HURRY_MS : SHOW_MS);
}

function welcome(a) {
  if (!a || st.welcomed.has(a.checkin_id)) return;
  st.welcomed.add(a.checkin_id);
  st.queue.push(a);
  if (!st.current) next();
  else if (st.queue.length === 1) {
    // Someone is waiting: the card on screen hurries.
    clearTimeout(st.timer);
    st.timer = setTimeout(next, HURRY_MS);
    draw();
  }
}

async function load({ welcomeNew = false } = {}) {
  const before = st.snap;
  const s = await api.bigscreenSnapshot();
  st.snap = s;
  if (s.board === 'city' && !st.city) st.city = (await api.cityPicture()).picture;
  if (welcomeNew && before) {
    // Arrivals this window was not told of (the CLI, another desk's package): welcomed too,
    // oldest first.
    // A handful are people walking in; a merged package's morning from another door (many at
    // once, or just after a merge) only joins the wall and the counts.
    const seen = new Set(before.wall.map((w) => w.checkin_id));
    const fresh = s.wall.filter((w) => !seen.has(w.checkin_id)).reverse();
    const live = fresh.length <= LIVE && Date.now() > st.mergedAt + 3000;
    if (live && s.privacy === 'counts') {
      const added = Math.min(s.present - before.present, LIVE);
      for (let i = 0; i < added; i += 1)
        welcomeCounts(before.present + i + 1, `resync-${s.present}-${i}`);
    }
    if (live) for (const w of fresh) welcome(w);
  }
  // An arrival undone leaves the card too.
  if (
    st.current &&
    !st.current.counts &&
    !s.wall.some((w) => w.checkin_id === st.current.checkin_id)
  )
    next();
  st.queue = st.queue.filter((q) => q.counts || s.wall.some((w) => w.checkin_id === q.checkin_id));
  draw();
}

function welcomeCounts(nth, id) {
  welcome({ checkin_id: id, counts: true, nth });
}

const listen = window.__TAURI__?.event?.listen;
listen?.('screen-change', async ({ payload: c }) => {
  if (c.kind === 'merge') st.mergedAt = Date.now();
  if (c.welcome && c.arrival) welcome(c.arrival);
  else if (c.welcome) welcomeCounts((st.snap?.present ?? 0) + 1, c.checkin_id);
  await load().catch(() => {});
});
listen?.('screen-resync', () => load({ welcomeNew: true }).catch(() => {}));
listen?.('city-picture', ({ payload }) => {
  st.city = payload;
  if (st.snap?.board === 'city') draw();
});
setInterval(() => {
  const c = $('#bs-clock');
  if (c) c.textContent = clock();
}, 10_000);

document.documentElement.lang = getLang() === 'en' ? 'en' : 'zh-CN';
document.title = t('bs_window_title');
load().catch((err) => {
  stage.replaceChildren(
    html`<div class="bs-error"><h1>${t('bs_error')}</h1><p>${err.message}</p></div>`,
  );
});
