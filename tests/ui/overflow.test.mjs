// The import preview's and report's lines for a point over its places (ui/lib/i18n.js):
// Chinese is the core's own text; English is said from the fields, row lists shortened as the
// core does. Run: node --test tests/ui/

import { test } from 'node:test';
import assert from 'node:assert/strict';

const store = new Map();
globalThis.localStorage = {
  getItem: (k) => store.get(k) ?? null,
  setItem: (k, v) => store.set(k, v),
};
globalThis.document = { documentElement: {} };

const { overflowText, setLang } = await import('../../ui/lib/i18n.js');

const o = {
  point: '低空经济（御风未来）',
  capacity: 20,
  registered: 20,
  arriving: 31,
  rows: [...Array(31).keys()].map((i) => i + 5),
  waitlisted: 31,
  message: '低空经济（御风未来）：超出名额 31 人（名额 20，已报 20），第 5–35 行将进入候补。',
};

test('Chinese shows the core message as it is', () => {
  setLang('zh');
  assert.equal(overflowText(o), o.message);
});

test('English says the rows that will wait, and what the commit did', () => {
  setLang('en');
  assert.equal(
    overflowText(o),
    '低空经济（御风未来）: 31 over its 20 places (20 already signed up); rows 5–35 will go to the waiting list.',
  );
  assert.equal(
    overflowText(o, { over_capacity: 'waitlist' }),
    '低空经济（御风未来）: 20 places full; 31 put on the waiting list (rows 5–35).',
  );
  assert.equal(
    overflowText({ ...o, waitlisted: 0 }, { over_capacity: 'register' }),
    '低空经济（御风未来）: 31 signed up over capacity (51 for 20 places).',
  );
  const scattered = { ...o, rows: [...Array(12).keys()].map((i) => (i + 1) * 3) };
  assert.match(overflowText(scattered), /rows 3, 6, 9, 12, 15, 18, 21, 24, … will/);
});
