// The desk's search: the hit list under the box, the search as typed, and its timings.

import { api } from '../../api.js';
import { html, raw, $ } from '../../lib/html.js';
import { t } from '../../lib/i18n.js';
import { toastError } from '../toast.js';

// Keystroke-to-render timings of the last searches (ms): from the input event to the new
// results laid out in the page; read by the window benchmark (tests/benches/window.rs).
window.__tongxinSearchTimings ||= [];
const timings = window.__tongxinSearchTimings;

/** The hit list: `renderHits(query)` draws `st.hits`, `runSearch(ev)` asks Rust for them. */
export function deskSearch({ root, st, input, results }) {
  function statusCell(hit) {
    if (hit.checkin) {
      return raw`<span class="state in">✓ ${hit.checkin.local_time} ${hit.checkin.desk_name}</span>`;
    }
    if (hit.assignment.signup_status === 'waiting')
      return raw`<span class="state wait">${t('waiting')}</span>`;
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
        window.__tongxinSearchBreakdown ||= [];
        window.__tongxinSearchBreakdown.push({
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

  return { renderHits, runSearch };
}
