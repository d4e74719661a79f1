// The 统计 charts' value axis (ui/lib/charts.js): round steps that always reach the largest
// figure, so no bar rises above the top grid line. Run: node --test tests/ui/

import { test } from 'node:test';
import assert from 'node:assert/strict';

const { ticks } = await import('../../ui/lib/charts.js');

test('the axis steps are round and reach the largest figure', () => {
  assert.deepEqual(ticks(21), [0, 5, 10, 15, 20, 25]);
  assert.deepEqual(ticks(9), [0, 2, 4, 6, 8, 10]);
  assert.deepEqual(ticks(1217), [0, 500, 1000, 1500]);
  assert.deepEqual(ticks(0.3), [0, 0.1, 0.2, 0.3]);
  for (const max of [1, 3, 7, 18, 99, 100, 101, 4321, 20000]) {
    const t = ticks(max);
    assert.ok(t.at(-1) >= max, `${max}: ${t}`);
    assert.ok(t.length <= 7, `${max}: ${t.length} steps`);
  }
});

test('a year with nothing counted still gets an axis', () => {
  assert.deepEqual(ticks(0), [0, 1]);
});
