// The page's scanner recognition (ui/lib/scanner.js) on recorded key sequences: what WebKitGTK
// delivered under ibus-libpinyin and fcitx5 in the real runs of tests/e2e/ime.rs, what a plain
// keyboard delivers, and what WebView2 delivers under Microsoft Pinyin / Sogou in Chinese mode
// (documented: keyCode 229, key "Process", the physical key in `code`).
// Run: node --test tests/ui/

import { test } from 'node:test';
import assert from 'node:assert/strict';

// A document that only records listeners: the module registers on it at call time.
const listeners = [];
globalThis.document = {
  activeElement: { id: 'search', value: '' },
  addEventListener: (type, fn) => listeners.push({ type, fn }),
  removeEventListener: (type, fn) => {
    const i = listeners.findIndex((l) => l.type === type && l.fn === fn);
    if (i >= 0) listeners.splice(i, 1);
  },
};
globalThis.performance ??= { now: () => 0 };

const { listenForScans, looksLikeCode } = await import('../../ui/lib/scanner.js');

/** Feeds keydown events to the scanner listener; returns the scans it reported. */
function run(events) {
  const scans = [];
  const stop = listenForScans((text) => scans.push(text));
  const keydown = listeners.filter((l) => l.type === 'keydown').at(-1).fn;
  for (const e of events) {
    keydown({
      shiftKey: false,
      ctrlKey: false,
      altKey: false,
      metaKey: false,
      preventDefault() {},
      stopImmediatePropagation() {},
      ...e,
    });
  }
  stop();
  return scans;
}

const CODES = { ':': 'Semicolon', '-': 'Minus' };
const codeOf = (c) =>
  /[a-z]/i.test(c) ? `Key${c.toUpperCase()}` : /\d/.test(c) ? `Digit${c}` : CODES[c];
const shifted = (c) => /[A-Z:]/.test(c);

/** A plain keyboard (IME off or in English): key is the character. */
function plain(text, start, every) {
  return [...text]
    .map((c, i) => ({
      timeStamp: start + i * every,
      key: c,
      code: codeOf(c),
      keyCode: c.charCodeAt(0),
      shiftKey: shifted(c),
    }))
    .concat([{ timeStamp: start + text.length * every, key: 'Enter', code: 'Enter', keyCode: 13 }]);
}

/** WebView2 with Microsoft Pinyin / Sogou composing: every key is "Process" / 229. */
function webview2Ime(text, start, every) {
  return [...text]
    .map((c, i) => ({
      timeStamp: start + i * every,
      key: 'Process',
      code: codeOf(c),
      keyCode: 229,
      shiftKey: shifted(c),
    }))
    .concat([
      { timeStamp: start + text.length * every, key: 'Process', code: 'Enter', keyCode: 229 },
    ]);
}

test('a scanner on a plain keyboard is a badge', () => {
  assert.deepEqual(run(plain('TX:E-0042', 1000, 5)), ['TX:E-0042']);
});

test('WebView2 under a Chinese IME: the code is rebuilt from the physical keys', () => {
  assert.deepEqual(run(webview2Ime('TX:E-0042', 1000, 6)), ['TX:E-0042']);
  assert.deepEqual(run(webview2Ime('E-0107', 50, 2)), ['E-0107']);
});

test('a person typing is not a scanner', () => {
  assert.deepEqual(run(plain('zhangwei', 0, 120)), []);
  assert.deepEqual(run(webview2Ime('zhangwei', 0, 110)), []);
  assert.deepEqual(run(plain('zhangwei', 0, 5)), [], 'a fast burst that is no code');
});

test('WebKitGTK under ibus-libpinyin shows the page no badge at all (so the shell reads the keys)', () => {
  // Recorded in tests/e2e/ime.rs with the shell's tap off: one Shift, one "Unidentified" key
  // for the whole composed burst, and only a keyup for Enter.
  const ibus = [
    { timeStamp: 645, key: 'Shift', code: 'ShiftLeft', keyCode: 16 },
    { timeStamp: 714, key: 'Unidentified', code: 'Unidentified', keyCode: 229 },
  ];
  assert.deepEqual(run(ibus), []);
});

test('what counts as a badge', () => {
  for (const s of ['TX:E-0042', 'tx：E-0042', 'E-0042', 'W-7K3M9Q']) assert.ok(looksLikeCode(s), s);
  for (const s of ['zhangwei', '同学：而-0052', 'E-42']) assert.ok(!looksLikeCode(s), s);
});
