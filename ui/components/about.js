// 设置 → 关于: version, where the data and the backups are (each opens in the file manager),
// and the licences of the app and of the fonts it ships.

import { api } from '../api.js';
import { html, raw, $ } from '../lib/html.js';
import { t } from '../lib/i18n.js';
import { modal } from './modal.js';
import { toastError } from './toast.js';

const USED_FOR = {
  app: 'about_app_licence',
  noto: 'about_used_noto',
  dejavu: 'about_used_dejavu',
};

export async function mountAbout(card) {
  let a;
  try {
    a = await api.about();
  } catch (err) {
    toastError(err);
    return;
  }
  card.replaceChildren(html`
    <div class="row"><span>${t('about_version')}</span><strong class="mono" id="about-version">${a.version}</strong>
      <small class="muted">${t('about_offline')}</small></div>
    <div class="row"><span>${t('about_data')}</span><code class="path" id="about-data">${a.data_dir}</code>
      <button type="button" class="btn btn-small" data-open="data">${t('about_open')}</button></div>
    <div class="row"><span>${t('about_backups')}</span><code class="path" id="about-backups">${a.backups_dir}</code>
      <button type="button" class="btn btn-small" data-open="backups">${t('about_open')}</button></div>
    <p class="hint">${t('about_backups_hint')}</p>
    <table class="table compact licences" id="about-licences">
      <thead><tr><th>${t('about_licences')}</th><th></th><th></th><th></th></tr></thead>
      <tbody>${a.licences.map(
        (
          l,
        ) => raw`<tr><td class="strong">${l.name}</td><td>${t(USED_FOR[l.id] ?? 'about_app_licence')}</td><td>${l.licence}</td>
          <td><button type="button" class="btn btn-small" data-licence="${l.id}">${t('about_show_licence')}</button></td></tr>`,
      )}</tbody>
    </table>`);
  for (const b of card.querySelectorAll('[data-open]')) {
    b.addEventListener('click', () => api.openDataFolder(b.dataset.open).catch(toastError));
  }
  for (const b of card.querySelectorAll('[data-licence]')) {
    b.addEventListener('click', () => {
      const l = a.licences.find((x) => x.id === b.dataset.licence);
      modal({
        title: `${l.name} · ${l.licence}`,
        body: html`<pre class="licence-text">${l.text}</pre>`,
        wide: true,
        noOk: true,
      });
    });
  }
}

export function aboutCard() {
  return raw`<h2 class="section-title">${t('about_title')}</h2><div class="card form about" id="about"></div>`;
}

export function fillAbout(root) {
  const card = $('#about', root);
  if (card) mountAbout(card);
}
