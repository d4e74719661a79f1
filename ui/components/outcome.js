// A service point's outcome after the afternoon: enterprises and people served, and the
// suggestions (建言) collected there — title, lead expert, theme, 已提交 / 已采纳. They become the
// event's figures in the year's statistics (统计).

import { api } from '../api.js';
import { html, raw } from '../lib/html.js';
import { t, errorText } from '../lib/i18n.js';
import { modal } from './modal.js';
import { toast, toastError } from './toast.js';

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
    <div class="span2 sg-box" id="sg-box"><span class="spinner" aria-hidden="true"></span></div>
  </div>`;
  suggestionsPart(point, body.querySelector('#sg-box'));
  const v = (id) => document.getElementById(id)?.value.trim() ?? '';
  let saved = null;
  await modal({
    title: t('outcome_title', { name: point.short_name || point.name }),
    body,
    wide: true,
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

/** The point's suggestions: listed with their status (a click adopts or takes it back), and
 *  a line to add one (Enter adds it; it is saved at once, whatever the dialog does next). */
async function suggestionsPart(point, box) {
  let list = [];
  let roster = [];
  const nameOf = (id) => roster.find((r) => r.expert_id === id)?.name ?? '';
  const draw = () => {
    const adopted = list.filter((s) => s.status === 'adopted').length;
    box.replaceChildren(html`<h3 class="sg-title">${t('sg_title')}
        <span class="muted" id="sg-count" data-n="${list.length}">${t('sg_count', { n: list.length, a: adopted })}</span></h3>
      ${
        list.length
          ? raw`<ul class="sg-list">${list.map(
              (s) => raw`<li data-suggestion="${s.id}"><span class="sg-text"><b>${s.title}</b>
                <span class="muted">${[nameOf(s.lead_expert_id), s.theme].filter(Boolean).join(' · ')}</span></span>
                <button type="button" class="pill sg-status ${s.status === 'adopted' ? 'ok' : ''}" data-adopt="${s.id}"
                  title="${t('sg_toggle')}">${t(`sg_${s.status}`)}</button></li>`,
            )}</ul>`
          : raw`<p class="muted">${t('sg_none')}</p>`
      }
      <div class="sg-add" data-enter-local>
        <input id="sg-text" maxlength="200" placeholder="${t('sg_text_ph')}">
        <select id="sg-lead"><option value="">${t('sg_lead_none')}</option>${roster.map(
          (r) => raw`<option value="${r.expert_id}">${r.name}</option>`,
        )}</select>
        <input id="sg-theme" maxlength="40" placeholder="${t('sg_theme_ph')}">
        <button type="button" class="btn" id="sg-add">${t('sg_add')} <kbd>Enter</kbd></button>
      </div>`);
  };
  const load = async () => {
    list = await api.suggestionsForPoint(point.id);
    draw();
  };
  const add = async () => {
    const title = box.querySelector('#sg-text').value.trim();
    if (!title) {
      box.querySelector('#sg-text').focus();
      return;
    }
    try {
      await api.suggestionAdd(
        point.id,
        title,
        box.querySelector('#sg-lead').value || null,
        box.querySelector('#sg-theme').value.trim(),
      );
      await load();
      box.querySelector('#sg-text')?.focus();
    } catch (err) {
      toastError(err);
    }
  };
  box.addEventListener('click', async (e) => {
    const b = e.target.closest('button');
    if (!b) return;
    if (b.id === 'sg-add') add();
    else if (b.dataset.adopt) {
      const s = list.find((x) => x.id === b.dataset.adopt);
      try {
        await api.suggestionStatus(s.id, s.status !== 'adopted');
        await load();
      } catch (err) {
        toastError(err);
      }
    }
  });
  box.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.isComposing && e.target.closest('.sg-add')) {
      e.preventDefault();
      add();
    }
  });
  try {
    roster = await api.roster(point.id).catch(() => []);
    await load();
  } catch (err) {
    box.replaceChildren(html`<p class="error-text">${errorText(err)}</p>`);
  }
}
