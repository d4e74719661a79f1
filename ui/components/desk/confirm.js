// The desk's confirmation slot (checked in, already in, not saved) and undo with a reason.

import { api } from '../../api.js';
import { html, raw, $ } from '../../lib/html.js';
import { t, errorText } from '../../lib/i18n.js';
import { modal } from '../modal.js';
import { toast, toastError } from '../toast.js';

// A check-in that could not be saved says so where the eye is, not only in a corner: the
// person is not checked in, and the screen keeps the last good state.
const STORAGE = new Set(['disk_full', 'disk_io', 'read_only', 'busy', 'db_error']);

/** What a check-in says, and undoing one; after an undo, `refreshCounts` and `runSearch` redraw. */
window.__tongxinConfirmDrawn ||= {};
const confirmed = window.__tongxinConfirmDrawn;

export function deskConfirm({ root, st, input }, { refreshCounts, runSearch }) {
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
                : t(st.checkpoint === 'main' ? 'checked_in_ok' : 'boarded_ok', {
                    name: r.expert.name,
                  })
            }</div>
            <div class="confirm-sub">${whereText(r.assignment)}</div>
          </div>
          <button type="button" class="btn btn-ghost" data-act="undo-last">${t('undo')} <kbd>Ctrl+Z</kbd></button>
        </div>`);
      // When the confirmation reached the screen (epoch ms, at the next frame): the big-screen
      // benchmark measures from here to the welcome drawn on the projector.
      const id = r.checkin.id;
      requestAnimationFrame(() => {
        confirmed[id] = performance.timeOrigin + performance.now();
      });
    }
  }

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

  return { showConfirmation, failed, undo, undoLast };
}
