// A tagged template that escapes every interpolated value, after the "Plain Vanilla" pattern:
// names come from imported files and must never become markup.
//
//   el.replaceChildren(html`<b>${name}</b>`)
//
// Values that are themselves `html` fragments (or arrays of them) are inserted as they are.

const RAW = Symbol('raw-html');

export function escapeHtml(value) {
  return String(value ?? '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

function piece(v) {
  if (v && v[RAW] !== undefined) return v[RAW];
  if (typeof Node !== 'undefined' && v instanceof Node) {
    // A fragment would print as "[object DocumentFragment]": nest raw`…`, not html`…`.
    throw new TypeError('html`…` values must be raw`…` fragments or plain values, not DOM nodes');
  }
  if (Array.isArray(v)) return v.map(piece).join('');
  if (v === false || v === null || v === undefined) return '';
  return escapeHtml(v);
}

/** Builds markup with escaped values; returns an object usable inside other templates. */
export function raw(strings, ...values) {
  let out = strings[0];
  values.forEach((v, i) => {
    out += piece(v) + strings[i + 1];
  });
  return { [RAW]: out };
}

/** Like `raw`, but returns a DocumentFragment ready to insert. */
export function html(strings, ...values) {
  const t = document.createElement('template');
  t.innerHTML = raw(strings, ...values)[RAW];
  return t.content;
}

export function $(sel, root = document) {
  return root.querySelector(sel);
}

export function $$(sel, root = document) {
  return [...root.querySelectorAll(sel)];
}
