// 设置 → 市级同步: the city office's server (postgres://…) and its password, which the page
// never gets back once saved; the state of the sync as the shell reports it.

import { api } from '../api.js';
import { html, raw, $ } from '../lib/html.js';
import { t, errorText } from '../lib/i18n.js';
import { toast, toastError } from './toast.js';
import { syncText } from './city.js';

/** Fills `card`; returns a cleanup function. */
export function mountCityCard(card) {
  let view = null;

  function render() {
    const s = view.status;
    card.replaceChildren(html`
      <p class="hint">${t('city_settings_hint')}</p>
      <label class="row"><span>${t('city_url')}</span>
        <input id="city-url" class="wide-input mono" spellcheck="false" autocomplete="off"
          placeholder="postgres://jinshan1@10.0.0.5:5432/tongxin" value="${view.url}"></label>
      <label class="row"><span>${t('city_password')}</span>
        <input id="city-password" type="password" class="inline-input" autocomplete="new-password"
          placeholder="${view.has_password ? t('city_password_saved') : ''}"></label>
      <div class="row"><span>${t('city_state')}</span>
        <span class="sync-state" id="city-state" data-state="${s.state}">${syncText(s)}</span>
        ${s.error ? raw`<small class="error-text" id="city-error">${errorText({ code: s.error_code, message: s.error })}</small>` : ''}</div>
      <div class="row actions">
        <button type="button" class="btn btn-primary" id="city-save">${t('city_save')}</button>
        ${
          view.url
            ? raw`<button type="button" class="btn" id="city-now">${t('city_sync_now')}</button>
        <button type="button" class="btn btn-quiet" id="city-off">${t('city_turn_off')}</button>`
            : ''
        }
      </div>`);
  }

  async function load() {
    try {
      view = await api.citySettings();
      render();
    } catch (err) {
      toastError(err);
    }
  }

  async function save(url, password) {
    try {
      view = await api.citySet(url, password || null);
      render();
      toast(url ? t('city_saved') : t('city_off_saved'));
    } catch (err) {
      toastError(err);
    }
  }

  const onClick = (e) => {
    if (e.target.closest('#city-save')) {
      save($('#city-url', card).value.trim(), $('#city-password', card).value);
    } else if (e.target.closest('#city-off')) {
      save('', null);
    } else if (e.target.closest('#city-now')) {
      api.citySyncNow().catch(toastError);
    }
  };
  const onKey = (e) => {
    if (e.key === 'Enter' && e.target.closest('#city-url, #city-password')) {
      e.preventDefault();
      save($('#city-url', card).value.trim(), $('#city-password', card).value);
    }
  };
  const onStatus = (e) => {
    if (!view) return;
    view.status = e.detail;
    const el = $('#city-state', card);
    if (el) {
      el.dataset.state = view.status.state;
      el.textContent = syncText(view.status);
    }
    const err = $('#city-error', card);
    if (err && !view.status.error) err.remove();
  };
  card.addEventListener('click', onClick);
  card.addEventListener('keydown', onKey);
  document.addEventListener('tongxin:sync-status', onStatus);
  load();
  return () => document.removeEventListener('tongxin:sync-status', onStatus);
}
