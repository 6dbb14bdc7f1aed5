// Handler failures of every kind are isolated: a sync throw, a rejected
// promise, a thrown or rejected non-Error value. Other handlers still run,
// eventsFailed counts the failure, the logger gets it, the dead-letter queue
// keeps the event within its bound, nothing propagates to the emitting code
// and no unhandledRejection / uncaughtException ever reaches the process.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  AsyncEventEmitter, EventBus, EventEmitter, createEvent, emitEvent, getEventBus, setLogger,
} from 'codomyrmex-events';
import { guardEachTest, macrotasks } from './support/robustness.mjs';

const guarded = guardEachTest({ record: true });

const proxyThatThrows = () => new Proxy({}, new Proxy({}, { get: () => () => { throw new Error('trap'); } }));
const SYMBOL = Symbol('thrown');

/**
 * Every way a handler can fail: [name, make()] where make() returns
 * { handler, value } — value is what the logger must receive (undefined: not checked by identity).
 */
const FAILURES = [
  ['throws an Error', () => { const v = new Error('sync'); return { handler: () => { throw v; }, value: v }; }],
  ['throws a TypeError from a bad access', () => ({ handler: (e) => e.data.missing.deeper, value: undefined })],
  ['throws a string', () => ({ handler: () => { throw 'a string'; }, value: 'a string' })],
  ['throws undefined', () => ({ handler: () => { throw undefined; }, value: undefined, undef: true })],
  ['throws null', () => ({ handler: () => { throw null; }, value: null })],
  ['throws a plain object', () => { const v = { code: 7 }; return { handler: () => { throw v; }, value: v }; }],
  ['throws a symbol', () => ({ handler: () => { throw SYMBOL; }, value: SYMBOL })],
  ['throws a null-prototype object', () => { const v = Object.create(null); return { handler: () => { throw v; }, value: v }; }],
  ['throws a proxy whose every trap throws', () => { const v = proxyThatThrows(); return { handler: () => { throw v; }, value: v }; }],
  ['returns a promise rejected with an Error', () => { const v = new Error('async'); return { handler: () => Promise.reject(v), value: v }; }],
  ['returns a promise rejected with undefined', () => ({ handler: () => Promise.reject(undefined), value: undefined, undef: true })],
  ['returns a promise rejected with a string', () => ({ handler: () => Promise.reject('nope'), value: 'nope' })],
  ['returns a promise rejected with a symbol', () => ({ handler: () => Promise.reject(SYMBOL), value: SYMBOL })],
  ['is an async function that throws', () => { const v = new RangeError('async throw'); return { handler: async () => { throw v; }, value: v }; }],
  ['rejects after a few macrotasks', () => {
    const v = new Error('late');
    return { handler: async () => { await macrotasks(2); throw v; }, value: v };
  }],
  ['returns a thenable that rejects', () => {
    const v = new Error('thenable');
    return { handler: () => ({ then(_resolve, reject) { reject(v); } }), value: v };
  }],
  ['returns a thenable whose then() throws', () => {
    const v = new Error('then threw');
    return { handler: () => ({ then() { throw v; } }), value: v };
  }],
  ['is a class constructor (cannot be called)', () => ({ handler: class Handler {}, value: undefined })],
  ['is a proxy of a function whose every trap throws', () => ({
    handler: new Proxy(() => {}, new Proxy({}, { get: () => () => { throw new Error('apply trap'); } })),
    value: undefined,
  })],
  // A real promise may carry its own `then` or `constructor`; reading or calling
  // them is the handler's failure too, never the emitting code's.
  ['returns a promise whose own then() throws', () => {
    const v = new Error('own then');
    return { handler: () => Object.assign(Promise.resolve(), { then() { throw v; } }), value: v };
  }],
  ['returns a promise whose constructor getter throws', () => {
    const v = new Error('constructor getter');
    return {
      handler: () => Object.defineProperty(Promise.resolve(), 'constructor', { get() { throw v; } }),
      value: v,
    };
  }],
];

/** The entry points that dispatch: each publishes one event of type `type` on `bus`; may return a promise. */
const ENTRY_POINTS = [
  ['bus.publish', (bus, type) => bus.publish(createEvent(type, 'src'))],
  ['bus.publishAsync', (bus, type) => bus.publishAsync(createEvent(type, 'src'))],
  ['emitter.emit', (bus, type) => new EventEmitter('src', bus).emit(type, { k: 1 })],
  ['emitter.emitAsync', (bus, type) => new EventEmitter('src', bus).emitAsync(type, { k: 1 })],
  ['emitter.emitBatch', (bus, type) => new EventEmitter('src', bus).emitBatch([{ eventType: type }])],
  ['emitter.emitBatchAsync', (bus, type) => new EventEmitter('src', bus).emitBatchAsync([{ eventType: type }])],
  ['asyncEmitter.emit', (bus, type) => new AsyncEventEmitter('src', bus).emit(type, {}, 1)],
  ['asyncEmitter.emitLater', (bus, type) => new AsyncEventEmitter('src', bus).emitLater(type, {}, 0).done],
];

/** Waits until the bus has accounted for `n` handler results (processed + failed), then a few more turns. */
async function accounted(bus, n) {
  for (let i = 0; i < 50; i++) {
    const s = bus.getStats();
    if (s.eventsProcessed + s.eventsFailed >= n) break;
    await macrotasks(1);
  }
  await macrotasks(2);
}

describe('each kind of failure, through each entry point', () => {
  for (const [failure, make] of FAILURES) {
    test(`a handler that ${failure}`, async () => {
      for (const [entry, dispatch] of ENTRY_POINTS) {
        guarded.log.calls.error.length = 0;
        const bus = new EventBus();
        const ran = [];
        const { handler, value, undef } = make();
        bus.subscribe('f.x', () => { ran.push('before'); }, { priority: 5, subscriberId: 'before' });
        bus.subscribe('f.*', handler, { subscriberId: 'failing' });
        bus.subscribe('f.x', () => { ran.push('after'); }, { priority: -5, subscriberId: 'after' });
        let result;
        assert.doesNotThrow(() => { result = dispatch(bus, 'f.x'); }, `${entry}: the failure must not reach the caller`);
        if (result !== undefined) {
          assert.equal(typeof result.then, 'function', `${entry} returns a promise`);
          await assert.doesNotReject(Promise.resolve(result), `${entry}: its promise must not reject`);
        }
        await accounted(bus, 3);
        const where = `${entry}, handler ${failure}`;
        assert.deepEqual(ran, ['before', 'after'], `${where}: the other handlers ran`);
        const s = bus.getStats();
        assert.equal(s.eventsFailed, 1, `${where}: eventsFailed`);
        assert.equal(s.eventsProcessed, 2, `${where}: eventsProcessed`);
        assert.equal(s.deadLetterCount, 1, `${where}: deadLetterCount`);
        const [dead] = bus.deadLetterQueue;
        assert.equal(dead.eventType, 'f.x', `${where}: the dead letter is the event`);
        assert.ok(Object.isFrozen(dead), `${where}: the dead letter is the frozen event`);
        assert.equal(guarded.log.calls.error.length, 1, `${where}: logged once`);
        const [message, logged] = guarded.log.calls.error[0];
        assert.equal(typeof message, 'string');
        assert.match(message, /failing/, `${where}: the message names the subscriber`);
        assert.match(message, /f\.x/, `${where}: the message names the event type`);
        if (value !== undefined || undef) assert.equal(logged, value, `${where}: the logger gets the thrown value itself`);
        // The bus keeps working after the failure.
        bus.unsubscribe('failing');
        dispatch(bus, 'f.x');
        await accounted(bus, 5);
        assert.equal(bus.getStats().eventsProcessed, 4, `${where}: the bus still dispatches`);
      }
    });
  }
});

describe('failures elsewhere in the dispatch', () => {
  test('a filter that throws (any value) is a failure of its subscription only', () => {
    const bus = new EventBus();
    const emitter = new EventEmitter('src', bus);
    const ran = [];
    const thrown = [new Error('filter'), 'text', undefined, SYMBOL, proxyThatThrows()];
    for (const [i, v] of thrown.entries()) {
      bus.subscribe('x', () => { ran.push(`never ${i}`); }, { filter: () => { throw v; }, subscriberId: `filter${i}` });
    }
    bus.subscribe('x', () => { ran.push('ok'); });
    emitter.emit('x');
    assert.deepEqual(ran, ['ok']);
    const s = bus.getStats();
    assert.equal(s.eventsFailed, thrown.length);
    assert.equal(s.deadLetterCount, thrown.length);
    assert.deepEqual(guarded.log.calls.error.map(([, e]) => e), thrown);
  });

  // Filters are synchronous: one that returns a promise (an async filter) has
  // not answered. Its rejection must not escape to the process, and a filter
  // that fails is a failure of its subscription: counted, logged, handler skipped.
  test('a filter that returns a rejected promise: no unhandledRejection, counted as a failure', async () => {
    const bus = new EventBus();
    const emitter = new EventEmitter('src', bus);
    const ran = [];
    bus.subscribe('x', () => { ran.push('filtered'); }, { filter: async () => { throw new Error('async filter'); } });
    bus.subscribe('x', () => { ran.push('other'); });
    emitter.emit('x');
    await emitter.emitAsync('x');
    await macrotasks(3);
    assert.deepEqual(ran, ['other', 'other'], 'the handler behind a failing filter does not run');
    assert.equal(bus.getStats().eventsFailed, 2);
    assert.equal(guarded.log.calls.error.length, 2);
    // afterEach asserts that no unhandledRejection reached the process.
  });

  test('operation, error, metric and alert events: failing handlers are isolated the same way', async () => {
    const bus = new EventBus();
    const emitter = new EventEmitter('src', bus);
    let ok = 0;
    bus.subscribe('*', () => { throw new Error('sync'); }, { priority: 2 });
    bus.subscribe('*', async () => { throw 'async'; }, { priority: 1 });
    bus.subscribe('*', () => { ok++; });
    const id = emitter.startOperation('op');
    emitter.updateOperation(id, 'op', { progress: 1 });
    emitter.endOperation(id, 'op', { success: false, error: 'x' });
    emitter.emitError('E', 'message');
    emitter.emitMetric('m', 1);
    emitter.emitAlert('a', 'critical', 'message');
    await emitter.operation('ctx').run(async (ctx) => { ctx.update({ progress: 5 }); ctx.emit('inner'); });
    // 6 events from the emitter, 4 from the context (start, progress, inner, end).
    await accounted(bus, 3 * 10);
    assert.equal(ok, 10);
    assert.equal(bus.getStats().eventsFailed, 20);
    assert.equal(guarded.log.calls.error.length, 20);
  });

  test('the default bus: emitEvent and createEmitter are isolated too', async () => {
    const bus = getEventBus();
    const before = bus.getStats();
    let ok = 0;
    const a = bus.subscribe('robust.default', () => { throw new Error('default bus'); });
    const b = bus.subscribe('robust.default', () => Promise.reject(new Error('default bus async')));
    const c = bus.subscribe('robust.default', () => { ok++; });
    try {
      emitEvent('robust.default', 'src', { k: 1 });
      await accounted(bus, before.eventsProcessed + before.eventsFailed + 3);
      assert.equal(ok, 1);
      assert.equal(bus.getStats().eventsFailed - before.eventsFailed, 2);
    } finally {
      for (const id of [a, b, c]) bus.unsubscribe(id);
    }
  });

  test('a fire-and-forget emitAsync whose handlers reject: no unhandledRejection', async () => {
    const bus = new EventBus();
    const emitter = new EventEmitter('src', bus);
    bus.subscribe('x', () => Promise.reject(new Error('nobody awaits this')));
    bus.subscribe('x', async () => { throw undefined; });
    for (let i = 0; i < 50; i++) {
      emitter.emitAsync('x');
      emitter.emitBatchAsync([{ eventType: 'x' }, { eventType: 'x' }]);
      bus.publishAsync(createEvent('x', 'src'));
    }
    await accounted(bus, 2 * 200);
    assert.equal(bus.getStats().eventsFailed, 400);
    // afterEach asserts that nothing reached the process.
  });
});

describe('the logger', () => {
  const LOGGERS = [
    ['null (silenced)', () => null],
    ['an empty object', () => ({})],
    ['error is not a function', () => ({ error: 42 })],
    ['error throws', () => ({ error() { throw new Error('logger broke'); } })],
    ['error throws a non-Error', () => ({ error() { throw SYMBOL; } })],
    ['error getter throws', () => ({ get error() { throw new Error('getter'); } })],
    ['a proxy whose every trap throws', () => proxyThatThrows()],
    ['error re-enters the bus', () => {
      let depth = 0;
      return {
        error() {
          if (depth++ < 3) new EventEmitter('logger', current).emit('fail.again');
        },
      };
    }],
  ];
  let current;

  for (const [name, make] of LOGGERS) {
    test(`a logger that is ${name}: failures are still isolated and counted`, async () => {
      const bus = new EventBus({ deadLetterLimit: 3 });
      current = bus;
      setLogger(make());
      let ok = 0;
      bus.subscribe('fail.*', () => { throw new Error('handler'); });
      bus.subscribe('fail.*', () => Promise.reject(new Error('handler async')));
      bus.subscribe('fail.*', () => { ok++; });
      const emitter = new EventEmitter('src', bus);
      assert.doesNotThrow(() => emitter.emit('fail.now'));
      await assert.doesNotReject(emitter.emitAsync('fail.now'));
      await accounted(bus, 6);
      assert.ok(ok >= 2);
      const s = bus.getStats();
      assert.equal(s.eventsFailed, 2 * ok, 'two failures per event');
      assert.equal(s.eventsProcessed, ok);
      assert.equal(s.deadLetterCount, Math.min(3, 2 * ok));
      guarded.log.install();
    });
  }

  test('setLogger refuses what is not an object or null, and keeps the logger it had', () => {
    const bus = new EventBus();
    bus.subscribe('x', () => { throw new Error('h'); });
    for (const bad of [undefined, 1, 'console', true, SYMBOL, 10n, () => {}]) {
      assert.throws(() => setLogger(bad), (e) => e.constructor === TypeError && /logger/.test(e.message), String(typeof bad));
    }
    new EventEmitter('src', bus).emit('x');
    assert.equal(guarded.log.calls.error.length, 1, 'the recording logger is still in place');
  });
});

describe('the dead-letter queue stays within its bound', () => {
  for (const limit of [0, 1, 5, 1000]) {
    test(`deadLetterLimit ${limit}: sync and async failures, oldest dropped first`, async () => {
      const bus = new EventBus({ deadLetterLimit: limit });
      const emitter = new EventEmitter('src', bus);
      bus.subscribe('d.sync', () => { throw new Error('sync'); });
      bus.subscribe('d.async', () => Promise.reject(new Error('async')));
      const total = 1200;
      for (let i = 0; i < total; i++) emitter.emit(i % 2 ? 'd.async' : 'd.sync', { i });
      await accounted(bus, total);
      const s = bus.getStats();
      assert.equal(s.eventsFailed, total);
      const kept = Math.min(limit, total);
      assert.equal(s.deadLetterCount, kept);
      const queue = bus.deadLetterQueue;
      assert.equal(queue.length, kept);
      // Oldest first. Sync failures are recorded at once (even i), async ones
      // when their promises settle, after the loop (odd i): the queue holds the
      // last `kept` of that order.
      const recorded = [];
      for (let i = 0; i < total; i += 2) recorded.push(i);
      for (let i = 1; i < total; i += 2) recorded.push(i);
      assert.deepEqual(queue.map((e) => e.data.i), recorded.slice(total - kept));
      // The queue is a copy: changing it changes nothing.
      queue.length = 0;
      assert.equal(bus.deadLetterQueue.length, kept);
      bus.resetStats();
      assert.equal(bus.getStats().deadLetterCount, kept, 'resetStats keeps the dead letters');
    });
  }
});
