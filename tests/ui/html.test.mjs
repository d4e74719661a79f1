// The escaping template (ui/lib/html.js): names come from imported files and packages and
// must never become markup. Run: node --test tests/ui/

import { test } from 'node:test';
import assert from 'node:assert/strict';

const { raw, escapeHtml } = await import('../../ui/lib/html.js');
const markup = (r) => Object.getOwnPropertySymbols(r).map((s) => r[s])[0];

test('every interpolated value is escaped', () => {
  const name = '<img src=x onerror=alert(1)>"\'&';
  assert.equal(
    markup(raw`<b title="${name}">${name}</b>`),
    '<b title="&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;">&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;</b>',
  );
});

test('nested fragments and lists are inserted as they are, their own values escaped', () => {
  const rows = ['<script>', '韩冬'].map((n) => raw`<li>${n}</li>`);
  assert.equal(markup(raw`<ul>${rows}</ul>`), '<ul><li>&lt;script&gt;</li><li>韩冬</li></ul>');
});

test('nothing, false and null print nothing; numbers print as numbers', () => {
  assert.equal(markup(raw`${null}${undefined}${false}${0}`), '0');
  assert.equal(escapeHtml(42), '42');
});

test('a DOM node is refused rather than printed as [object …]', () => {
  globalThis.Node = class {};
  assert.throws(() => raw`${new globalThis.Node()}`, TypeError);
  delete globalThis.Node;
});
