// USB QR scanners are keyboards: they type a whole code and Enter, a few milliseconds apart.
// This recognises such bursts at the document level, wherever the focus is, and also while a
// Chinese input method is composing: then `key` says "Process" and the characters typed go
// into the IME, so the code is rebuilt from the physical keys (`code` + Shift) instead.
//
// Payload: "TX:" + the expert's code (e.g. TX:E-0042); a bare code like E-0042 works too.

// A scanner types a few ms apart; a person ~100-250 ms. The margin absorbs a busy machine;
// a fast typist who types a whole code and Enter gets the same result as a scan anyway.
const MAX_GAP_MS = 60;
const MIN_LEN = 5;

const SHIFTED = {
  Digit1: '!',
  Digit2: '@',
  Digit3: '#',
  Digit4: '$',
  Digit5: '%',
  Digit6: '^',
  Digit7: '&',
  Digit8: '*',
  Digit9: '(',
  Digit0: ')',
  Minus: '_',
  Equal: '+',
  Semicolon: ':',
  Quote: '"',
  Comma: '<',
  Period: '>',
  Slash: '?',
  Backslash: '|',
  BracketLeft: '{',
  BracketRight: '}',
  Backquote: '~',
};
const PLAIN = {
  Minus: '-',
  Equal: '=',
  Semicolon: ';',
  Quote: "'",
  Comma: ',',
  Period: '.',
  Slash: '/',
  Backslash: '\\',
  BracketLeft: '[',
  BracketRight: ']',
  Backquote: '`',
  Space: ' ',
  NumpadSubtract: '-',
  NumpadDecimal: '.',
  NumpadDivide: '/',
  NumpadMultiply: '*',
  NumpadAdd: '+',
};

/** The character a key event stands for, read from the physical key when an IME hides it. */
export function charOf(e) {
  // An ASCII key as the keyboard layout reads it, when the IME does not hide it.
  if (e.key && e.key.length === 1 && e.key.charCodeAt(0) < 128) return e.key;
  const c = e.code || '';
  let m = /^Key([A-Z])$/.exec(c);
  if (m) return e.shiftKey ? m[1] : m[1].toLowerCase();
  m = /^(?:Digit|Numpad)([0-9])$/.exec(c);
  if (m) return e.shiftKey && c.startsWith('Digit') ? SHIFTED[c] : m[1];
  if (e.shiftKey && SHIFTED[c]) return SHIFTED[c];
  if (PLAIN[c]) return PLAIN[c];
  return null;
}

/** Looks like a badge: TX: prefix, or a code such as E-0042 / W-7K3M9Q. */
export function looksLikeCode(s) {
  return /^tx[:：;]/i.test(s) || /^[a-z]{1,2}-[0-9a-z]{4,10}$/i.test(s);
}

/**
 * Calls `onScan(text, origin)` for every scanner burst; `origin` is the element that had the
 * focus and its value before the burst, so the caller can undo what leaked into it.
 * Returns a function that removes the listener.
 */
export function listenForScans(onScan) {
  let buf = '';
  let last = 0;
  let origin = null;
  const reset = () => {
    buf = '';
    origin = null;
  };
  const onKey = (e) => {
    const now = e.timeStamp || performance.now();
    if (e.code === 'Enter' || e.code === 'NumpadEnter' || e.key === 'Enter') {
      const burst = buf;
      const from = origin;
      const fresh = now - last <= MAX_GAP_MS * 3;
      reset();
      if (burst.length >= MIN_LEN && fresh && looksLikeCode(burst)) {
        e.preventDefault();
        e.stopImmediatePropagation();
        onScan(burst, from);
      }
      return;
    }
    if (['Shift', 'CapsLock'].includes(e.key) || /^Shift/.test(e.code)) return;
    const ch = charOf(e);
    if (ch === null || e.ctrlKey || e.altKey || e.metaKey) {
      reset();
      return;
    }
    if (!buf || now - last > MAX_GAP_MS) {
      const el = document.activeElement;
      origin = { element: el, value: el && 'value' in el ? el.value : null };
      buf = '';
    }
    buf += ch;
    last = now;
  };
  document.addEventListener('keydown', onKey, true);
  return () => document.removeEventListener('keydown', onKey, true);
}

/** Puts back the value a burst typed into (IMEs may commit their text a moment later). */
export function restoreOrigin(origin) {
  const el = origin?.element;
  if (!el || origin.value === null || !('value' in el)) return;
  const put = () => {
    el.value = origin.value;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  };
  if (el.value !== origin.value) put();
  // A late IME commit appends to the restored text; anything else is the user's own edit.
  const late = () => {
    if (el.value !== origin.value && el.value.startsWith(origin.value)) put();
  };
  setTimeout(late, 30);
  setTimeout(late, 120);
}

/**
 * Keeps the last few hundred keyboard, input and composition events as the page received
 * them (kind, key, code, keyCode, composing, data, the field's value, time). Support reads it
 * when a scanner misbehaves on a laptop; the input-method tests read it to show what WebKit
 * delivered under each IME.
 */
export function recordKeyEvents(limit = 400) {
  window.__tongxinKeyLog = [];
  const log = window.__tongxinKeyLog;
  const kinds = [
    'keydown',
    'keyup',
    'keypress',
    'beforeinput',
    'input',
    'compositionstart',
    'compositionupdate',
    'compositionend',
  ];
  const rec = (e) => {
    const el = e.target;
    log.push({
      t: Math.round(e.timeStamp * 10) / 10,
      type: e.type,
      key: e.key,
      code: e.code,
      keyCode: e.keyCode,
      composing: e.isComposing,
      data: e.data ?? null,
      inputType: e.inputType ?? null,
      value: el && typeof el.value === 'string' ? el.value : null,
    });
    if (log.length > limit) log.splice(0, log.length - limit);
  };
  for (const k of kinds) document.addEventListener(k, rec, true);
}
