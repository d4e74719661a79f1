// Language, current event, this desk, and the database: restore the demo or start empty
// (both back the database up first).

import { api } from '../api.js';
import { html, raw, $ } from '../lib/html.js';
import { t, getLang, setLang } from '../lib/i18n.js';
import { modal } from './modal.js';
import { toast, toastError } from './toast.js';

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
          </select></label>
        <div class="row"><span>${t('this_desk')}</span><b>${info.desk?.name ?? ''}</b><small class="muted mono">${info.desk?.id ?? ''}</small></div>
        <div class="row"><span>${t('database')}</span><code class="path">${info.db_path ?? ''}</code>
          <small class="muted">${t('experts_n', { n: info.experts ?? 0 })}</small></div>
        <div class="row"><span>${t('version')}</span><span>${info.version ?? ''}</span></div>
      </div>
      <h2 class="section-title">${t('data')}</h2>
      <div class="card form">
        <div class="row actions">
          <button type="button" class="btn" id="reset-demo">${t('reset_demo')}</button>
          <button type="button" class="btn btn-danger-outline" id="start-empty">${t('start_empty')}</button>
        </div>
      </div>
    </section>`);

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
}
