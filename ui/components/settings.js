// Language, current event, this desk, and the database: restore the demo or start empty
// (both back the database up first).

import { api } from '../api.js';
import { html, raw, $ } from '../lib/html.js';
import { t, getLang, setLang, errorText } from '../lib/i18n.js';
import { modal } from './modal.js';
import { toast, toastError } from './toast.js';
import { mountScannerCard } from './scanner-settings.js';
import { mountScreenCard } from './screen-settings.js';
import { mountCityCard } from './city-settings.js';
import { mountSecurityCard } from './security.js';
import { aboutCard, fillAbout } from './about.js';

export function mount(root, ctx) {
  const info = ctx.info ?? {};
  const events = info.events ?? [];
  root.append(html`
    <section class="page settings">
      <h1 class="page-title">${t('settings_title')}</h1>
      <div class="card form">
        <label class="row"><span>${t('language')}</span>
          <select id="lang">
            <option value="zh" ${getLang() === 'zh' ? raw`selected` : ''}>简体中文</option>
            <option value="en" ${getLang() === 'en' ? raw`selected` : ''}>English</option>
          </select></label>
        <label class="row"><span>${t('current_event')}</span>
          <select id="event">
            ${events.map((e) => raw`<option value="${e.id}" ${e.id === info.current_event?.id ? raw`selected` : ''}>${e.date} ${e.name} ${e.short_name}</option>`)}
          </select>
          <button type="button" class="btn btn-small" id="new-event">${t('new_event')}</button></label>
        <div class="row"><span>${t('this_desk')}</span>
          <input id="desk-name" class="inline-input" maxlength="20" value="${info.desk?.name ?? ''}" aria-label="${t('this_desk')}">
          <button type="button" class="btn btn-small" id="save-desk">${t('save')}</button>
          <small class="muted mono" title="${t('desk_id_hint')}">${info.desk?.id ?? ''}</small></div>
        <div class="row"><span>${t('database')}</span><code class="path">${info.db_path ?? ''}</code>
          <small class="muted">${t('experts_n', { n: info.experts ?? 0 })}</small></div>
        <div class="row"><span>${t('version')}</span><span>${info.version ?? ''}</span></div>
      </div>
      <h2 class="section-title">${t('scanner_title')}</h2>
      <div class="card form scanner-card" id="scanner-card"></div>
      <h2 class="section-title">${t('bs_settings_title')}</h2>
      <div class="card form screen-card" id="screen-card"></div>
      <h2 class="section-title">${t('city_settings_title')}</h2>
      <div class="card form city-card" id="city-card"></div>
      <h2 class="section-title">${t('exchange_title')}</h2>
      <div class="card form exchange">
        <p class="hint">${t('exchange_hint')}</p>
        <div class="row actions">
          <button type="button" class="btn btn-primary" id="pack">${t('pack_checkins')} <kbd>Ctrl+E</kbd></button>
          <button type="button" class="btn" id="merge">${t('merge_package')} <kbd>Ctrl+M</kbd></button>
          <button type="button" class="btn" id="pack-sub">${t('pack_subvenue')}</button>
          <button type="button" class="btn btn-small btn-quiet" id="pack-unsealed">${t('pack_unsealed')}</button>
        </div>
        <div id="exchange-result"></div>
        <div id="flags"></div>
      </div>
      <h2 class="section-title">${t('sec_title')}</h2>
      <div class="card form security-card" id="security-card"></div>
      <h2 class="section-title">${t('backups_title')}</h2>
      <div class="card form backups" id="backups"></div>
      <h2 class="section-title">${t('data')}</h2>
      <div class="card form">
        <div class="row actions">
          <button type="button" class="btn" id="reset-demo">${t('reset_demo')}</button>
          <button type="button" class="btn btn-danger-outline" id="start-empty">${t('start_empty')}</button>
        </div>
      </div>
      ${aboutCard()}
    </section>`);
  fillAbout(root);

  $('#lang', root).addEventListener('change', (e) => {
    setLang(e.target.value);
    ctx.reload();
  });
  $('#event', root).addEventListener('change', async (e) => {
    try {
      await api.setCurrentEvent(e.target.value);
      await ctx.reload();
    } catch (err) {
      toastError(err);
    }
  });

  async function guarded(textKey, action) {
    const ok = await modal({ title: t('data'), body: html`<p>${t(textKey)}</p>`, danger: true });
    if (!ok) return;
    try {
      const r = await action();
      toast(t('backup_made', { path: r.backup }), 'info', 6000);
      sessionStorage.removeItem('tongxin.checkpoint');
      await ctx.reload();
    } catch (err) {
      toastError(err);
    }
  }
  $('#reset-demo', root).addEventListener('click', () => guarded('reset_confirm', api.resetToDemo));
  $('#start-empty', root).addEventListener('click', () => guarded('empty_confirm', api.startEmpty));

  async function newEvent() {
    const options = raw`${events.map((e) => raw`<option value="${e.id}">${e.date} ${e.name} ${e.short_name}</option>`)}`;
    const body = html`<div class="form-grid">
      <label class="field span2"><span>${t('event_name')} <em>${t('f_required')}</em></span><input id="ev-name" maxlength="100" placeholder="2025年上海党外知识分子专家服务日" autofocus></label>
      <label class="field"><span>${t('event_short')}</span><input id="ev-short" maxlength="30" placeholder="枫泾分会场"></label>
      <label class="field"><span>${t('event_date')} <em>${t('f_required')}</em></span><input id="ev-date" type="date"></label>
      <label class="field span2"><span>${t('event_place')}</span><input id="ev-place" maxlength="100"></label>
      <label class="field"><span>${t('event_parent')}</span><select id="ev-parent"><option value="">${t('event_parent_none')}</option>${options}</select></label>
      <label class="field"><span>${t('event_copy_points')}</span><select id="ev-copy"><option value="">${t('event_copy_none')}</option>${options}</select></label>
    </div>`;
    const v = (k) => document.getElementById(k)?.value ?? '';
    const created = await modal({
      title: t('new_event'),
      body,
      wide: true,
      okLabel: t('create'),
      collect: () => ({
        form: {
          name: v('ev-name'),
          short_name: v('ev-short'),
          date: v('ev-date'),
          place: v('ev-place'),
          parent_id: v('ev-parent') || null,
        },
        copy: v('ev-copy') || null,
      }),
      onConfirm: async (value, showError) => {
        try {
          const r = await api.eventCreate(value.form, value.copy);
          await api.setCurrentEvent(r.event.id);
          toast(t('event_created', { name: r.event.name, n: r.copied_points }), 'info', 6000);
          return true;
        } catch (err) {
          showError(errorText(err));
          return false;
        }
      },
    });
    if (created) await ctx.reload();
  }
  $('#new-event', root).addEventListener('click', newEvent);

  const PACKAGES = [{ name: t('package_filter'), extensions: ['txpack'] }];
  let names = {};

  async function saveDesk() {
    try {
      const d = await api.renameDesk($('#desk-name', root).value);
      toast(t('desk_renamed', { name: d.name }));
      await ctx.reload();
    } catch (err) {
      toastError(err);
    }
  }

  function renderFlags(flags) {
    const table = (list) =>
      raw`<table class="table compact flags"><thead><tr><th>${t('col_name')}</th><th>${t('checkpoint')}</th><th>${t('flag_records')}</th></tr></thead>
        <tbody>${list.map((f) => raw`<tr><td class="strong">${f.name}</td><td>${f.checkpoint}</td><td>${f.records}</td></tr>`)}</tbody></table>`;
    const doubles = flags.filter((f) => f.kind !== 'clock');
    const clocks = flags.filter((f) => f.kind === 'clock');
    $('#flags', root).replaceChildren(
      flags.length
        ? html`${
            doubles.length
              ? raw`<div id="flag-list"><h3 class="sub-title">${t('flags_title', { n: doubles.length })}</h3>
            <p class="hint">${t('flags_hint')}</p>${table(doubles)}</div>`
              : ''
          }${
            clocks.length
              ? raw`<div id="clock-flag-list"><h3 class="sub-title">${t('clock_flags_title', { n: clocks.length })}</h3>
            <p class="hint">${t('clock_flags_hint')}</p>${table(clocks)}</div>`
              : ''
          }`
        : html`<p class="muted" id="no-flags">${t('flags_none')}</p>`,
    );
  }

  async function loadFlags() {
    try {
      renderFlags(await api.reviewFlags());
    } catch {
      $('#flags', root).replaceChildren();
    }
  }

  async function pack(kind, unsealed = false) {
    try {
      if (unsealed) {
        const ok = await modal({
          title: t('unsealed_title'),
          body: html`<p>${t('unsealed_warn')}</p>`,
          danger: true,
          okLabel: t('unsealed_ok'),
        });
        if (!ok) return;
      }
      const name = kind === 'desk' ? names.desk_package_name : names.subvenue_package_name;
      const path = await api.saveFile(
        t(kind === 'desk' ? 'pack_checkins' : 'pack_subvenue'),
        name,
        PACKAGES,
      );
      if (path) await writePackage(kind, path, unsealed);
    } catch (err) {
      toastError(err);
    }
  }

  async function writePackage(kind, path, unsealed = false) {
    const out = $('#exchange-result', root);
    out.replaceChildren(
      html`<p class="progress"><span class="spinner" aria-hidden="true"></span>${t('working')}</p>`,
    );
    try {
      const p = await (kind === 'desk'
        ? api.packCheckins(path, unsealed)
        : api.packSubvenue(path, unsealed));
      out.replaceChildren(html`<div class="result ${p.sealed ? 'ok' : 'warn'}" data-packed="${p.path}" data-sealed="${String(p.sealed)}"><b>✓ ${t('packed', { path: p.path })}</b>
        <span class="muted">${t('packed_counts', { checkins: p.checkins, revocations: p.revocations, experts: p.experts })}</span>
        <span class="${p.sealed ? 'muted' : 'error-text'}">${p.sealed ? '' : '⚠ '}${t(p.sealed ? 'packed_sealed' : 'packed_unsealed')}</span>
        ${
          p.passphrase
            ? raw`<div class="passphrase-card"><span>${t('passphrase_show')}</span>
              <code class="passphrase" data-passphrase="${p.passphrase}">${p.passphrase}</code>
              <small class="muted">${t('passphrase_hint')}</small></div>`
            : ''
        }</div>`);
    } catch (err) {
      out.replaceChildren(
        html`<div class="result error" role="alert" data-code="${err.code}">${errorText(err)}</div>`,
      );
    }
  }

  /** Asks for a sub-venue package's passphrase; null when the coordinator cancels. */
  async function askPassphrase(wrong) {
    let input;
    const body = html`<div class="form"><p>${t('passphrase_ask')}</p>
      ${wrong ? raw`<p class="error-text" role="alert">${errorText(wrong)}</p>` : ''}
      <label class="field"><span>${t('passphrase_label')}</span>
      <input id="passphrase-input" class="passphrase" autocomplete="off" spellcheck="false" placeholder="XXXX-XXXX-XXXX-XXXX-XXXX"></label></div>`;
    input = body.querySelector('#passphrase-input');
    setTimeout(() => input.focus(), 0);
    return modal({ title: t('passphrase_title'), body, collect: () => input.value.trim() || null });
  }

  async function merge(path) {
    const out = $('#exchange-result', root);
    if (!path) {
      try {
        path = await api.pickFile(t('merge_package'), PACKAGES);
      } catch (err) {
        toastError(err);
        return;
      }
      if (!path) return;
    }
    let passphrase = null;
    let trust = false;
    for (;;) {
      out.replaceChildren(
        html`<p class="progress"><span class="spinner" aria-hidden="true"></span>${t('working')}</p>`,
      );
      try {
        const r = await api.mergePackage(path, passphrase, trust);
        showReport(r);
        renderFlags(r.flagged);
        ctx.info = await api.appInfo();
        return;
      } catch (err) {
        if (err.code === 'passphrase_required' || err.code === 'passphrase_wrong') {
          passphrase = await askPassphrase(err.code === 'passphrase_wrong' ? err : null);
          if (passphrase) continue;
        } else if (err.code === 'package_unsealed' && !trust) {
          trust = await modal({
            title: t('foreign_title'),
            body: html`<p>${t('foreign_body')}</p>`,
            danger: true,
            okLabel: t('foreign_ok'),
          });
          if (trust) continue;
        }
        out.replaceChildren(
          html`<div class="result error" role="alert" data-code="${err.code}">${errorText(err)}</div>`,
        );
        return;
      }
    }
  }

  function showReport(r) {
    const out = $('#exchange-result', root);
    const shown = r.lines.slice(0, 40);
    out.replaceChildren(html`<div class="result ok merge-report" data-added="${r.added.checkins}" data-already="${r.already.checkins}" data-sealed="${String(r.sealed)}">
      <b>✓ ${t('merged', { desk: r.from_desk })}</b>
      <div class="counts-row">
        <span class="pill ok">${t('m_checkins')} <b>${r.added.checkins}</b></span>
        <span class="pill">${t('m_revocations')} <b>${r.added.revocations}</b></span>
        <span class="pill">${t('m_experts')} <b>${r.added.experts}</b></span>
        ${r.added.signups ? raw`<span class="pill">${t('m_signups')} <b>${r.added.signups}</b></span>` : ''}
        ${r.added.points ? raw`<span class="pill">${t('m_points')} <b>${r.added.points}</b></span>` : ''}
        <span class="pill muted">${t('m_already')} <b>${r.already.checkins}</b></span>
        ${r.matched_experts ? raw`<span class="pill">${t('m_matched')} <b>${r.matched_experts}</b></span>` : ''}
        ${r.sealed ? '' : raw`<span class="pill warn">⚠ ${t('m_unsealed')}</span>`}
      </div>
      ${
        shown.length
          ? raw`<details class="merge-lines"${shown.length <= 8 ? ' open' : ''}><summary>${t('m_lines')}（${r.lines.length}）</summary>
            <ul>${shown.map((l) => raw`<li>${l}</li>`)}</ul>
            ${r.lines.length > shown.length ? raw`<p class="muted">${t('m_more', { n: r.lines.length - shown.length })}</p>` : ''}</details>`
          : ''
      }</div>`);
  }

  async function loadBackups() {
    try {
      const b = await api.backups();
      names = b;
      const st = b.status;
      $('#backups', root).replaceChildren(html`
        <div class="row"><span>${t('backup_auto')}</span>
          ${
            st.last_error
              ? raw`<span class="error-text" role="alert" id="backup-error">${t('backup_failed_at')} ${st.last_error}</span>`
              : raw`<span>${st.last_ok ? t('backup_last', { at: st.last_ok }) : t('backup_none_yet')}</span>`
          }
        </div>
        <div class="row"><span>${t('backup_folder')}</span><code class="path">${b.dir}</code></div>
        <div class="row" id="kept-backups"><span>${t('backup_kept')}</span>
          <span>${t('backup_kept_note', { n: b.kept, mb: (b.kept_bytes / 1048576).toFixed(1) })}</span>
          ${b.kept_old ? raw`<button type="button" class="btn btn-small" id="delete-old">${t('backup_delete_old', { n: b.kept_old })}</button>` : ''}</div>
        <div class="row actions">
          <button type="button" class="btn" id="backup-now">${t('backup_now')}</button>
          <button type="button" class="btn" id="restore-file">${t('restore_from_file')}</button>
        </div>
        ${
          b.files.length
            ? raw`<table class="table compact" id="backup-list"><thead><tr><th>${t('backup_time')}</th><th>${t('backup_file')}</th><th class="num">${t('backup_size')}</th><th></th></tr></thead>
              <tbody>${b.files.slice(0, 30).map(
                (
                  f,
                ) => raw`<tr><td class="mono">${f.local_time}</td><td class="mono small">${f.name}</td>
                <td class="num">${(f.bytes / 1024).toFixed(0)} KB</td>
                <td><button type="button" class="btn btn-small" data-restore="${f.path}">${t('restore')}</button></td></tr>`,
              )}</tbody></table>`
            : raw`<p class="muted">${t('no_backups')}</p>`
        }`);
    } catch (err) {
      $('#backups', root).replaceChildren(html`<p class="error-text">${errorText(err)}</p>`);
    }
  }

  async function restore(path) {
    const ok = await modal({
      title: t('restore'),
      body: html`<p>${t('restore_confirm', { path })}</p>`,
      danger: true,
    });
    if (!ok) return;
    let recovery = null;
    for (;;) {
      try {
        const kept = await api.restoreBackup(path, recovery);
        toast(t('restored', { kept }), 'info', 8000);
        await ctx.reload();
        return;
      } catch (err) {
        // Another laptop's backup: its recovery key opens it (asked again if mistyped).
        if (!['restore_needs_key', 'key_wrong', 'recovery_key_invalid'].includes(err.code)) {
          toastError(err);
          return;
        }
        recovery = await askRecoveryKey(err.code === 'restore_needs_key' ? '' : errorText(err));
        if (!recovery) return;
      }
    }
  }

  const askRecoveryKey = (error) =>
    modal({
      title: t('key_ask_title'),
      body: html`<div class="form"><p>${t('key_ask')}</p>
        ${error ? raw`<p class="error-text">${error}</p>` : ''}
        <input id="recovery-input" class="mono recovery-input" autocomplete="off" spellcheck="false"
          placeholder="ABCD-EFGH-…" aria-label="${t('key_ask_title')}"></div>`,
      collect: () => $('#recovery-input')?.value.trim() || null,
    });

  root.addEventListener('click', async (e) => {
    const b = e.target.closest('button');
    if (!b) return;
    if (b.id === 'save-desk') saveDesk();
    else if (b.id === 'pack') pack('desk');
    else if (b.id === 'pack-sub') pack('subvenue');
    else if (b.id === 'pack-unsealed') pack('desk', true);
    else if (b.id === 'merge') merge();
    else if (b.id === 'backup-now') {
      try {
        const p = await api.backupNow();
        toast(t('backup_made', { path: p }), 'info', 6000);
        loadBackups();
      } catch (err) {
        toastError(err);
      }
    } else if (b.id === 'delete-old') {
      const ok = await modal({
        title: t('backup_delete_title'),
        body: html`<p>${t('backup_delete_confirm')}</p>`,
        danger: true,
      });
      if (!ok) return;
      try {
        const n = await api.deleteOldBackups();
        toast(t('backup_deleted', { n }), 'info', 6000);
        loadBackups();
      } catch (err) {
        toastError(err);
      }
    } else if (b.id === 'restore-file') {
      try {
        const p = await api.pickFile(t('restore'), [
          { name: 'SQLite', extensions: ['db', 'sqlite'] },
        ]);
        if (p) restore(p);
      } catch (err) {
        toastError(err);
      }
    } else if (b.dataset.restore) restore(b.dataset.restore);
  });
  const onKey = (e) => {
    if (e.ctrlKey && e.key.toLowerCase() === 'e') {
      e.preventDefault();
      pack('desk');
    } else if (e.ctrlKey && e.key.toLowerCase() === 'm') {
      e.preventDefault();
      merge();
    }
  };
  document.addEventListener('keydown', onKey);
  loadFlags();
  loadBackups();
  const stopScanner = mountScannerCard($('#scanner-card', root));
  const stopScreen = mountScreenCard($('#screen-card', root));
  const stopCity = mountCityCard($('#city-card', root));
  const stopSecurity = mountSecurityCard($('#security-card', root), ctx);
  return () => {
    stopScanner();
    stopScreen();
    stopCity();
    stopSecurity();
    document.removeEventListener('keydown', onKey);
  };
}
