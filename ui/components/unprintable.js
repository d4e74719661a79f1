// Names with a character that no font shipped for printing has: the PDF spells it as its code
// point ([U+31350]) and the coordinator is told which name, so it can be written in by hand.

import { raw } from '../lib/html.js';
import { t } from '../lib/i18n.js';
import { toast } from './toast.js';

/** A warning block for the export screen (empty when every name printed). */
export function unprintableNote(list) {
  if (!list?.length) return '';
  return raw`<div class="warn-box" role="status" data-unprintable="${list.length}">
    <b>${t('unprintable_title')}</b>
    <ul>${list.map((u) => raw`<li>${u.text} <span class="mono">${u.code_points.join(' ')}</span></li>`)}</ul>
    <p class="muted">${t('unprintable_body')}</p></div>`;
}

/** The same, as a lasting toast (badges and table cards). */
export function warnUnprintable(list) {
  if (!list?.length) return;
  const names = list.map((u) => `${u.text}（${u.code_points.join(' ')}）`).join('、');
  toast(`${t('unprintable_title')} ${names} — ${t('unprintable_body')}`, 'warn', 12000);
}
