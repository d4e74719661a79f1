// Counts and figures as the screens write them (ui/lib/numbers.js): as toLocaleString writes
// them in Chinese and English, without the web process loading ICU for it.
// Run: node --test tests/ui/

import { test } from 'node:test';
import assert from 'node:assert/strict';

const { groupDigits } = await import('../../ui/lib/numbers.js');

test('whole numbers are grouped by thousands with a comma', () => {
  for (const n of [0, 7, 999, 1000, 12345, 100000, 1234567, -4200]) {
    assert.equal(groupDigits(n), n.toLocaleString('zh-CN'));
    assert.equal(groupDigits(n), n.toLocaleString('en-US'));
  }
});

test('decimals keep at most three places and no trailing zeros', () => {
  assert.equal(groupDigits(1234.5), '1,234.5');
  assert.equal(groupDigits(0.125), '0.125');
  assert.equal(groupDigits(2.00049), '2');
  assert.equal(groupDigits(-0.0001), '0');
});

test('nothing, text and infinities are written plainly', () => {
  assert.equal(groupDigits(undefined), '0');
  assert.equal(groupDigits(null), '0');
  assert.equal(groupDigits('3200'), '3,200');
  assert.equal(groupDigits('abc'), 'NaN');
  assert.equal(groupDigits(Infinity), 'Infinity');
});
