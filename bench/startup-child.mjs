// One start-up measurement, in a fresh process: from just before the import
// of the library to the end of the first emit delivered to a subscriber.
// Prints {"importToEmitMs": …, "processToEmitMs": …} on stdout.
// Usage: node bench/startup-child.mjs ours|eventemitter2|node:events
const t0 = performance.now();
const which = process.argv[2];
let received = 0;
if (which === 'ours') {
  const lib = await import(new URL('../pkg/node/index.mjs', import.meta.url));
  const bus = new lib.EventBus();
  bus.subscribe('app.ready', (e) => {
    received += e.eventId.length === 36 ? 1 : 0;
  });
  new lib.EventEmitter('bench', bus).emit('app.ready', { ok: true }, { metadata: { attempt: 1 } });
} else if (which === 'eventemitter2' || which === 'node:events') {
  // The same contract: the JS-built event (node:crypto's randomUUID included).
  const { makeEvent } = await import('./lib/contract.mjs');
  let ee;
  if (which === 'eventemitter2') {
    const { EventEmitter2 } = (await import('eventemitter2')).default;
    ee = new EventEmitter2({ wildcard: true, delimiter: '.' });
  } else {
    const { EventEmitter } = await import('node:events');
    ee = new EventEmitter();
  }
  ee.on('app.ready', (e) => {
    received += e.eventId.length === 36 ? 1 : 0;
  });
  ee.emit('app.ready', makeEvent('app.ready', 'bench', { ok: true }, { metadata: { attempt: 1 } }, {}, null));
} else {
  throw new Error(`unknown contender ${which}`);
}
const t1 = performance.now();
if (received !== 1) throw new Error(`${which}: the first emit reached ${received} handlers, expected 1`);
// performance.now() counts from the start of this process.
process.stdout.write(`${JSON.stringify({ importToEmitMs: t1 - t0, processToEmitMs: t1 })}\n`);
