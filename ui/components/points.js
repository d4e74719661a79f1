// The current event's service points with their sign-ups and arrivals.

import { api } from '../api.js';
import { html, raw, $ } from '../lib/html.js';
import { t } from '../lib/i18n.js';
import { toastError } from './toast.js';

export function mount(root, ctx) {
  const info = ctx.info;
  root.append(html`
    <section class="page">
      <div class="page-head"><h1 class="page-title">${t('points_title')}</h1>
        <span class="muted">${info?.current_event?.name ?? ''} ${info?.current_event?.short_name ?? ''}</span></div>
      <div class="point-grid" id="point-grid"></div>
    </section>`);
  const grid = $('#point-grid', root);
  const points = info?.points ?? [];
  if (points.length === 0) {
    grid.replaceChildren(html`<div class="empty-state large">${t('points_empty')}</div>`);
    return;
  }
  api
    .attendance('main')
    .then((a) => {
      grid.replaceChildren(
        html`${points.map((p) => {
          const g = a.groups.find((x) => x.point_id === p.id) ?? { expected: 0, present: 0, waiting: 0 };
          const theme = info.themes.find((th) => th.id === p.theme_id)?.name ?? '';
          return raw`
            <article class="card point">
              <div class="point-theme">${theme}</div>
              <h2 class="point-name">${p.name}</h2>
              <div class="point-addr">${p.address}</div>
              <dl class="point-facts">
                <div><dt>${t('signed_up')}</dt><dd>${g.expected}<small> / ${t('capacity')} ${p.capacity}</small></dd></div>
                <div><dt>${t('present')}</dt><dd>${g.present}</dd></div>
                <div><dt>${t('waiting')}</dt><dd>${g.waiting}</dd></div>
                <div><dt>${t('departure')}</dt><dd>${p.depart_time} ${p.bus}</dd></div>
              </dl>
              <div class="point-contact">${t('contact')}：${p.contact} ${p.contact_phone}</div>
            </article>`;
        })}`,
      );
    })
    .catch(toastError);
}
