// A small modal dialog that owns the keyboard while open: Enter confirms, Esc cancels.
// Resolves with the value of `collect()` on confirm, or null on cancel.

import { html } from '../lib/html.js';
import { t } from '../lib/i18n.js';

export function modal({ title, body, collect = () => true, danger = false }) {
  return new Promise((resolve) => {
    const root = document.getElementById('modal-root');
    const frag = html`
      <div class="modal-backdrop">
        <div class="modal" role="dialog" aria-modal="true" aria-labelledby="modal-title">
          <h2 id="modal-title">${title}</h2>
          <div class="modal-body"></div>
          <div class="modal-actions">
            <button type="button" class="btn" data-act="cancel">${t('cancel')} <kbd>Esc</kbd></button>
            <button type="button" class="btn ${danger ? 'btn-danger' : 'btn-primary'}" data-act="ok">${t('confirm')} <kbd>Enter</kbd></button>
          </div>
        </div>
      </div>`;
    const backdrop = frag.firstElementChild;
    backdrop.querySelector('.modal-body').append(body);
    const previous = document.activeElement;
    const done = (value) => {
      document.removeEventListener('keydown', onKey, true);
      backdrop.remove();
      previous?.focus?.();
      resolve(value);
    };
    const onKey = (e) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        done(null);
      } else if (e.key === 'Enter' && !e.isComposing) {
        e.preventDefault();
        e.stopPropagation();
        done(collect());
      }
    };
    document.addEventListener('keydown', onKey, true);
    backdrop.addEventListener('click', (e) => {
      const act = e.target.closest('[data-act]')?.dataset.act;
      if (act === 'cancel' || e.target === backdrop) done(null);
      if (act === 'ok') done(collect());
    });
    root.append(backdrop);
    (backdrop.querySelector('input, textarea') || backdrop.querySelector('[data-act=ok]')).focus();
  });
}
