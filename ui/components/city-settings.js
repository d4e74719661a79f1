// 设置 → 市级同步: the city office's server (postgres://…) and its password, which the page
// never gets back once saved; the red switch for a server off this machine without TLS; the
// state of the sync as the shell reports it, the server's id, and what the last round could not
// carry (rows the server refused, rows set aside here, events it does not sync for this login).

import { api } from '../api.js';
import { html, raw, $ } from '../lib/html.js';
import { t, errorText } from '../lib/i18n.js';
import { toast, toastError } from './toast.js';
import { syncText } from './city.js';

/** Fills `card`; returns a cleanup function. */
export function mountCityCard(card) {
  let view = null;

  /** What the last round could not carry, each with what to do; empty when all went. */
  function notes(s) {
    const items = [];
    if (s.new_server) items.push(raw`<li>${t('city_new_server')}</li>`);
    for (const why of s.refused || []) {
      items.push(raw`<li class="error-text">${t('city_refused', { why })}</li>`);
    }
    if (s.parked_total > 0) {
      items.push(raw`<li>${t('city_parked', { n: s.parked_total })}
        <ul>${(s.parked || []).map((p) => raw`<li>${t(`city_kind_${p.kind}`)} <span class="mono">${p.id}</span>：${p.reason}</li>`)}</ul></li>`);
    }
    for (const [, name] of s.not_synced || []) {
      items.push(raw`<li>${t('city_not_synced', { name })}</li>`);
    }
    return items.length
      ? raw`<div class="row"><span>${t('city_notes')}</span><ul class="sync-notes">${items}</ul></div>`
      : '';
  }

  /** The server's id and the notes, redrawn on every status without touching the inputs. */
  function facts(s) {
    const id = s.server_id || view.server_id;
    return raw`${
      id
        ? raw`<div class="row"><span>${t('city_server_id')}</span>
        <span class="mono" id="city-server-id">${id}</span></div>`
        : ''
    }${notes(s)}`;
  }

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
      <label class="row plaintext-switch" data-on="${view.plaintext ? 'true' : 'false'}">
        <span>${t('city_plaintext')}</span>
        <input type="checkbox" id="city-plaintext" ${view.plaintext ? 'checked' : ''}>
        <small>${t('city_plaintext_hint')}</small></label>
      <div class="row"><span>${t('city_state')}</span>
        <span class="sync-state" id="city-state" data-state="${s.state}" data-plaintext="${s.plaintext ? 'true' : 'false'}">${syncText(s)}</span>
        ${s.error ? raw`<small class="error-text" id="city-error">${errorText({ code: s.error_code, message: s.error })}</small>` : ''}</div>
      <div id="city-facts">${facts(s)}</div>
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
      const plaintext = $('#city-plaintext', card)?.checked ?? null;
      view = await api.citySet(url, password || null, plaintext);
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
      el.dataset.plaintext = view.status.plaintext ? 'true' : 'false';
      el.textContent = syncText(view.status);
    }
    const err = $('#city-error', card);
    if (err && !view.status.error) err.remove();
    $('#city-facts', card)?.replaceChildren(html`${facts(view.status)}`);
  };
  card.addEventListener('click', onClick);
  card.addEventListener('keydown', onKey);
  document.addEventListener('tongxin:sync-status', onStatus);
  load();
  return () => document.removeEventListener('tongxin:sync-status', onStatus);
}
