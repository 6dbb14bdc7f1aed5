// A tour of codomyrmex-events in Node.js: `npm start` builds pkg/ and runs this.
// In your own project, import from 'codomyrmex-events' instead of the path.
import {
  AsyncEventEmitter,
  EventBus,
  EventEmitter,
  Priority,
} from '../pkg/node/index.mjs';

const bus = new EventBus();
const seen = [];
const record = (subscriber) => (event) => seen.push({ subscriber, event });

// Two subscribers: orders only (fnmatch pattern), and an audit log of everything.
bus.subscribe('order.*', record('orders'), { subscriberId: 'orders', priority: 1 });
bus.subscribe('*', record('audit'), { subscriberId: 'audit' });

const shop = new EventEmitter('shop', bus);
shop.emit('order.created', { order_id: 17, total: 42.5 });
shop.emit('order.paid', { order_id: 17 }, { priority: Priority.HIGH });
shop.emit('user.login', { user: 'ada' });

// An operation that succeeds: start, progress and end events share one correlation id.
await shop.operation('checkout', { order_id: 17 }).run(async (op) => {
  op.update({ progress: 50, status: 'charging card' });
  op.emit('order.shipped', { order_id: 17 });
});

// An operation that fails: the end event reports the error, and run() rethrows it.
try {
  shop.operation('refund', { order_id: 9 }).run(() => {
    throw new Error('payment provider unavailable');
  });
} catch (error) {
  console.log(`refund failed as expected: ${error.message}\n`);
}

// A delayed event, through the host's timer.
const scheduler = new AsyncEventEmitter('scheduler', bus);
const reminder = scheduler.emitLater('order.reminder', { order_id: 17 }, 50);
const fired = await reminder.done;

// What the subscribers saw, one line per delivery.
// Data as JSON: numbers to 4 decimals, correlation_id left to its own column.
function brief(data) {
  return JSON.stringify(data, (key, v) => {
    if (key === 'correlation_id') return undefined;
    return typeof v === 'number' ? Math.round(v * 1e4) / 1e4 : v;
  });
}
console.log('What the subscribers saw:\n');
const columns = [
  ['subscriber', (s) => s.subscriber],
  ['event type', (s) => s.event.eventType],
  ['source', (s) => s.event.source],
  ['prio', (s) => String(s.event.priority)],
  ['correlation', (s) => (s.event.correlationId ? `${s.event.correlationId.slice(0, 8)}…` : '-')],
  ['data', (s) => brief(s.event.data)],
];
const rows = seen.map((s) => columns.map(([, cell]) => cell(s)));
const widths = columns.map(([title], i) => Math.max(title.length, ...rows.map((r) => r[i].length)));
const line = (cells) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
console.log(line(columns.map(([title]) => title)));
console.log(line(widths.map((w) => '-'.repeat(w))));
for (const row of rows) console.log(line(row));

const stats = bus.getStats();
console.log(`\nreminder fired: ${fired}; published ${stats.eventsPublished}, ` +
  `processed ${stats.eventsProcessed}, failed ${stats.eventsFailed}`);
