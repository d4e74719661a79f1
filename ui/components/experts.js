// All experts in one table, with a quick filter. Editing arrives with data management.

import { api } from '../api.js';
import { html, raw, $ } from '../lib/html.js';
import { t } from '../lib/i18n.js';
import { toastError } from './toast.js';

export function mount(root) {
  root.append(html`
    <section class="page">
      <div class="page-head">
        <h1 class="page-title">${t('experts_title')}</h1>
        <span class="muted" id="experts-count"></span>
        <input id="experts-filter" class="filter" type="search" placeholder="${t('experts_filter')}" autocomplete="off">
      </div>
      <div class="table-wrap">
        <table class="table" id="experts-table">
          <thead><tr>
            <th>${t('col_code')}</th><th>${t('col_name')}</th><th>${t('col_gender')}</th><th>${t('col_party')}</th>
            <th>${t('col_org')}</th><th>${t('col_title')}</th><th>${t('col_field')}</th><th>${t('col_phone')}</th>
          </tr></thead>
          <tbody></tbody>
        </table>
      </div>
    </section>`);
  const body = $('#experts-table tbody', root);
  const filter = $('#experts-filter', root);
  let all = [];

  function render() {
    const q = filter.value.trim().toLowerCase();
    const rows = q
      ? all.filter((e) => [e.code, e.name, e.organisation, e.party, e.title, e.field].some((v) => v.toLowerCase().includes(q)))
      : all;
    $('#experts-count', root).textContent = t('experts_count', { n: rows.length });
    if (all.length === 0) {
      body.replaceChildren(html`<tr><td colspan="8"><div class="empty-state">${t('experts_empty')}</div></td></tr>`);
      return;
    }
    body.replaceChildren(
      html`${rows.map(
        (e) => raw`<tr><td class="mono">${e.code}</td><td class="strong">${e.name}</td><td>${e.gender}</td>
          <td>${e.party}</td><td>${e.organisation}</td><td>${e.title}</td><td>${e.field}</td>
          <td class="mono">${e.phone_masked}</td></tr>`,
      )}`,
    );
  }

  filter.addEventListener('input', render);
  api
    .listExperts()
    .then((list) => {
      all = list;
      render();
    })
    .catch(toastError);
  filter.focus();
}
