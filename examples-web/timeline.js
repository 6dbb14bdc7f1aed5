// The operation timeline: one bar per operation, built from the operation
// events on the bus (`custom` events whose data has `operation` and `phase`).
// Nested operations sit under their parent, found through the start event's
// `metadata.parent_correlation_id`.

const MAX_OPERATIONS = 16;

/** True for the start / progress / end events that EventEmitter's operation methods publish. */
export function isOperationEvent(event) {
  const d = event.data;
  return d !== null && typeof d === 'object' && typeof d.operation === 'string'
    && (d.phase === 'start' || d.phase === 'progress' || d.phase === 'end')
    && typeof event.correlationId === 'string';
}

export function formatDuration(ms) {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export class Timeline {
  /** @param {HTMLElement} container */
  constructor(container) {
    this.container = container;
    /** correlation id → { id, name, parent, start, end, success, error, marks: [{ t, progress }] } */
    this.ops = new Map();
    this.ticker = null;
  }

  /** Records one operation event (see isOperationEvent) and redraws. */
  add(event) {
    const { data, metadata, correlationId: id, timestamp: t } = event;
    if (data.phase === 'start') {
      const parent = typeof metadata?.parent_correlation_id === 'string' ? metadata.parent_correlation_id : null;
      this.ops.set(id, { id, name: data.operation, parent, start: t, end: null, success: null, error: null, marks: [] });
      this.trim();
    } else {
      const op = this.ops.get(id);
      if (!op) return; // its start happened before the page loaded, or was trimmed
      if (data.phase === 'progress') {
        op.marks.push({ t, progress: typeof data.progress === 'number' ? data.progress : null, status: data.status ?? null });
      } else {
        op.end = t;
        op.success = data.success !== false;
        op.error = typeof data.error === 'string' ? data.error : null;
      }
    }
    this.render();
  }

  // Keeps the most recent operations; finished ones go first.
  trim() {
    while (this.ops.size > MAX_OPERATIONS) {
      const oldest = [...this.ops.values()].find((op) => op.end !== null) ?? this.ops.values().next().value;
      this.ops.delete(oldest.id);
    }
  }

  // Parents before their children, siblings in start order.
  ordered() {
    const children = new Map();
    const roots = [];
    for (const op of this.ops.values()) {
      if (op.parent !== null && this.ops.has(op.parent)) {
        if (!children.has(op.parent)) children.set(op.parent, []);
        children.get(op.parent).push(op);
      } else {
        roots.push(op);
      }
    }
    const out = [];
    const visit = (op, depth) => {
      out.push({ op, depth });
      for (const child of children.get(op.id) ?? []) visit(child, depth + 1);
    };
    roots.forEach((op) => visit(op, 0));
    return out;
  }

  render() {
    const now = Date.now();
    const rows = this.ordered();
    this.container.replaceChildren();
    if (rows.length === 0) {
      const p = document.createElement('p');
      p.className = 'empty';
      p.textContent = 'No operations yet.';
      this.container.append(p);
      this.tick(false);
      return;
    }
    const t0 = Math.min(...rows.map(({ op }) => op.start));
    const t1 = Math.max(...rows.map(({ op }) => op.end ?? now), ...rows.flatMap(({ op }) => op.marks.map((m) => m.t)));
    const span = Math.max(t1 - t0, 1);
    const pct = (t) => `${(((t - t0) / span) * 100).toFixed(3)}%`;

    const axis = document.createElement('div');
    axis.className = 'tl-axis';
    axis.innerHTML = '<span>0</span><span></span>';
    axis.lastChild.textContent = formatDuration(span);
    this.container.append(axis);

    for (const { op, depth } of rows) {
      const state = op.end === null ? 'running' : op.success ? 'ok' : 'failed';
      const row = document.createElement('div');
      row.className = `tl-row ${state}`;
      row.dataset.testid = 'op-row';
      row.dataset.name = op.name;
      row.dataset.correlation = op.id;
      row.dataset.parent = op.parent ?? '';
      row.dataset.depth = String(depth);
      row.dataset.state = state;

      const label = document.createElement('div');
      label.className = 'tl-label';
      label.style.paddingLeft = `${depth * 14}px`;
      label.title = `${op.name}\ncorrelation id ${op.id}${op.parent ? `\nparent ${op.parent}` : ''}`;
      label.textContent = `${depth > 0 ? '↳ ' : ''}${op.name}`;

      const track = document.createElement('div');
      track.className = 'tl-track';
      const bar = document.createElement('div');
      bar.className = `tl-bar ${state}`;
      bar.dataset.testid = 'op-bar';
      bar.style.left = pct(op.start);
      bar.style.width = `max(3px, ${pct(t0 + ((op.end ?? now) - op.start))})`;
      bar.title = op.error ? `failed: ${op.error}` : state;
      track.append(bar);
      for (const mark of op.marks) {
        const m = document.createElement('div');
        m.className = 'tl-mark';
        m.dataset.testid = 'op-mark';
        m.style.left = pct(mark.t);
        const text = mark.progress !== null ? `${mark.progress}%` : mark.status ?? 'update';
        m.dataset.label = text;
        m.title = `progress ${text}`;
        track.append(m);
      }

      const duration = document.createElement('div');
      duration.className = 'tl-duration';
      duration.dataset.testid = 'op-duration';
      const elapsed = formatDuration((op.end ?? now) - op.start);
      duration.textContent = state === 'running' ? `running ${elapsed}` : state === 'failed' ? `${elapsed} ✗` : elapsed;
      if (op.error) duration.title = op.error;

      row.append(label, track, duration);
      if (op.error) {
        const reason = document.createElement('div');
        reason.className = 'tl-error';
        reason.textContent = op.error;
        reason.style.paddingLeft = `${depth * 14}px`;
        row.append(reason);
      }
      this.container.append(row);
    }
    this.tick(rows.some(({ op }) => op.end === null));
  }

  // Running bars grow with time: redraw a few times a second while any runs.
  tick(running) {
    if (running && this.ticker === null) {
      this.ticker = setInterval(() => this.render(), 250);
    } else if (!running && this.ticker !== null) {
      clearInterval(this.ticker);
      this.ticker = null;
    }
  }
}
