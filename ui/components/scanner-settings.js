// 设置 → 扫码枪: keyboard mode works as it is (also with a Chinese input method on); serial mode
// reads a scanner switched to a USB virtual serial port, bypassing the keyboard altogether.

import { api } from '../api.js';
import { html, raw } from '../lib/html.js';
import { t } from '../lib/i18n.js';
import { toastError } from './toast.js';

export function stateText(s) {
  if (!s || s.state === 'off') return t('scanner_keyboard');
  if (s.state === 'connected') return t('scanner_connected', { port: s.port });
  return t('scanner_waiting', { port: s.port });
}

/** Fills `card` and keeps it current; returns a cleanup function. */
export function mountScannerCard(card) {
  let status = null;
  let ports = [];

  function render() {
    const chosen = status?.port ?? '';
    const options = [...new Set([...ports, ...(chosen ? [chosen] : [])])];
    card.replaceChildren(html`
      <p class="hint">${t('scanner_hint')}</p>
      <ol class="steps"><li>${t('scanner_step1')}</li><li>${t('scanner_step2')}</li></ol>
      <label class="row"><span>${t('scanner_port')}</span>
        <select id="serial-port">
          <option value="">${t('scanner_keyboard_only')}</option>
          ${options.map((p) => raw`<option value="${p}" ${p === chosen ? raw`selected` : ''}>${p}</option>`)}
        </select>
        <button type="button" class="btn btn-small" id="serial-refresh">${t('scanner_refresh')}</button></label>
      <div class="row"><span>${t('scanner_state')}</span>
        <span class="scanner-state" id="serial-state" data-state="${status?.state ?? 'off'}">${stateText(status)}</span>
        ${status?.state === 'waiting' && status.detail ? raw`<small class="muted">${status.detail}</small>` : ''}</div>`);
    if (!ports.length) {
      card.append(html`<p class="muted">${t('scanner_no_ports')}</p>`);
    }
  }

  async function load() {
    try {
      [ports, status] = await Promise.all([api.serialPorts(), api.serialStatus()]);
    } catch (err) {
      toastError(err);
    }
    render();
  }

  card.addEventListener('change', async (e) => {
    if (e.target.id !== 'serial-port') return;
    try {
      status = await api.serialUse(e.target.value || null);
    } catch (err) {
      toastError(err);
    }
    render();
  });
  card.addEventListener('click', (e) => {
    if (e.target.id === 'serial-refresh') load();
  });
  const onStatus = (e) => {
    status = e.detail;
    render();
  };
  document.addEventListener('tongxin:serial-status', onStatus);
  load();
  return () => document.removeEventListener('tongxin:serial-status', onStatus);
}
