// 设置 → 数据安全: the database, its WAL and every backup are encrypted; the key is kept in the
// system's credential store. The recovery key — shown once after the key is made (or an earlier
// version's plain database encrypted), and here on request — opens this database and any of its
// backups on another laptop; it prints on a page of its own. Backups an earlier version left in
// the clear are listed, to be encrypted or deleted on the coordinator's word.

import { api } from '../api.js';
import { html, raw, $ } from '../lib/html.js';
import { t, errorText } from '../lib/i18n.js';
import { modal } from './modal.js';
import { toast, toastError } from './toast.js';

/** The recovery key's page, printed alone (see print.css: body.printing-key). */
function printKey(key, dbPath) {
  const sheet = $('#print-only');
  sheet.replaceChildren(html`<div class="key-sheet">
    <h1>${t('key_sheet_title')}</h1>
    <p class="key-sheet-key">${key}</p>
    <p>${t('key_sheet_db', { path: dbPath })}</p>
    <p>${t('key_sheet_date', { date: new Date().toLocaleString('zh-CN') })}</p>
    <p>${t('key_sheet_keep')}</p>
    <p class="key-sheet-en">This recovery key opens this Tongxin database and every backup of it on any computer. Keep it apart from the laptop, locked away; never photograph or upload it.</p>
  </div>`);
  document.body.classList.add('printing-key');
  const done = () => {
    document.body.classList.remove('printing-key');
    sheet.replaceChildren();
    window.removeEventListener('afterprint', done);
  };
  window.addEventListener('afterprint', done);
  window.print();
}

/** The recovery key in a dialog: large, in groups, with a print button. `first`: just made. */
export async function showRecoveryKey(ctx, first = false) {
  try {
    const key = await api.recoveryKey();
    const body = html`<div class="recovery">
      <p>${first ? t('key_first_intro') : t('key_intro')}</p>
      <p class="recovery-key mono" id="recovery-key">${key}</p>
      <p class="hint">${t('key_keep')}</p>
      <p><button type="button" class="btn" id="print-key">${t('key_print')} <kbd>Ctrl+P</kbd></button></p>
    </div>`;
    const print = () => printKey(key, ctx.info?.db_path ?? '');
    body.querySelector('#print-key').addEventListener('click', print);
    const onKey = (e) => {
      if (e.ctrlKey && e.key.toLowerCase() === 'p') {
        e.preventDefault();
        print();
      }
    };
    document.addEventListener('keydown', onKey, true);
    await modal({ title: t('key_title'), body, okLabel: t('key_noted'), wide: true });
    document.removeEventListener('keydown', onKey, true);
    if (first) await api.recoveryKeyNoted();
  } catch (err) {
    toastError(err);
  }
}

/** Fills `card`; returns a cleanup function. */
export function mountSecurityCard(card, ctx) {
  async function load() {
    try {
      const s = await api.securityStatus();
      card.replaceChildren(html`
        <div class="row"><span>${t('sec_state')}</span>
          <span class="pill ${s.encrypted ? 'ok' : 'danger'}" id="sec-state">${s.encrypted ? t('sec_encrypted') : t('sec_plain')}</span></div>
        <div class="row"><span>${t('sec_key_in')}</span><span>${t(`sec_key_${s.key_in}`)}</span></div>
        <div class="row"><span>${t('sec_recovery')}</span>
          <button type="button" class="btn" id="show-key">${t('key_show')}</button></div>
        ${
          s.plain_backups.length
            ? raw`<div class="plain-backups" id="plain-backups" role="alert">
              <p><b>${t('sec_plain_backups', { n: s.plain_backups.length })}</b></p>
              <ul>${s.plain_backups.slice(0, 5).map((b) => raw`<li class="mono">${b.name}</li>`)}</ul>
              <p class="hint">${t('sec_plain_hint')}</p>
              <div class="row"><button type="button" class="btn btn-primary" id="encrypt-backups">${t('sec_encrypt')}</button>
                <button type="button" class="btn btn-danger" id="delete-backups">${t('sec_delete')}</button></div>
            </div>`
            : ''
        }
        <p class="hint">${t('sec_hint')}</p>`);
    } catch (err) {
      card.replaceChildren(html`<p class="error-text">${errorText(err)}</p>`);
    }
  }

  const onClick = async (e) => {
    const id = e.target.closest('button')?.id;
    if (id === 'show-key') showRecoveryKey(ctx);
    else if (id === 'encrypt-backups' || id === 'delete-backups') {
      const del = id === 'delete-backups';
      const ok = await modal({
        title: del ? t('sec_delete') : t('sec_encrypt'),
        body: html`<p>${del ? t('sec_delete_confirm') : t('sec_encrypt_confirm')}</p>`,
        danger: del,
      });
      if (!ok) return;
      try {
        const n = del ? await api.deletePlainBackups() : await api.encryptPlainBackups();
        toast(t(del ? 'sec_deleted' : 'sec_encrypted_n', { n }), 'info', 6000);
        load();
      } catch (err) {
        toastError(err);
      }
    }
  };
  card.addEventListener('click', onClick);
  load();
  return () => card.removeEventListener('click', onClick);
}
