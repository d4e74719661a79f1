// Small SVG charts for 统计: grouped bars, a donut and lines, drawn with DOM calls (every label
// is textContent, nothing is parsed as markup). They replace a 1.1 MB charting library that
// stayed in the web process (~27 MiB) after 统计 had been opened once; these cost what their
// few hundred elements cost, print as vectors and need nothing loaded.

import { groupDigits } from './numbers.js';

const SVG = 'http://www.w3.org/2000/svg';

function el(name, attrs = {}, text = null) {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== null) e.textContent = text;
  return e;
}

/** A hover label, as the system draws it: "徐汇区 · 服务活动 6". */
function tip(e, text) {
  e.append(el('title', {}, text));
  return e;
}

/** Round steps for an axis from 0 to at least `max`: 1, 2 or 5 times a power of ten. */
export function ticks(max, count = 5) {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? 10 * p;
  const out = [];
  for (let v = 0; v < max + step; v += step) out.push(Math.round(v * 1e6) / 1e6);
  return out;
}

const fmt = (v) => groupDigits(v);

/** About how wide a 12 px label is: CJK characters are square, Latin ones about half. */
const textWidth = (s) => [...s].reduce((w, c) => w + (c.codePointAt(0) > 0x2e80 ? 12 : 7), 0);

function frame(box) {
  const width = Math.max(240, Math.round(box.clientWidth || 600));
  const height = Math.max(160, Math.round(box.clientHeight || 260));
  const svg = el('svg', {
    class: 'chart',
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    role: 'img',
  });
  return { svg, width, height };
}

/** The series' swatches and names, right-aligned at `right`; call the returned function once
 * the chart is in the page, where its names can be measured. */
function legend(svg, right, series, colors) {
  const g = el('g', { class: 'chart-legend' });
  const items = series.map((s, i) => {
    const swatch = el('rect', {
      y: 3,
      width: 14,
      height: 10,
      rx: 2,
      fill: colors[i % colors.length],
    });
    const label = el('text', { y: 12, class: 'chart-label' }, s.name);
    g.append(swatch, label);
    return { swatch, label, guess: textWidth(s.name) };
  });
  svg.append(g);
  return () => {
    let x = right;
    for (const it of items.reverse()) {
      x -= it.label.getComputedTextLength?.() || it.guess;
      it.label.setAttribute('x', x);
      x -= 18;
      it.swatch.setAttribute('x', x);
      x -= 16;
    }
  };
}

/** The value axis and its grid lines, from `top` to `bottom`; returns the y of a value. */
function valueAxis(svg, { left, right, top, bottom, max }) {
  const steps = ticks(max);
  const top_ = steps[steps.length - 1];
  const y = (v) => bottom - (v / top_) * (bottom - top);
  for (const v of steps) {
    svg.append(el('line', { x1: left, x2: right, y1: y(v), y2: y(v), class: 'chart-grid' }));
    svg.append(
      el('text', { x: left - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'chart-axis' }, fmt(v)),
    );
  }
  return y;
}

/** A chart over categories: its frame, legend and value axis from 0 to the largest figure. */
function plot(box, series, colors, pad) {
  const { svg, width, height } = frame(box);
  const max = Math.max(0, ...series.flatMap((s) => s.values));
  // Room on the left for the longest figure of the axis (200,000 takes more than 25).
  const left = 12 + Math.max(...ticks(max).map((v) => textWidth(fmt(v))));
  const [right, top, bottom] = [width - pad, 30, height - 26];
  const place = legend(svg, right, series, colors);
  const y = valueAxis(svg, { left, right, top, bottom, max });
  return { svg, left, right, bottom, y, place };
}

/**
 * Bars side by side per category. `series`: [{name, values}]; `onPick(label)` is called with a
 * category's label when its bars are clicked.
 */
export function barChart(box, { labels, series, colors, onPick = null }) {
  const { svg, left, right, bottom, y, place } = plot(box, series, colors, 8);
  const band = (right - left) / Math.max(1, labels.length);
  const gap = Math.min(24, band * 0.2);
  // Bars stay bar-shaped when there are few categories: at most 56 px, the group centred.
  const bar = Math.min(56, Math.max(2, (band - 2 * gap) / series.length - 2));
  const group = series.length * (bar + 2) - 2;
  const every = Math.ceil((labels.length * 56) / (right - left)); // a label needs ~56 px
  labels.forEach((label, i) => {
    const g = el('g', { class: onPick ? 'chart-cat pick' : 'chart-cat', 'data-key': label });
    const x0 = left + i * band + (band - group) / 2;
    series.forEach((s, j) => {
      const v = s.values[i] ?? 0;
      const x = x0 + j * (bar + 2);
      const h = Math.max(v > 0 ? 1 : 0, bottom - y(v));
      g.append(
        tip(
          el('rect', {
            x,
            y: bottom - h,
            width: bar,
            height: h,
            rx: 2,
            fill: colors[j % colors.length],
          }),
          `${label} · ${s.name} ${fmt(v)}`,
        ),
      );
      if (bar >= 16 && v > 0) {
        g.append(
          el(
            'text',
            { x: x + bar / 2, y: bottom - h - 4, 'text-anchor': 'middle', class: 'chart-value' },
            fmt(v),
          ),
        );
      }
    });
    if (i % every === 0) {
      g.append(
        el(
          'text',
          {
            x: left + i * band + band / 2,
            y: bottom + 17,
            'text-anchor': 'middle',
            class: 'chart-axis',
          },
          label,
        ),
      );
    }
    if (onPick) g.addEventListener('click', () => onPick(label));
    svg.append(g);
  });
  svg.append(el('line', { x1: left, x2: right, y1: bottom, y2: bottom, class: 'chart-base' }));
  box.replaceChildren(svg);
  place();
  return svg;
}

/** Lines over the categories (months): one per series, each point marked. */
export function lineChart(box, { labels, series, colors }) {
  const { svg, left, right, bottom, y, place } = plot(box, series, colors, 12);
  const step = (right - left) / Math.max(1, labels.length);
  const x = (i) => left + step * i + step / 2;
  const every = Math.ceil((labels.length * 40) / (right - left));
  labels.forEach((label, i) => {
    if (i % every === 0) {
      svg.append(
        el(
          'text',
          { x: x(i), y: bottom + 17, 'text-anchor': 'middle', class: 'chart-axis' },
          label,
        ),
      );
    }
  });
  svg.append(el('line', { x1: left, x2: right, y1: bottom, y2: bottom, class: 'chart-base' }));
  series.forEach((s, j) => {
    const color = colors[j % colors.length];
    const points = s.values.map((v, i) => `${x(i).toFixed(1)},${y(v ?? 0).toFixed(1)}`);
    svg.append(
      el('polyline', {
        points: points.join(' '),
        fill: 'none',
        stroke: color,
        'stroke-width': 2.5,
        'stroke-linejoin': 'round',
      }),
    );
    s.values.forEach((v, i) => {
      svg.append(
        tip(
          el('circle', {
            cx: x(i),
            cy: y(v ?? 0),
            r: 4,
            fill: '#fff',
            stroke: color,
            'stroke-width': 2,
          }),
          `${labels[i]} · ${s.name} ${fmt(v)}`,
        ),
      );
    });
  });
  box.replaceChildren(svg);
  place();
  return svg;
}

/** A donut of shares with its legend beside it: `items` [{name, value}]. */
export function donutChart(box, { items, colors, unit = '' }) {
  const { svg, width, height } = frame(box);
  const total = items.reduce((a, b) => a + (b.value ?? 0), 0);
  const r = Math.min(height / 2 - 12, width * 0.22);
  const [cx, cy] = [r + 16, height / 2];
  const inner = r * 0.58;
  let angle = -Math.PI / 2;
  const point = (a, rad) =>
    `${(cx + rad * Math.cos(a)).toFixed(2)} ${(cy + rad * Math.sin(a)).toFixed(2)}`;
  items.forEach((it, i) => {
    const share = total > 0 ? (it.value ?? 0) / total : 0;
    if (share <= 0) return;
    const color = colors[i % colors.length];
    const label = `${it.name} ${fmt(it.value)}${unit}（${Math.round(share * 100)}%）`;
    if (share >= 0.9999) {
      svg.append(
        tip(
          el('circle', {
            cx,
            cy,
            r: (r + inner) / 2,
            fill: 'none',
            stroke: color,
            'stroke-width': r - inner,
          }),
          label,
        ),
      );
      return;
    }
    const end = angle + share * 2 * Math.PI;
    const large = share > 0.5 ? 1 : 0;
    const d = `M ${point(angle, r)} A ${r} ${r} 0 ${large} 1 ${point(end, r)} L ${point(end, inner)} A ${inner} ${inner} 0 ${large} 0 ${point(angle, inner)} Z`;
    svg.append(tip(el('path', { d, fill: color, stroke: '#fff', 'stroke-width': 1.5 }), label));
    angle = end;
  });
  svg.append(
    el('text', { x: cx, y: cy + 8, 'text-anchor': 'middle', class: 'chart-total' }, fmt(total)),
  );
  const lx = cx + r + 28;
  const row = Math.min(26, (height - 16) / Math.max(1, items.length));
  const y0 = cy - (row * items.length) / 2 + row / 2;
  items.forEach((it, i) => {
    const ly = y0 + i * row;
    svg.append(
      el('rect', {
        x: lx,
        y: ly - 6,
        width: 12,
        height: 12,
        rx: 2,
        fill: colors[i % colors.length],
      }),
    );
    svg.append(
      el('text', { x: lx + 18, y: ly + 5, class: 'chart-label' }, `${it.name}  ${fmt(it.value)}`),
    );
  });
  box.replaceChildren(svg);
  return svg;
}
