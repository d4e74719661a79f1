// The walk-in form (F2): register someone who is not on the list and check them in at once.
// While typing it warns about people on file with the same name or phone.

import { api } from '../api.js';
import { html, raw } from '../lib/html.js';
import { t, errorText } from '../lib/i18n.js';
import { modal } from './modal.js';

export async function walkInDialog(info, checkpoint, prefillName = '') {
  const themeName = (p) => info.themes.find((th) => th.id === p.theme_id)?.name ?? '';
  const body = html`
    <p class="hint">${t('walkin_hint')}</p>
    <div class="form-grid">
      <label class="field"><span>${t('f_name')} <em>${t('f_required')}</em></span>
        <input id="wi-name" type="text" maxlength="60" autocomplete="off" value="${prefillName}" autofocus></label>
      <label class="field"><span>${t('f_phone')}</span>
        <input id="wi-phone" type="tel" maxlength="30" autocomplete="off"></label>
      <label class="field"><span>${t('f_org')}</span>
        <input id="wi-org" type="text" maxlength="120" autocomplete="off"></label>
      <label class="field"><span>${t('f_title')}</span>
        <input id="wi-title" type="text" maxlength="60" autocomplete="off"></label>
      <label class="field span2"><span>${t('f_group')}</span>
        <select id="wi-point">
          <option value="">${t('plenary')}</option>
          ${info.points.map((p) => raw`<option value="${p.id}" ${checkpoint === p.id ? raw`selected` : ''}>${themeName(p)} · ${p.name}</option>`)}
        </select></label>
    </div>
    <div class="similar" id="wi-similar" aria-live="polite"></div>`;
  const $ = (id) => document.getElementById(id);
  let timer = null;
  const check = () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const box = $('wi-similar');
      if (!box) return;
      try {
        const list = await api.walkinSimilar($('wi-name').value, $('wi-phone').value);
        box.replaceChildren(
          html`${list.map((s) =>
            s.same_phone
              ? raw`<div class="warn">⚠ ${t('similar_phone', { name: s.name, org: s.organisation || '—', code: s.code })}</div>`
              : raw`<div class="warn">⚠ ${t('similar_name', { name: s.name, org: s.organisation || '—', phone: s.phone_masked || '—' })}</div>`,
          )}`,
        );
      } catch {
        box.replaceChildren();
      }
    }, 150);
  };
  body.querySelector('#wi-name').addEventListener('input', check);
  body.querySelector('#wi-phone').addEventListener('input', check);
  if (prefillName) setTimeout(check, 0);

  let result = null;
  await modal({
    title: t('walkin_title'),
    body,
    wide: true,
    okLabel: t('walkin_ok'),
    collect: () => ({
      name: $('wi-name').value,
      phone: $('wi-phone').value,
      organisation: $('wi-org').value,
      title: $('wi-title').value,
      point_id: $('wi-point').value || null,
    }),
    onConfirm: async (form, showError) => {
      try {
        result = await api.registerWalkIn(form, checkpoint);
        return true;
      } catch (err) {
        showError(errorText(err));
        return false;
      }
    },
  });
  return result;
}
