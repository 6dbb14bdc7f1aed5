// Asynchronous paths: AsyncEventEmitter (emit, emitLater), emitAsync, publishAsync, emitBatchAsync.
import { test, describe, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { AsyncEventEmitter, EventBus, EventEmitter, getEventBus, createEvent, setLogger } from 'codomyrmex-events';
import { captureLogger, noUnhandledRejection } from './support/logging.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function setup() {
  const bus = new EventBus();
  const events = [];
  bus.subscribe('*', (e) => { events.push(e); });
  return { bus, events };
}

beforeEach(() => setLogger(null));
afterEach(() => setLogger(null));

describe('AsyncEventEmitter construction', () => {
  test('default source is "async_emitter" on getEventBus()', async () => {
    const bus = getEventBus();
    const got = [];
    const id = bus.subscribe('async.default.source', (e) => got.push(e));
    try {
      await new AsyncEventEmitter().emit('async.default.source');
      assert.equal(got.length, 1);
      assert.equal(got[0].source, 'async_emitter');
    } finally {
      bus.unsubscribe(id);
    }
  });

  test('custom source and bus', async () => {
    const { bus, events } = setup();
    await new AsyncEventEmitter('jobs', bus).emit('job.done');
    assert.equal(events.length, 1);
    assert.equal(events[0].source, 'jobs');
  });

  test('argument checks', () => {
    assert.throws(() => new AsyncEventEmitter(5), TypeError);
    assert.throws(() => new AsyncEventEmitter(5), /source/);
    assert.throws(() => new AsyncEventEmitter(''), RangeError);
    assert.throws(() => new AsyncEventEmitter('s', {}), TypeError);
    assert.throws(() => new AsyncEventEmitter('s', {}), /bus/i);
  });
});

describe('AsyncEventEmitter#emit', () => {
  test('resolves after every handler promise settled; data and priority are kept', async () => {
    const { bus, events } = setup();
    let slowDone = false;
    bus.subscribe('*', async () => { await sleep(20); slowDone = true; });
    const data = { n: 1 };
    const p = new AsyncEventEmitter('a', bus).emit('x.y', data, 2);
    assert.ok(p instanceof Promise);
    assert.equal(await p, undefined);
    assert.equal(slowDone, true);
    assert.equal(events[0].eventType, 'x.y');
    assert.equal(events[0].data, data);
    assert.equal(events[0].priority, 2);
    assert.match(events[0].eventId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  test('omitted data and priority → {} and 0', async () => {
    const { bus, events } = setup();
    await new AsyncEventEmitter('a', bus).emit('x');
    assert.deepEqual(events[0].data, {});
    assert.equal(events[0].priority, 0);
  });

  test('invalid arguments → rejected promise, never a synchronous throw', async () => {
    const { bus, events } = setup();
    const em = new AsyncEventEmitter('a', bus);
    let p;
    assert.doesNotThrow(() => { p = em.emit(5); });
    await assert.rejects(p, TypeError);
    await assert.rejects(em.emit(5), /eventType/);
    await assert.rejects(em.emit(''), RangeError);
    await assert.rejects(em.emit('x', null), TypeError);
    await assert.rejects(em.emit('x', {}, 3), RangeError);
    await assert.rejects(em.emit('x', {}, 3), /priority/);
    await assert.rejects(em.emit('x', {}, 1.5), RangeError);
    await assert.rejects(em.emit('x', {}, '1'), TypeError);
    assert.equal(events.length, 0);
    await em.emit('ok');
    assert.equal(events.length, 1);
  });

  test('handler failures do not reject and never become unhandled', async () => {
    await noUnhandledRejection(async () => {
      const calls = captureLogger();
      const { bus } = setup();
      const boom = new Error('async handler');
      bus.subscribe('*', async () => { await sleep(5); throw boom; });
      await new AsyncEventEmitter('a', bus).emit('x');
      assert.equal(bus.getStats().eventsFailed, 1);
      assert.ok(calls.error.some(([, err]) => err === boom));
    });
  });
});

describe('emitLater', () => {
  test('publishes after the delay and resolves done to true', async () => {
    const { bus, events } = setup();
    const data = { later: true };
    const start = performance.now();
    const handle = new AsyncEventEmitter('a', bus).emitLater('later.evt', data, 30);
    assert.equal(typeof handle.cancel, 'function');
    assert.ok(handle.done instanceof Promise);
    assert.equal(events.length, 0);
    await sleep(5);
    assert.equal(events.length, 0);
    assert.equal(await handle.done, true);
    const elapsed = performance.now() - start;
    assert.ok(elapsed >= 25, `fired after ${elapsed} ms`);
    assert.equal(events.length, 1);
    assert.equal(events[0].eventType, 'later.evt');
    assert.equal(events[0].data, data);
    assert.equal(events[0].source, 'a');
  });

  test('default delay is 0 but the event is still not published synchronously', async () => {
    const { bus, events } = setup();
    const handle = new AsyncEventEmitter('a', bus).emitLater('soon');
    assert.equal(events.length, 0);
    assert.equal(await handle.done, true);
    assert.equal(events.length, 1);
    assert.deepEqual(events[0].data, {});
  });

  test('without delayMs the emit fires before one delayed 20 ms (the default is 0, not a longer delay)', async () => {
    const { bus, events } = setup();
    const em = new AsyncEventEmitter('a', bus);
    const later = em.emitLater('later', {}, 20);
    const soon = em.emitLater('soon');
    const alsoSoon = em.emitLater('also.soon', {}, undefined);
    assert.deepEqual(await Promise.all([later.done, soon.done, alsoSoon.done]), [true, true, true]);
    assert.deepEqual(events.map((e) => e.eventType), ['soon', 'also.soon', 'later']);
  });

  test('shorter delays fire first', async () => {
    const { bus, events } = setup();
    const em = new AsyncEventEmitter('a', bus);
    const slow = em.emitLater('slow', {}, 40);
    const fast = em.emitLater('fast', {}, 5);
    await Promise.all([slow.done, fast.done]);
    assert.deepEqual(events.map((e) => e.eventType), ['fast', 'slow']);
  });

  test('cancel before firing → true; done resolves false; nothing published', async () => {
    const { bus, events } = setup();
    const handle = new AsyncEventEmitter('a', bus).emitLater('never', {}, 20);
    assert.equal(handle.cancel(), true);
    assert.equal(await handle.done, false);
    await sleep(40);
    assert.equal(events.length, 0);
    assert.equal(bus.getStats().eventsPublished, 0);
    assert.equal(handle.cancel(), false);
  });

  test('cancel after firing → false; done stays true; a second cancel → false', async () => {
    const { bus, events } = setup();
    const handle = new AsyncEventEmitter('a', bus).emitLater('fired', {}, 1);
    assert.equal(await handle.done, true);
    assert.equal(handle.cancel(), false);
    assert.equal(handle.cancel(), false);
    assert.equal(await handle.done, true);
    assert.equal(events.length, 1);
  });

  test('cancelling one scheduled emit leaves the others alone', async () => {
    const { bus, events } = setup();
    const em = new AsyncEventEmitter('a', bus);
    const a = em.emitLater('a', {}, 10);
    const b = em.emitLater('b', {}, 10);
    assert.equal(a.cancel(), true);
    assert.deepEqual(await Promise.all([a.done, b.done]), [false, true]);
    assert.deepEqual(events.map((e) => e.eventType), ['b']);
  });

  test('a failing handler does not prevent done from resolving true', async () => {
    await noUnhandledRejection(async () => {
      captureLogger();
      const { bus } = setup();
      bus.subscribe('*', () => { throw new Error('sync'); });
      bus.subscribe('*', () => Promise.reject(new Error('async')));
      const handle = new AsyncEventEmitter('a', bus).emitLater('x', {}, 1);
      assert.equal(await handle.done, true);
      await sleep(5);
      assert.equal(bus.getStats().eventsFailed, 2);
    });
  });

  test('invalid arguments throw synchronously and schedule nothing', async () => {
    const { bus, events } = setup();
    const em = new AsyncEventEmitter('a', bus);
    for (const bad of [-1, NaN, Infinity, -Infinity]) {
      assert.throws(() => em.emitLater('x', {}, bad), RangeError, String(bad));
      assert.throws(() => em.emitLater('x', {}, bad), /delayMs/);
    }
    for (const bad of ['10', null, {}]) {
      assert.throws(() => em.emitLater('x', {}, bad), TypeError);
      assert.throws(() => em.emitLater('x', {}, bad), /delayMs/);
    }
    assert.throws(() => em.emitLater(5, {}, 1), TypeError);
    assert.throws(() => em.emitLater(5, {}, 1), /eventType/);
    assert.throws(() => em.emitLater('a b', {}, 1), RangeError);
    assert.throws(() => em.emitLater('x', 5, 1), TypeError);
    assert.throws(() => em.emitLater('x', 5, 1), /data/);
    await sleep(20);
    assert.equal(events.length, 0);
  });
});

describe('publishAsync / emitAsync / emitBatchAsync', () => {
  test('publishAsync with a slow and a failing handler resolves after both settle', async () => {
    await noUnhandledRejection(async () => {
      captureLogger();
      const { bus } = setup();
      const order = [];
      bus.subscribe('*', async () => { await sleep(25); order.push('slow'); });
      bus.subscribe('*', async () => { await sleep(5); order.push('fail'); throw new Error('x'); });
      await bus.publishAsync(createEvent('a', 's'));
      assert.deepEqual(order, ['fail', 'slow']);
      const s = bus.getStats();
      assert.equal(s.eventsProcessed, 2);
      assert.equal(s.eventsFailed, 1);
      assert.equal(s.deadLetterCount, 1);
    });
  });

  test('publishAsync rejects invalid arguments asynchronously', async () => {
    const bus = new EventBus();
    let p;
    assert.doesNotThrow(() => { p = bus.publishAsync(null); });
    await assert.rejects(p, TypeError);
  });

  test('emitAsync failures are isolated', async () => {
    await noUnhandledRejection(async () => {
      captureLogger();
      const { bus, events } = setup();
      bus.subscribe('*', () => Promise.reject(new Error('no')));
      await new EventEmitter('e', bus).emitAsync('x', { a: 1 });
      assert.equal(events.length, 1);
      assert.equal(bus.getStats().eventsFailed, 1);
    });
  });

  test('emitBatchAsync publishes every item and settles all, not blocked by one failure', async () => {
    await noUnhandledRejection(async () => {
      captureLogger();
      const { bus, events } = setup();
      const settled = [];
      bus.subscribe('b', async () => { await sleep(5); throw new Error('b failed'); });
      bus.subscribe('*', async (e) => { await sleep(15); settled.push(e.eventType); });
      const em = new EventEmitter('e', bus);
      const p = em.emitBatchAsync([
        { eventType: 'a', data: { n: 1 } },
        { eventType: 'b', priority: 1 },
        { eventType: 'c', correlationId: 'cc', metadata: { m: 1 } },
      ]);
      assert.ok(p instanceof Promise);
      assert.equal(await p, undefined);
      assert.deepEqual(events.map((e) => e.eventType), ['a', 'b', 'c']);
      assert.deepEqual(settled.sort(), ['a', 'b', 'c']);
      assert.deepEqual(events[0].data, { n: 1 });
      assert.equal(events[1].priority, 1);
      assert.equal(events[2].correlationId, 'cc');
      assert.deepEqual(events[2].metadata, { m: 1 });
      assert.equal(bus.getStats().eventsFailed, 1);
    });
  });

  test('emitBatchAsync with an invalid item rejects and publishes nothing', async () => {
    const { bus, events } = setup();
    const em = new EventEmitter('e', bus);
    let p;
    assert.doesNotThrow(() => { p = em.emitBatchAsync([{ eventType: 'ok' }, { eventType: '' }]); });
    await assert.rejects(p, RangeError);
    await assert.rejects(em.emitBatchAsync([{ eventType: 'ok' }, { eventType: 7 }]), /events\[1\]\.eventType/);
    await assert.rejects(em.emitBatchAsync('nope'), TypeError);
    assert.equal(events.length, 0);
    assert.equal(bus.getStats().eventsPublished, 0);
  });

  test('emitBatchAsync of an empty array resolves', async () => {
    const { bus } = setup();
    await new EventEmitter('e', bus).emitBatchAsync([]);
    assert.equal(bus.getStats().eventsPublished, 0);
  });
});
