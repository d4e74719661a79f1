// A service point's outcome after the afternoon: enterprises and people served. It becomes the
// event's figures in the year's statistics (统计).

import { api } from '../api.js';
import { html } from '../lib/html.js';
import { t, errorText } from '../lib/i18n.js';
import { modal } from './modal.js';
import { toast } from './toast.js';

/** "成果 12 家 · 40 人", or the invitation to enter it. */
export function outcomeLabel(o) {
  return o ? t('outcome_short', { e: o.enterprises, p: o.people }) : t('outcome_enter');
}

/** Asks for a point's outcome and saves it; the saved outcome, or null when cancelled. */
export async function outcomeDialog(point, current) {
  const body = html`<div class="form-grid">
    <p class="muted span2">${t('outcome_hint')}</p>
    <label class="field"><span>${t('outcome_enterprises')}</span>
      <input id="oc-enterprises" type="number" min="0" step="1" inputmode="numeric" value="${current?.enterprises ?? 0}" autofocus></label>
    <label class="field"><span>${t('outcome_people')}</span>
      <input id="oc-people" type="number" min="0" step="1" inputmode="numeric" value="${current?.people ?? 0}"></label>
  </div>`;
  const v = (id) => document.getElementById(id)?.value.trim() ?? '';
  let saved = null;
  await modal({
    title: t('outcome_title', { name: point.short_name || point.name }),
    body,
    okLabel: t('save'),
    collect: () => ({ enterprises: v('oc-enterprises'), people: v('oc-people') }),
    onConfirm: async (form, showError) => {
      const e = Number(form.enterprises);
      const p = Number(form.people);
      if (
        !Number.isInteger(e) ||
        !Number.isInteger(p) ||
        e < 0 ||
        p < 0 ||
        form.enterprises === '' ||
        form.people === ''
      ) {
        showError(t('outcome_not_a_count'));
        return false;
      }
      try {
        saved = await api.outcomeSet(point.id, e, p);
        toast(t('outcome_saved', { name: point.short_name || point.name }));
        return true;
      } catch (err) {
        showError(errorText(err));
        return false;
      }
    },
  });
  return saved;
}
