// The desk's live counts: 实到 / 应到 overall and per group, walk-ins, latest check-ins, roll call.

import { api } from '../../api.js';
import { html, raw, $ } from '../../lib/html.js';
import { t } from '../../lib/i18n.js';
import { toastError } from '../toast.js';
import { renderRoster } from '../rollcall.js';

/**
 * The side panel (and a point's roll call below the search): `refreshCounts()` reads the counts
 * and draws them; `showCounts(a, ticket)` draws counts a check-in brought back with it, `ticket()`
 * taken when that check-in was asked for. Counts asked for earlier than those drawn are dropped.
 */
export function deskCounts({ root, st, info }) {
  let asked = 0;
  let shown = 0;
  const ticket = () => ++asked;
  // One redraw at a time: asked again while one is on its way, the counts are read once more
  // when it ends (every caller's promise settles after counts that include its change).
  let running = null;
  let again = false;
  function refreshCounts() {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await draw();
        } while (again);
      } finally {
        running = null;
      }
    })();
    return running;
  }

  async function draw() {
    try {
      const n = ticket();
      const a = await api.attendance(st.checkpoint);
      await showCounts(a, n);
    } catch (err) {
      toastError(err);
    }
  }

  async function showCounts(a, n) {
    // Older than what is on screen (a read that was overtaken by a check-in's own counts).
    if (n < shown) return;
    // Counts of the checkpoint the desk has since left.
    const cp = a.checkpoint?.kind === 'point' ? a.checkpoint.point_id : 'main';
    if (cp !== st.checkpoint) return;
    shown = n;
    // The coordinator may have left the desk screen while this was on its way.
    if (!root.isConnected || !$('#present-count', root)) return;
    st.groups = a.groups;
    $('#present-count', root).textContent = a.present;
    $('#expected-count', root).textContent = a.expected;
    $('#present-pct', root).textContent = a.expected
      ? `${Math.round((a.present * 100) / a.expected)}%`
      : '';
    const groups =
      st.checkpoint === 'main' ? a.groups : a.groups.filter((g) => g.point_id === st.checkpoint);
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
      .sort((x, y) => ((x.sortKey ?? x.at) < (y.sortKey ?? y.at) ? 1 : -1))
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
              ${
                r.revoked
                  ? raw`<span></span>`
                  : raw`<button type="button" class="link" data-act="undo" data-id="${r.checkin_id}"
                  data-name="${r.name}" data-time="${r.local_time}" title="${t('undo')}">${t('undo')}</button>`
              }
            </li>`,
        )}`,
      );
    }
    if (st.checkpoint !== 'main') await renderRoster($('#roster', root), info, st.checkpoint, a);
    else $('#roster', root).replaceChildren();
  }

  return { refreshCounts, showCounts, ticket };
}
