// The page's language: t() for the texts (strings.js), errorText() and problemText() for the
// core's codes (errors.js). Core errors arrive with a Chinese message and a code: the English UI
// shows its own text for the code, so nothing depends on parsing Chinese.

import { TEXT } from './strings.js';
import { ERRORS, PROBLEMS_EN } from './errors.js';

let lang = localStorage.getItem('tongxin.lang') === 'en' ? 'en' : 'zh';

export function getLang() {
  return lang;
}

export function setLang(l) {
  lang = l === 'en' ? 'en' : 'zh';
  localStorage.setItem('tongxin.lang', lang);
  document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';
}

/** Keys whose Chinese or English text is missing, or whose {placeholders} differ (tests). */
export function incompleteKeys() {
  const holes = (s) =>
    [...String(s).matchAll(/\{(\w+)\}/g)]
      .map((m) => m[1])
      .sort()
      .join(',');
  return Object.entries(TEXT)
    .filter(
      ([, e]) =>
        !Array.isArray(e) || e.length !== 2 || !e[0] || !e[1] || holes(e[0]) !== holes(e[1]),
    )
    .map(([k]) => k);
}

/** Whether the page has a text for `key` (tests). */
export function hasText(key) {
  return Object.hasOwn(TEXT, key);
}

/** Translates `key`, filling {placeholders} from `vars`. */
export function t(key, vars = {}) {
  const entry = TEXT[key];
  let s = entry ? entry[lang === 'en' ? 1 : 0] : key;
  for (const [k, v] of Object.entries(vars)) s = s.replaceAll(`{${k}}`, String(v ?? ''));
  return s;
}

/** An import problem's message in the UI's language. */
export function problemText(p) {
  if (lang === 'en' && PROBLEMS_EN[p.code])
    return PROBLEMS_EN[p.code].replaceAll('{d}', p.detail ?? '');
  return p.message;
}

/** "12, 15, 18–20, …": runs of three or more as a range, at most eight pieces (as the core). */
function rowsText(rows, sep) {
  const pieces = [];
  for (let i = 0; i < rows.length; ) {
    let j = i;
    while (j + 1 < rows.length && rows[j + 1] === rows[j] + 1) j++;
    if (j >= i + 2) pieces.push(`${rows[i]}–${rows[j]}`);
    else pieces.push(...rows.slice(i, j + 1).map(String));
    i = j + 1;
  }
  return pieces.length > 8 ? [...pieces.slice(0, 8), '…'].join(sep) : pieces.join(sep);
}

/**
 * A point over its places, in the UI's language: in the preview (which rows will wait), or
 * in a committed report (how many waited, or went over capacity). Chinese is the core's text.
 */
export function overflowText(o, report = null) {
  if (lang !== 'en') return o.message;
  const n = o.rows.length;
  const rows = rowsText(o.rows, ', ');
  if (!report) {
    return `${o.point}: ${n} over its ${o.capacity} places (${o.registered} already signed up); rows ${rows} will go to the waiting list.`;
  }
  if (report.over_capacity === 'register') {
    return `${o.point}: ${n} signed up over capacity (${o.registered + o.arriving} for ${o.capacity} places).`;
  }
  return `${o.point}: ${o.capacity} places full; ${n} put on the waiting list (rows ${rows}).`;
}

/** The message to show for an ApiError, in the UI's language. */
export function errorText(err) {
  if (lang === 'en' && err?.code && ERRORS[err.code]) return ERRORS[err.code];
  return err?.message || String(err);
}

document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';
