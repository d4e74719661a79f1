// The page's texts (ui/lib/i18n.js): every key has both languages with the same placeholders,
// and every key the screens ask for exists (an unknown key shows as the bare key).
// Run: node --test tests/ui/

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';

const store = new Map();
globalThis.localStorage = {
  getItem: (k) => store.get(k) ?? null,
  setItem: (k, v) => store.set(k, v),
};
globalThis.document = { documentElement: {} };

const { incompleteKeys, hasText, t, setLang } = await import('../../ui/lib/i18n.js');

test('every text is there in Chinese and in English, with the same placeholders', () => {
  assert.deepEqual(incompleteKeys(), []);
});

test('every key the screens use has a text', () => {
  const dir = new URL('../../ui/components/', import.meta.url);
  const files = readdirSync(dir, { recursive: true })
    .filter((f) => f.endsWith('.js'))
    .map((f) => new URL(f, dir));
  files.push(new URL('../../ui/app.js', import.meta.url));
  const used = new Set();
  for (const f of files) {
    for (const m of readFileSync(f, 'utf8').matchAll(/\bt\('([a-z0-9_]+)'/g)) used.add(m[1]);
  }
  assert.ok(used.size > 100, `the screens were read (${used.size} keys)`);
  const missing = [...used].filter((k) => !hasText(k));
  assert.deepEqual(missing, []);
});

test('a placeholder is filled in either language', () => {
  setLang('en');
  assert.equal(t('backup_deleted', { n: 3 }), '3 old backups deleted.');
  setLang('zh');
  assert.equal(t('backup_deleted', { n: 3 }), '已删除 3 份旧备份。');
});
