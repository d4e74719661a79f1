// Short notices in the corner. Errors stay until clicked; others fade after a few seconds.

import { html } from '../lib/html.js';
import { errorText } from '../lib/i18n.js';

export function toast(text, kind = 'info', ms = 3500) {
  const root = document.getElementById('toasts');
  const frag = html`<div class="toast toast-${kind}" role="${kind === 'error' ? 'alert' : 'status'}">${text}</div>`;
  const el = frag.firstElementChild;
  root.append(el);
  const close = () => el.remove();
  el.addEventListener('click', close);
  if (kind !== 'error') setTimeout(close, ms);
  return el;
}

export function toastError(err) {
  return toast(errorText(err), 'error');
}
