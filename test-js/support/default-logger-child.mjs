// Run in a fresh process, before anything calls setLogger: failures inside
// the bus and emitters must reach console.error by default. Prints a JSON report.
import { EventBus, EventEmitter, createEvent } from 'codomyrmex-events';

const received = [];
console.error = (...args) => { received.push(args); };

const bus = new EventBus();
const sync = new Error('sync failure');
const async = new Error('async failure');
bus.subscribe('sync.*', () => { throw sync; });
bus.subscribe('async.*', () => Promise.reject(async));
bus.publish(createEvent('sync.publish', 's'));
new EventEmitter('e', bus).emit('sync.emit');
await bus.publishAsync(createEvent('async.publish', 's'));

process.stdout.write(JSON.stringify({
  calls: received.length,
  sync: received.filter((args) => args.includes(sync)).length,
  async: received.filter((args) => args.includes(async)).length,
  messages: received.map((args) => typeof args[0]),
}) + '\n');
