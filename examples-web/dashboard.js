// The live event dashboard: every control calls the codomyrmex-events package
// (the `./web` entry, served at /pkg/), and every panel is fed by real
// subscriptions on one EventBus. app.js loads and initialises the package first.
import { EventBus, EventEmitter, AsyncEventEmitter, EventType, Priority, setLogger } from '/pkg/web/index.js';
import { Timeline, isOperationEvent } from './timeline.js';
import { MetricChart } from './chart.js';
import { errorText, setStatus } from './status.js';

const $ = (id) => document.getElementById(id);

// ---------------------------------------------------------------- the bus
const bus = new EventBus({ deadLetterLimit: 100 });
const emitter = new EventEmitter('dashboard', bus);
const scheduler = new AsyncEventEmitter('dashboard.scheduler', bus);
const PRIORITY_NAMES = Object.fromEntries(Object.entries(Priority).map(([k, v]) => [v, k]));

// Handler failures are reported through the package's logger: show them here.
const busLog = $('bus-log');
function log(level, message, detail) {
  const li = document.createElement('li');
  li.className = level;
  const time = document.createElement('time');
  time.textContent = clock(Date.now());
  li.append(time, ` ${message}${detail === undefined ? '' : ` — ${errorText(detail)}`}`);
  busLog.prepend(li);
  while (busLog.children.length > 30) busLog.lastChild.remove();
}
setLogger({
  debug: () => {},
  info: (m, d) => log('info', m, d),
  warn: (m, d) => log('warn', m, d),
  error: (m, d) => log('error', m, d),
});

// ---------------------------------------------------------------- formatting
function clock(ms) {
  const d = new Date(ms);
  const pad = (n, w = 2) => String(n).padStart(w, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

function compactJSON(value) {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch (err) {
    return `(${errorText(err)})`;
  }
}

// ---------------------------------------------------------------- statistics
const statEls = {
  eventsPublished: $('stat-published'),
  eventsProcessed: $('stat-processed'),
  eventsFailed: $('stat-failed'),
  deadLetterCount: $('stat-dead'),
};
const subscribersList = $('subscribers');

function refreshStats() {
  const stats = bus.getStats();
  for (const [key, node] of Object.entries(statEls)) {
    node.textContent = String(stats[key]);
    node.classList.toggle('alarm', (key === 'eventsFailed' || key === 'deadLetterCount') && stats[key] > 0);
  }
  subscribersList.replaceChildren(...Object.entries(stats.subscribers).map(([id, s]) => {
    const li = document.createElement('li');
    li.dataset.subscriber = id;
    const code = document.createElement('code');
    code.textContent = s.eventPatterns.join(', ');
    li.append(`${id} `, code);
    return li;
  }));
}

// Handlers may run outside an action (delayed emits): refresh once they are done.
let statsQueued = false;
function queueStatsRefresh() {
  if (statsQueued) return;
  statsQueued = true;
  setTimeout(() => {
    statsQueued = false;
    refreshStats();
  }, 0);
}

// ---------------------------------------------------------------- actions
/**
 * Wraps a control's handler: runs it, shows its message (or the error it threw,
 * as `name: message`) in the status area, and refreshes the statistics.
 */
function action(label, fn) {
  return async (event) => {
    event?.preventDefault();
    try {
      const result = await fn(event);
      if (Array.isArray(result)) setStatus(...result);
      else if (typeof result === 'string') setStatus('ok', result);
    } catch (err) {
      setStatus('error', `${label} failed — ${errorText(err)}`);
    } finally {
      refreshStats();
    }
  };
}

/** The status for an emit: a disabled emitter publishes nothing, and says so. */
function emitted(what) {
  return emitter.enabled
    ? ['ok', `Emitted ${what}.`]
    : ['info', `The emitter is disabled: ${what} was not published.`];
}

function parseData(text) {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new SyntaxError(`data is not valid JSON (${err.message})`);
  }
}

// ---------------------------------------------------------------- event table
const tbody = $('events');
const emptyNote = $('events-empty');
const MAX_ROWS = 250;

function cell(text, className) {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

function addRow(e) {
  const tr = document.createElement('tr');
  tr.dataset.testid = 'event-row';
  tr.dataset.type = e.eventType;
  tr.dataset.priority = String(e.priority);
  tr.dataset.correlation = e.correlationId ?? '';
  tr.dataset.eventId = e.eventId;
  tr.className = `p${e.priority}`;
  const corr = cell(e.correlationId ? `${e.correlationId.slice(0, 8)}…` : '—', 'corr');
  if (e.correlationId) corr.title = e.correlationId;
  const json = compactJSON(e.data);
  const data = cell(json, 'data');
  data.title = json;
  const priority = cell(`${PRIORITY_NAMES[e.priority] ?? e.priority}`, 'prio');
  tr.append(cell(clock(e.timestamp), 'time'), cell(e.eventType, 'type'), cell(e.source, 'source'), priority, corr, data);
  tbody.prepend(tr);
  while (tbody.children.length > MAX_ROWS) tbody.lastChild.remove();
  emptyNote.hidden = true;
  queueStatsRefresh();
}

// The glob filter is a real subscription: a new pattern subscribes first (so an
// invalid one leaves the current subscription in place), then the old one goes.
let tableSubscription = null;
let filterSeq = 0;
function subscribeTable(pattern) {
  const id = bus.subscribe(pattern, addRow, { subscriberId: `dashboard.table.${++filterSeq}` });
  if (tableSubscription !== null) bus.unsubscribe(tableSubscription);
  tableSubscription = id;
  $('filter-active').textContent = pattern;
}

// ---------------------------------------------------------------- timeline and chart
const timeline = new Timeline($('timeline'));
bus.subscribe(EventType.CUSTOM, (e) => timeline.add(e), {
  subscriberId: 'dashboard.timeline', filter: isOperationEvent,
});

const chart = new MetricChart($('chart'), $('chart-legend'));
bus.subscribe(EventType.METRIC_UPDATE, (e) => {
  if (!chart.add(e.data.metric_name, e.data.metric_value)) {
    log('info', `metric ${e.data.metric_name} = ${compactJSON(e.data.metric_value)} is not a number: not charted`);
  }
}, { subscriberId: 'dashboard.chart' });

// ---------------------------------------------------------------- controls: event
const typeSelect = $('event-type');
const customType = $('custom-type');
const OTHER = '__other__';
for (const [name, value] of Object.entries(EventType)) {
  typeSelect.add(new Option(`${value}  (${name})`, value));
}
typeSelect.add(new Option('other type…', OTHER));
typeSelect.value = EventType.USER_ACTION;
typeSelect.addEventListener('change', () => {
  customType.disabled = typeSelect.value !== OTHER;
  if (!customType.disabled) customType.focus();
});
const prioritySelect = $('event-priority');
for (const [name, value] of Object.entries(Priority)) prioritySelect.add(new Option(`${name} (${value})`, String(value)));

$('event-form').addEventListener('submit', action('Emit event', () => {
  const type = typeSelect.value === OTHER ? customType.value : typeSelect.value;
  const data = parseData($('event-data').value);
  emitter.emit(type, data, { priority: Number(prioritySelect.value) });
  return emitted(`“${type}”`);
}));

// ---------------------------------------------------------------- controls: error, metric, alert
$('error-form').addEventListener('submit', action('Emit error', () => {
  emitter.emitError($('error-type').value, $('error-message').value, { context: { page: 'dashboard' } });
  return emitted(`error ${$('error-type').value}`);
}));

function metricValue(text) {
  const t = text.trim();
  if (t === '') return undefined; // the package says what it expects
  if (t === 'true' || t === 'false') return t === 'true';
  const n = Number(t);
  return Number.isNaN(n) ? t : n;
}

$('metric-form').addEventListener('submit', action('Emit metric', () => {
  const name = $('metric-name').value;
  const value = metricValue($('metric-value').value);
  emitter.emitMetric(name, value, { metricType: $('metric-type').value });
  return emitted(`metric ${name} = ${compactJSON(value)}`);
}));

for (const button of document.querySelectorAll('#alert-form button[data-level]')) {
  button.addEventListener('click', action(`Emit ${button.dataset.level} alert`, () => {
    emitter.emitAlert($('alert-name').value, button.dataset.level, $('alert-message').value);
    return emitted(`${button.dataset.level} alert ${$('alert-name').value}`);
  }));
}
$('alert-form').addEventListener('submit', (e) => e.preventDefault());

// ---------------------------------------------------------------- controls: operations
// The emitter keeps a stack of running operations (startOperation nests);
// the page mirrors it to know which one Update / End / Fail act on.
const running = [];
const runningList = $('running-ops');

function renderRunning() {
  runningList.replaceChildren(...running.map((op, i) => {
    const li = document.createElement('li');
    li.dataset.correlation = op.id;
    li.style.marginLeft = `${i * 12}px`;
    li.textContent = `${i > 0 ? '↳ ' : ''}${op.name} · ${op.id.slice(0, 8)}`;
    if (i === running.length - 1) li.className = 'current';
    return li;
  }));
}

function innermost() {
  const op = running.at(-1);
  if (!op) throw new Error('no operation is running: press Start first');
  return op;
}

$('operation-form').addEventListener('submit', action('Start operation', () => {
  const name = $('op-name').value;
  const parent = running.at(-1);
  const id = emitter.startOperation(name, { requested_by: 'dashboard' });
  running.push({ id, name });
  renderRunning();
  const [kind, text] = emitted(`the start of ${name}`);
  return [kind, `${text} Correlation id ${id}${parent ? `, nested in ${parent.name}` : ''}.`];
}));

$('op-update').addEventListener('click', action('Update operation', () => {
  const op = innermost();
  const progress = $('op-progress').valueAsNumber;
  emitter.updateOperation(op.id, op.name, { progress, status: 'running' });
  return emitted(`progress ${progress}% of ${op.name}`);
}));

function endOperation(success) {
  const op = innermost();
  const reason = $('op-error').value;
  emitter.endOperation(op.id, op.name, success
    ? { success: true, result: { finished_by: 'dashboard' } }
    : { success: false, error: reason });
  running.pop();
  renderRunning();
  return emitted(success ? `the end of ${op.name}` : `the failure of ${op.name} (${reason})`);
}
$('op-end').addEventListener('click', action('End operation', () => endOperation(true)));
$('op-fail').addEventListener('click', action('Fail operation', () => endOperation(false)));

// ---------------------------------------------------------------- controls: delayed emits
const pending = new Set();
const pendingList = $('pending-list');
let countdown = null;

// Only the countdown text changes while an emit is pending, so its Cancel
// button stays the same element under the pointer.
function updateCountdowns() {
  const now = performance.now();
  for (const p of pending) p.label.textContent = `${p.type} in ${Math.max(0, (p.due - now) / 1000).toFixed(1)} s`;
  if (pending.size > 0 && countdown === null) countdown = setInterval(updateCountdowns, 200);
  if (pending.size === 0 && countdown !== null) {
    clearInterval(countdown);
    countdown = null;
  }
}

function addPending(p) {
  const li = document.createElement('li');
  li.dataset.testid = 'pending-item';
  li.dataset.type = p.type;
  p.label = document.createElement('span');
  const cancel = document.createElement('button');
  cancel.type = 'button';
  cancel.className = 'quiet';
  cancel.dataset.testid = 'pending-cancel';
  cancel.textContent = 'Cancel';
  cancel.addEventListener('click', action('Cancel', () => cancelPending(p)));
  li.append(p.label, cancel);
  p.item = li;
  pending.add(p);
  pendingList.append(li);
  updateCountdowns();
}

function removePending(p) {
  pending.delete(p);
  p.item.remove();
  updateCountdowns();
}

function cancelPending(p) {
  return p.handle.cancel()
    ? ['ok', `Cancelled the delayed ${p.type}: it will not be published.`]
    : ['info', `The delayed ${p.type} had already fired.`];
}

$('schedule-form').addEventListener('submit', action('Schedule', () => {
  const type = $('later-type').value;
  const delay = $('later-delay').valueAsNumber;
  const handle = scheduler.emitLater(type, { delay_ms: delay }, delay);
  const p = { type, delay, due: performance.now() + delay, handle };
  addPending(p);
  handle.done.then((fired) => {
    removePending(p);
    refreshStats();
    if (fired) setStatus('ok', `The delayed ${type} fired after ${delay} ms.`);
  }, (err) => setStatus('error', `Delayed ${type} failed — ${errorText(err)}`));
  return `Scheduled ${type} in ${delay} ms.`;
}));

$('later-cancel-all').addEventListener('click', action('Cancel all', () => {
  let n = 0;
  for (const p of pending) if (p.handle.cancel()) n += 1;
  return n === 0 ? ['info', 'Nothing was pending.'] : `Cancelled ${n} delayed emit${n === 1 ? '' : 's'}.`;
}));

// ---------------------------------------------------------------- controls: emitter switch, bus, filter
const toggle = $('emitter-enabled');
const toggleState = $('emitter-state');
function renderToggle() {
  toggle.checked = emitter.enabled;
  toggleState.dataset.enabled = String(emitter.enabled);
  toggleState.innerHTML = `Emitter <code>dashboard</code> ${emitter.enabled ? 'enabled' : 'disabled'}`;
}
toggle.addEventListener('change', action('Switch the emitter', () => {
  if (toggle.checked) emitter.enable();
  else emitter.disable();
  renderToggle();
  return emitter.enabled ? 'Emitter enabled: emits are published.' : ['info', 'Emitter disabled: emits publish nothing.'];
}));

const FAILING_ID = 'dashboard.failing';
$('failing-subscriber').addEventListener('change', action('Failing subscriber', (e) => {
  if (e.target.checked) {
    bus.subscribe('*', (event) => {
      throw new Error(`this subscriber fails on purpose (${event.eventType})`);
    }, { subscriberId: FAILING_ID });
    return ['info', 'A subscriber that throws now receives every event.'];
  }
  bus.unsubscribe(FAILING_ID);
  return 'The failing subscriber is gone.';
}));

$('reset-stats').addEventListener('click', action('Reset statistics', () => {
  bus.resetStats();
  return 'Statistics reset.';
}));

$('filter-form').addEventListener('submit', action('Subscribe', () => {
  const pattern = $('filter-pattern').value;
  subscribeTable(pattern);
  return `The table now subscribes to “${pattern}”.`;
}));

$('clear-table').addEventListener('click', action('Clear', () => {
  tbody.replaceChildren();
  emptyNote.hidden = false;
  return 'Table cleared.';
}));

// ---------------------------------------------------------------- ready
subscribeTable('*');
renderToggle();
refreshStats();
for (const id of ['controls', 'emitter-enabled', 'filter-pattern', 'filter-apply']) $(id).disabled = false;
document.body.dataset.ready = 'true';
setStatus('ready', 'Ready: every panel below is fed by subscriptions on one EventBus.');
