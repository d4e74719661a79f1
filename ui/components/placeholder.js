// The export screen until its feature lands: say plainly what is coming.

import { html } from '../lib/html.js';
import { t } from '../lib/i18n.js';

function screen(titleKey, bodyKey, icon) {
  return {
    mount(root) {
      root.append(html`
        <section class="page">
          <h1 class="page-title">${t(titleKey)}</h1>
          <div class="empty-state large">
            <div class="empty-icon" aria-hidden="true">${icon}</div>
            <p class="empty-title">${t('coming')}</p>
            <p>${t(bodyKey)}</p>
          </div>
        </section>`);
    },
  };
}

export const exportScreen = screen('export_title', 'export_body', '⎙');
