// A small modal dialog that owns the keyboard while open: Enter confirms, Esc cancels.
// Resolves with the value of `collect()` on confirm, or null on cancel. With `onConfirm`,
// the dialog stays open until that (async) function returns true — for forms whose errors
// are shown in place.

import { html, raw } from '../lib/html.js';
import { t } from '../lib/i18n.js';

export function modal({
  title,
  body,
  collect = () => true,
  onConfirm = null,
  danger = false,
  wide = false,
  okLabel = null,
  noOk = false,
}) {
  return new Promise((resolve) => {
    const root = document.getElementById('modal-root');
    const frag = html`
      <div class="modal-backdrop">
        <div class="modal ${wide ? 'wide' : ''}" role="dialog" aria-modal="true" aria-labelledby="modal-title">
          <h2 id="modal-title">${title}</h2>
          <div class="modal-body"></div>
          <div class="modal-error" role="alert" hidden></div>
          <div class="modal-actions">
            <button type="button" class="btn" data-act="cancel">${noOk ? t('close') : t('cancel')} <kbd>Esc</kbd></button>
            ${noOk ? '' : raw`<button type="button" class="btn ${danger ? 'btn-danger' : 'btn-primary'}" data-act="ok">${okLabel ?? t('confirm')} <kbd>Enter</kbd></button>`}
          </div>
        </div>
      </div>`;
    const backdrop = frag.firstElementChild;
    backdrop.querySelector('.modal-body').append(body);
    const errorBox = backdrop.querySelector('.modal-error');
    const previous = document.activeElement;
    let busy = false;
    const done = (value) => {
      document.removeEventListener('keydown', onKey, true);
      backdrop.remove();
      previous?.focus?.();
      resolve(value);
    };
    const confirm = async () => {
      if (noOk || busy) return;
      const value = collect();
      if (!onConfirm) return done(value);
      busy = true;
      try {
        const ok = await onConfirm(value, (msg) => {
          errorBox.textContent = msg;
          errorBox.hidden = !msg;
        });
        if (ok) done(value);
      } finally {
        busy = false;
      }
    };
    const onKey = (e) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        done(null);
      } else if (
        e.key === 'Enter' &&
        !e.isComposing &&
        e.target.dataset?.act !== 'cancel' &&
        !e.target.closest?.('[data-enter-local]')
      ) {
        // Enter confirms, as the button says — unless Cancel was chosen with Tab, or a field
        // inside the dialog has its own Enter (adding a line to a list).
        e.preventDefault();
        e.stopPropagation();
        confirm();
      }
    };
    document.addEventListener('keydown', onKey, true);
    backdrop.addEventListener('click', (e) => {
      const act = e.target.closest('[data-act]')?.dataset.act;
      if (act === 'cancel' || e.target === backdrop) done(null);
      if (act === 'ok') confirm();
    });
    root.append(backdrop);
    (
      backdrop.querySelector('[autofocus], input, select, textarea') ||
      backdrop.querySelector('[data-act=ok]') ||
      backdrop.querySelector('[data-act=cancel]')
    ).focus();
  });
}

/** True while a dialog is open (desk shortcuts stand aside). */
export function modalOpen() {
  return !!document.querySelector('.modal-backdrop');
}
