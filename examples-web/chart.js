// A small live line chart of metric values: one SVG polyline per metric name,
// drawn by hand (no chart library).

const SVG = 'http://www.w3.org/2000/svg';
const COLORS = ['#2563eb', '#16a34a', '#d97706', '#9333ea', '#0891b2', '#db2777'];
const MAX_POINTS = 60; // the most recent values, over all series
const W = 640;
const H = 200;
const PAD = { left: 44, right: 12, top: 12, bottom: 22 };

function el(name, attrs = {}) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

function tickLabel(v) {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e6 || a < 1e-3) return v.toExponential(1);
  return String(Number(v.toPrecision(4)));
}

export class MetricChart {
  /** @param {SVGSVGElement} svg @param {HTMLElement} legend */
  constructor(svg, legend) {
    this.svg = svg;
    this.legend = legend;
    this.points = []; // { seq, name, value }
    this.seq = 0;
    this.colors = new Map();
    this.render();
  }

  /** Adds a value; returns false (and draws nothing) when it is not a finite number or a boolean. */
  add(name, value) {
    const v = typeof value === 'boolean' ? Number(value) : value;
    if (typeof v !== 'number' || !Number.isFinite(v)) return false;
    if (!this.colors.has(name)) this.colors.set(name, COLORS[this.colors.size % COLORS.length]);
    this.points.push({ seq: this.seq++, name, value: v });
    if (this.points.length > MAX_POINTS) this.points.shift();
    this.render();
    return true;
  }

  render() {
    const { svg, points } = this;
    svg.replaceChildren();
    svg.dataset.points = String(points.length);
    const plotW = W - PAD.left - PAD.right;
    const plotH = H - PAD.top - PAD.bottom;

    let lo = Math.min(...points.map((p) => p.value));
    let hi = Math.max(...points.map((p) => p.value));
    if (points.length === 0) [lo, hi] = [0, 1];
    if (lo === hi) [lo, hi] = [lo - 1, hi + 1];
    const first = points[0]?.seq ?? 0;
    const last = points.at(-1)?.seq ?? 1;
    const x = (seq) => PAD.left + (last === first ? plotW / 2 : ((seq - first) / (last - first)) * plotW);
    const y = (v) => PAD.top + (1 - (v - lo) / (hi - lo)) * plotH;

    // Grid and axis labels.
    for (const v of [lo, (lo + hi) / 2, hi]) {
      svg.append(el('line', { x1: PAD.left, x2: W - PAD.right, y1: y(v), y2: y(v), class: 'grid' }));
      const label = el('text', { x: PAD.left - 6, y: y(v) + 4, class: 'axis', 'text-anchor': 'end' });
      label.textContent = tickLabel(v);
      svg.append(label);
    }
    if (points.length === 0) {
      const t = el('text', { x: W / 2, y: H / 2, class: 'axis empty-chart', 'text-anchor': 'middle' });
      t.textContent = 'Emit a metric to draw it here';
      svg.append(t);
    }

    this.legend.replaceChildren();
    for (const [name, color] of this.colors) {
      const series = points.filter((p) => p.name === name);
      if (series.length === 0) continue;
      const coords = series.map((p) => `${x(p.seq).toFixed(1)},${y(p.value).toFixed(1)}`);
      svg.append(el('polyline', {
        points: coords.join(' '), stroke: color, class: 'series', 'data-testid': 'chart-line', 'data-name': name,
      }));
      for (const p of series) svg.append(el('circle', { cx: x(p.seq), cy: y(p.value), r: 3, fill: color }));

      const item = document.createElement('li');
      item.dataset.name = name;
      const swatch = document.createElement('span');
      swatch.className = 'swatch';
      swatch.style.background = color;
      item.append(swatch, `${name}: ${series.at(-1).value} (${series.length} point${series.length === 1 ? '' : 's'})`);
      this.legend.append(item);
    }
  }
}
