// 统计: the year's record as the organisers report it — the figures large, the report sentence
// to copy, charts by district, kind of service and month (SVG, lib/charts.js) with the table
// under each, filtered by year and district; a district's bar or row shows its activities.
// Ctrl+S saves the workbook, Ctrl+Shift+S the PDF report (in the window's language).

import { api } from '../api.js';
import { html, raw, $ } from '../lib/html.js';
import { t, getLang } from '../lib/i18n.js';
import { barChart, donutChart, lineChart } from '../lib/charts.js';
import { toast, toastError } from './toast.js';
import { groupDigits } from '../lib/numbers.js';

const BRAND = '#b8272c';
const BLUE = '#2f5b9a';
const PALETTE = [BRAND, BLUE, '#1c7a4a', '#a35a00', '#6d4bb3', '#0e7490', '#b4536b', '#5b6474'];

const n = (v) => groupDigits(v);
const MONTHS_EN = 'Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec'.split(' ');

/** 2024-03 → 3月 (Mar in English). */
const monthLabel = (key) => {
  const m = Number(key.slice(5));
  return getLang() === 'en' ? MONTHS_EN[m - 1] : `${m}月`;
};

export function mount(root) {
  const st = { year: null, district: '', view: null };
  root.append(html`
    <section class="page stats-page">
      <div class="page-head">
        <h1 class="page-title">${t('stats_title')}</h1>
        <label class="inline">${t('stats_year')} <select id="s-year"></select></label>
        <label class="inline">${t('stats_district')} <select id="s-district"></select></label>
        <div class="head-actions">
          <button type="button" class="btn" id="s-copy">${t('stats_copy')}</button>
          <button type="button" class="btn" id="s-save">${t('stats_save')} <kbd>Ctrl+S</kbd></button>
          <button type="button" class="btn btn-primary" id="s-pdf">${t('stats_save_pdf')} <kbd>Ctrl+Shift+S</kbd></button>
        </div>
      </div>
      <div id="s-body"><div class="card progress"><span class="spinner" aria-hidden="true"></span>${t('working')}</div></div>
    </section>`);
  const body = $('#s-body', root);

  const figure = (key, value, unit) =>
    raw`<div class="stat-figure" data-figure="${key}" title="${key === 'experts' ? t('stats_experts_hint') : ''}"><span class="stat-label">${t(`stats_${key}`)}</span>
      <span class="stat-value">${n(value)}</span><span class="stat-unit">${t(unit)}</span>${
        key === 'experts' ? raw`<span class="stat-foot">${t('stats_experts_foot')}</span>` : ''
      }</div>`;

  const table = (id, head, lines, clickable = false) =>
    raw`<div class="table-wrap short"><table class="table compact stat-table" id="${id}">
      <thead><tr><th>${head}</th><th class="num">${t('stats_activities')}</th><th class="num">${t('stats_participations')}</th>
      <th class="num">${t('stats_enterprises')}</th><th class="num">${t('stats_people')}</th></tr></thead>
      <tbody>${lines.map(
        (
          l,
        ) => raw`<tr ${clickable ? raw`class="pick" data-district="${l.key}"` : ''}><td>${l.key}</td>
          <td class="num">${n(l.activities)}</td><td class="num">${n(l.participations)}</td>
          <td class="num">${n(l.enterprises)}</td><td class="num">${n(l.people)}</td></tr>`,
      )}</tbody></table></div>`;

  function drawCharts(r) {
    const activities = t('stats_activities');
    const participations = t('stats_participations');
    barChart($('#c-district', body), {
      labels: r.by_district.map((l) => l.key),
      series: [
        { name: activities, values: r.by_district.map((l) => l.activities) },
        { name: participations, values: r.by_district.map((l) => l.participations) },
      ],
      colors: PALETTE,
      onPick: pickDistrict,
    });
    donutChart($('#c-kind', body), {
      items: r.by_kind.map((l) => ({ name: l.key, value: l.activities })),
      colors: PALETTE,
    });
    lineChart($('#c-month', body), {
      labels: r.by_month.map((l) => monthLabel(l.key)),
      series: [
        { name: activities, values: r.by_month.map((l) => l.activities) },
        { name: participations, values: r.by_month.map((l) => l.participations) },
      ],
      colors: PALETTE,
    });
  }

  function render(view) {
    const r = view.report;
    st.view = view;
    st.year = r.year;
    $('#s-year', root).replaceChildren(
      ...view.years.map(
        (y) => html`<option value="${y}" ${y === r.year ? raw`selected` : ''}>${y}</option>`,
      ),
    );
    const districts = [
      '',
      ...new Set([...r.by_district.map((l) => l.key), ...(r.district ? [r.district] : [])]),
    ];
    $('#s-district', root).replaceChildren(
      ...districts.map(
        (d) =>
          html`<option value="${d}" ${d === (r.district ?? '') ? raw`selected` : ''}>${d || t('stats_all_districts')}</option>`,
      ),
    );
    if (r.activities === 0) {
      body.replaceChildren(html`<div class="card empty-state" id="s-empty">
        <h2>${t('stats_empty_title', { year: r.year })}</h2><p>${t('stats_empty_hint')}</p></div>`);
      return;
    }
    const sentence = getLang() === 'en' ? r.sentence_en : r.sentence;
    body.replaceChildren(html`
      <div class="stat-figures">
        ${figure('activities', r.activities, 'stats_unit_times')}
        ${figure('participations', r.participations, 'stats_unit_person_times')}
        ${figure('experts', r.experts, 'stats_unit_people')}
        ${figure('enterprises', r.enterprises, 'stats_unit_enterprises')}
        ${figure('people', r.people, 'stats_unit_people')}
      </div>
      <blockquote class="card stat-sentence" id="s-sentence">${sentence}</blockquote>
      ${
        r.suggestions
          ? raw`<p class="muted stat-note" id="s-suggestions">${t('stats_suggestions', { n: n(r.suggestions), a: n(r.adopted) })}</p>`
          : ''
      }
      <div class="stat-grid">
        <div class="card stat-card wide"><div class="card-title">${t('stats_by_district')}</div>
          <div class="stat-chart" id="c-district"></div>${table('t-district', t('stats_district'), r.by_district, true)}</div>
        <div class="card stat-card"><div class="card-title">${t('stats_by_kind')}</div>
          <div class="stat-chart" id="c-kind"></div>${table('t-kind', t('stats_kind'), r.by_kind)}</div>
        <div class="card stat-card"><div class="card-title">${t('stats_by_month')}</div>
          <div class="stat-chart" id="c-month"></div>${table('t-month', t('stats_month'), r.by_month)}</div>
      </div>
      ${r.district ? activities(r) : ''}
      ${
        r.left_out.length
          ? raw`<p class="muted stat-note">${t('stats_left_out', { n: r.left_out.length })}</p>`
          : ''
      }`);
    drawCharts(r);
  }

  const activities = (
    r,
  ) => raw`<div class="card" id="s-activities"><div class="card-title">${t('stats_activities_of', { district: r.district })}</div>
    <div class="table-wrap short"><table class="table compact"><thead><tr><th>${t('stats_date')}</th><th>${t('stats_name')}</th>
    <th>${t('stats_kind')}</th><th class="num">${t('stats_participations')}</th><th class="num">${t('stats_enterprises')}</th>
    <th class="num">${t('stats_people')}</th></tr></thead><tbody>${r.items.map(
      (
        a,
      ) => raw`<tr><td class="mono">${a.date}</td><td>${a.name}${a.source === 'event' ? raw` <span class="pill">${t('stats_from_app')}</span>` : ''}</td>
        <td>${a.kind}</td><td class="num">${n(a.participations)}</td><td class="num">${n(a.enterprises)}</td><td class="num">${n(a.people)}</td></tr>`,
    )}</tbody></table></div></div>`;

  async function load() {
    try {
      render(await api.yearReport(st.year, st.district || null));
    } catch (err) {
      toastError(err);
    }
  }

  function pickDistrict(d) {
    st.district = st.district === d ? '' : d;
    load();
  }

  async function save(format = 'xlsx') {
    const r = st.view?.report;
    if (!r) return;
    try {
      const pdf = format === 'pdf';
      const stem = getLang() === 'en' && pdf ? `report-${r.year}` : `${r.year}年度统计`;
      const name = `${stem}${r.district ? `_${r.district}` : ''}.${format}`;
      const path = await api.saveFile(
        t(pdf ? 'stats_save_pdf' : 'stats_save'),
        name,
        pdf ? [{ name: 'PDF', extensions: ['pdf'] }] : [{ name: 'Excel', extensions: ['xlsx'] }],
      );
      if (!path) return;
      await api.yearReportSave(r.year, r.district, path, getLang());
      toast(t('saved_to', { path }));
    } catch (err) {
      toastError(err);
    }
  }

  async function copy() {
    const text = $('#s-sentence', root)?.textContent ?? '';
    try {
      await navigator.clipboard.writeText(text);
      toast(t('stats_copied'));
    } catch {
      // Without clipboard access, select the sentence so that Ctrl+C copies it.
      const range = document.createRange();
      range.selectNodeContents($('#s-sentence', root));
      getSelection().removeAllRanges();
      getSelection().addRange(range);
    }
  }

  root.addEventListener('change', (e) => {
    if (e.target.id === 's-year') {
      st.year = Number(e.target.value);
      load();
    } else if (e.target.id === 's-district') {
      st.district = e.target.value;
      load();
    }
  });
  root.addEventListener('click', (e) => {
    const row = e.target.closest('tr.pick');
    if (row) return pickDistrict(row.dataset.district);
    const b = e.target.closest('button');
    if (b?.id === 's-save') save();
    else if (b?.id === 's-pdf') save('pdf');
    else if (b?.id === 's-copy') copy();
  });
  const onKey = (e) => {
    if (e.ctrlKey && e.key.toLowerCase() === 's') {
      e.preventDefault();
      save(e.shiftKey ? 'pdf' : 'xlsx');
    }
  };
  let resized = 0;
  const onResize = () => {
    cancelAnimationFrame(resized);
    resized = requestAnimationFrame(() => {
      if (st.view?.report.activities) drawCharts(st.view.report);
    });
  };
  document.addEventListener('keydown', onKey);
  window.addEventListener('resize', onResize);
  load();
  return () => {
    document.removeEventListener('keydown', onKey);
    window.removeEventListener('resize', onResize);
    cancelAnimationFrame(resized);
  };
}
