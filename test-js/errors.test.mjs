// Argument checking across the whole surface: the right error class, the argument named,
// nothing published after a refusal, and the object still usable.
import { test, describe, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import {
  AsyncEventEmitter, EventBus, EventEmitter, EventOperationContext,
  createEmitter, createEvent, emitEvent, eventFromJSON, eventToJSON, setLogger,
} from 'codomyrmex-events';

let bus;
let events;
let emitter;
let asyncEmitter;

beforeEach(() => {
  setLogger(null);
  bus = new EventBus();
  events = [];
  bus.subscribe('*', (e) => { events.push(e); });
  emitter = new EventEmitter('src', bus);
  asyncEmitter = new AsyncEventEmitter('async_src', bus);
});
afterEach(() => setLogger(null));

const h = () => {};

/** [description, call, error class, message pattern] — each must throw synchronously. */
const SYNC_CASES = [
  // createEvent
  ['createEvent eventType number', () => createEvent(1, 's'), TypeError, /eventType/],
  ['createEvent eventType empty', () => createEvent('', 's'), RangeError, /eventType/],
  ['createEvent eventType 257 chars', () => createEvent('x'.repeat(257), 's'), RangeError, /eventType/],
  ['createEvent eventType with space', () => createEvent('a b', 's'), RangeError, /eventType/],
  ['createEvent source missing', () => createEvent('a'), TypeError, /source/],
  ['createEvent source empty', () => createEvent('a', ''), RangeError, /source/],
  ['createEvent options string', () => createEvent('a', 's', 'o'), TypeError, /options/],
  ['createEvent data null', () => createEvent('a', 's', { data: null }), TypeError, /data/],
  ['createEvent metadata number', () => createEvent('a', 's', { metadata: 1 }), TypeError, /metadata/],
  ['createEvent priority string', () => createEvent('a', 's', { priority: '0' }), TypeError, /priority/],
  ['createEvent priority NaN', () => createEvent('a', 's', { priority: NaN }), RangeError, /priority/],
  ['createEvent priority 1.5', () => createEvent('a', 's', { priority: 1.5 }), RangeError, /priority/],
  ['createEvent priority 3', () => createEvent('a', 's', { priority: 3 }), RangeError, /priority/],
  ['createEvent priority -1', () => createEvent('a', 's', { priority: -1 }), RangeError, /priority/],
  ['createEvent eventId number', () => createEvent('a', 's', { eventId: 1 }), TypeError, /eventId/],
  ['createEvent timestamp string', () => createEvent('a', 's', { timestamp: 'now' }), TypeError, /timestamp/],
  ['createEvent timestamp negative', () => createEvent('a', 's', { timestamp: -5 }), RangeError, /timestamp/],
  ['createEvent correlationId number', () => createEvent('a', 's', { correlationId: 1 }), TypeError, /correlationId/],

  // wire
  ['eventToJSON number', () => eventToJSON(1), TypeError, /event/],
  ['eventFromJSON number', () => eventFromJSON(1), TypeError, /json/i],
  ['eventFromJSON garbage', () => eventFromJSON('{'), SyntaxError, /./],
  ['eventFromJSON wrong event_type', () => eventFromJSON('{"event_type": 1, "source": "s"}'), TypeError, /event_type/],
  ['eventFromJSON too long', () => eventFromJSON(' '.repeat(1048577)), RangeError, /./],

  // EventBus
  ['EventBus options number', () => new EventBus(1), TypeError, /options/],
  ['EventBus deadLetterLimit -1', () => new EventBus({ deadLetterLimit: -1 }), RangeError, /deadLetterLimit/],
  ['EventBus deadLetterLimit 2.5', () => new EventBus({ deadLetterLimit: 2.5 }), RangeError, /deadLetterLimit/],
  ['EventBus deadLetterLimit string', () => new EventBus({ deadLetterLimit: '1' }), TypeError, /deadLetterLimit/],
  ['subscribe patterns number', () => bus.subscribe(1, h), TypeError, /patterns/],
  ['subscribe patterns []', () => bus.subscribe([], h), RangeError, /patterns/],
  ['subscribe pattern empty', () => bus.subscribe('', h), RangeError, /pattern/],
  ['subscribe handler missing', () => bus.subscribe('a'), TypeError, /handler/],
  ['subscribe options number', () => bus.subscribe('a', h, 1), TypeError, /options/],
  ['subscribe filter string', () => bus.subscribe('a', h, { filter: 'x' }), TypeError, /filter/],
  ['subscribe priority string', () => bus.subscribe('a', h, { priority: 'x' }), TypeError, /priority/],
  ['subscribe priority 0.5', () => bus.subscribe('a', h, { priority: 0.5 }), RangeError, /priority/],
  ['subscribe subscriberId number', () => bus.subscribe('a', h, { subscriberId: 1 }), TypeError, /subscriberId/],
  ['unsubscribe number', () => bus.unsubscribe(1), TypeError, /subscriberId/],
  ['publish number', () => bus.publish(1), TypeError, /event/],
  ['publish {}', () => bus.publish({}), TypeError, /event\.eventType/],

  // EventEmitter
  ['EventEmitter source number', () => new EventEmitter(1), TypeError, /source/],
  ['EventEmitter source empty', () => new EventEmitter(''), RangeError, /source/],
  ['EventEmitter bus object', () => new EventEmitter('s', {}), TypeError, /bus/i],
  ['createEmitter source number', () => createEmitter(1), TypeError, /source/],
  ['emit eventType number', () => emitter.emit(1), TypeError, /eventType/],
  ['emit eventType empty', () => emitter.emit(''), RangeError, /eventType/],
  ['emit data string', () => emitter.emit('a', 'd'), TypeError, /data/],
  ['emit options number', () => emitter.emit('a', {}, 1), TypeError, /options/],
  ['emit priority 3', () => emitter.emit('a', {}, { priority: 3 }), RangeError, /priority/],
  ['emit priority string', () => emitter.emit('a', {}, { priority: 'high' }), TypeError, /priority/],
  ['emit metadata null', () => emitter.emit('a', {}, { metadata: null }), TypeError, /metadata/],
  ['emitSync eventType number', () => emitter.emitSync(1), TypeError, /eventType/],
  ['emitBatch not an array', () => emitter.emitBatch('x'), TypeError, /events/],
  ['emitBatch bad item', () => emitter.emitBatch([{ eventType: 'a' }, { eventType: 1 }]), TypeError, /events\[1\]\.eventType/],
  ['emitBatch bad priority', () => emitter.emitBatch([{ eventType: 'a', priority: -1 }]), RangeError, /events\[0\]\.priority/],
  ['startOperation name number', () => emitter.startOperation(1), TypeError, /operationName/],
  ['startOperation data number', () => emitter.startOperation('op', 1), TypeError, /operationData/],
  ['updateOperation correlationId number', () => emitter.updateOperation(1, 'op'), TypeError, /correlationId/],
  ['updateOperation progress string', () => emitter.updateOperation('c', 'op', { progress: 'x' }), TypeError, /progress/],
  ['updateOperation progress NaN', () => emitter.updateOperation('c', 'op', { progress: NaN }), RangeError, /progress/],
  ['updateOperation status number', () => emitter.updateOperation('c', 'op', { status: 1 }), TypeError, /status/],
  ['updateOperation data number', () => emitter.updateOperation('c', 'op', { data: 1 }), TypeError, /data/],
  ['endOperation success string', () => emitter.endOperation('c', 'op', { success: 'no' }), TypeError, /success/],
  ['endOperation error number', () => emitter.endOperation('c', 'op', { error: 1 }), TypeError, /error/],
  ['operation name number', () => emitter.operation(1), TypeError, /operationName/],
  ['emitError errorType number', () => emitter.emitError(1, 'm'), TypeError, /errorType/],
  ['emitError context string', () => emitter.emitError('t', 'm', { context: 'c' }), TypeError, /context/],
  ['emitMetric value object', () => emitter.emitMetric('m', {}), TypeError, /value/],
  ['emitMetric metricType unknown', () => emitter.emitMetric('m', 1, { metricType: 'rate' }), RangeError, /metricType/],
  ['emitMetric metricType number', () => emitter.emitMetric('m', 1, { metricType: 1 }), TypeError, /metricType/],
  ['emitMetric label value number', () => emitter.emitMetric('m', 1, { labels: { a: 1 } }), TypeError, /labels/],
  ['emitMetric value NaN', () => emitter.emitMetric('m', NaN), RangeError, /value/],
  ['emitMetric value Infinity', () => emitter.emitMetric('m', Infinity), RangeError, /value/],
  ['emitMetric value -Infinity', () => emitter.emitMetric('m', -Infinity), RangeError, /value/],
  ['emitAlert level unknown', () => emitter.emitAlert('a', 'panic', 'm'), RangeError, /level/],
  ['emitAlert level number', () => emitter.emitAlert('a', 1, 'm'), TypeError, /level/],
  ['setCorrelationContext number', () => emitter.setCorrelationContext(1), TypeError, /correlationId/],
  ['setDefaultMetadata null', () => emitter.setDefaultMetadata(null), TypeError, /metadata/],
  ['enabled = 1', () => { emitter.enabled = 1; }, TypeError, /enabled/],
  ['emitEvent eventType number', () => emitEvent(1, 's'), TypeError, /eventType/],
  ['emitEvent source empty', () => emitEvent('a', ''), RangeError, /source/],

  // EventOperationContext
  ['EventOperationContext emitter object', () => new EventOperationContext({}, 'op'), TypeError, /emitter/],
  ['EventOperationContext name number', () => new EventOperationContext(emitter, 1), TypeError, /operationName/],
  ['run without a function', () => emitter.operation('op').run(1), TypeError, /fn/],
  ['exit before enter', () => emitter.operation('op').exit(), Error, /./],
  ['update before enter', () => emitter.operation('op').update(), Error, /./],
  ['emit before enter', () => emitter.operation('op').emit('a'), Error, /./],

  // AsyncEventEmitter (emitLater returns a handle, so it throws synchronously)
  ['AsyncEventEmitter source number', () => new AsyncEventEmitter(1), TypeError, /source/],
  ['AsyncEventEmitter bus object', () => new AsyncEventEmitter('s', {}), TypeError, /bus/i],
  ['emitLater delayMs string', () => asyncEmitter.emitLater('a', {}, '5'), TypeError, /delayMs/],
  ['emitLater delayMs negative', () => asyncEmitter.emitLater('a', {}, -1), RangeError, /delayMs/],
  ['emitLater delayMs NaN', () => asyncEmitter.emitLater('a', {}, NaN), RangeError, /delayMs/],
  ['emitLater delayMs Infinity', () => asyncEmitter.emitLater('a', {}, Infinity), RangeError, /delayMs/],
  ['emitLater eventType number', () => asyncEmitter.emitLater(1), TypeError, /eventType/],

  // setLogger
  ['setLogger number', () => setLogger(1), TypeError, /logger/],
  ['setLogger string', () => setLogger('console'), TypeError, /logger/],
];

/** [description, call, error class, message pattern] — each must return a rejected promise. */
const ASYNC_CASES = [
  ['publishAsync number', () => bus.publishAsync(1), TypeError, /event/],
  ['publishAsync {}', () => bus.publishAsync({}), TypeError, /event\.eventType/],
  ['emitAsync eventType number', () => emitter.emitAsync(1), TypeError, /eventType/],
  ['emitAsync eventType with space', () => emitter.emitAsync('a b'), RangeError, /eventType/],
  ['emitAsync priority 3', () => emitter.emitAsync('a', {}, { priority: 3 }), RangeError, /priority/],
  ['emitAsync options string', () => emitter.emitAsync('a', {}, 'o'), TypeError, /options/],
  ['emitBatchAsync not an array', () => emitter.emitBatchAsync(1), TypeError, /events/],
  ['emitBatchAsync bad item', () => emitter.emitBatchAsync([{ eventType: 'a' }, { eventType: '' }]), RangeError, /events\[1\]\.eventType/],
  ['AsyncEventEmitter#emit eventType number', () => asyncEmitter.emit(1), TypeError, /eventType/],
  ['AsyncEventEmitter#emit priority 5', () => asyncEmitter.emit('a', {}, 5), RangeError, /priority/],
  ['AsyncEventEmitter#emit priority string', () => asyncEmitter.emit('a', {}, 'x'), TypeError, /priority/],
  ['AsyncEventEmitter#emit data null', () => asyncEmitter.emit('a', null), TypeError, /data/],
];

describe('synchronous refusals', () => {
  for (const [name, call, cls, re] of SYNC_CASES) {
    test(`${name} → ${cls.name}`, () => {
      assert.throws(call, (err) => {
        assert.ok(err instanceof cls, `expected ${cls.name}, got ${err && err.constructor && err.constructor.name}: ${err && err.message}`);
        assert.match(err.message, re);
        return true;
      });
      assert.equal(events.length, 0, 'nothing published');
      assert.equal(bus.getStats().eventsPublished, 0);
    });
  }
});

describe('asynchronous refusals are rejected promises', () => {
  for (const [name, call, cls, re] of ASYNC_CASES) {
    test(`${name} → rejected ${cls.name}`, async () => {
      let p;
      assert.doesNotThrow(() => { p = call(); }, 'no synchronous throw');
      assert.equal(typeof p?.then, 'function', 'returns a promise');
      await assert.rejects(p, (err) => {
        assert.ok(err instanceof cls, `expected ${cls.name}, got ${err && err.constructor && err.constructor.name}: ${err && err.message}`);
        assert.match(err.message, re);
        return true;
      });
      assert.equal(events.length, 0, 'nothing published');
      assert.equal(bus.getStats().eventsPublished, 0);
    });
  }
});

describe('objects stay usable after a refusal', () => {
  test('bus', () => {
    assert.throws(() => bus.subscribe([], h), RangeError);
    assert.throws(() => bus.publish({}), TypeError);
    bus.publish(createEvent('ok', 's'));
    assert.deepEqual(events.map((e) => e.eventType), ['ok']);
  });

  test('emitter', async () => {
    assert.throws(() => emitter.emit(''), RangeError);
    assert.throws(() => emitter.emitBatch([{ eventType: 'a' }, {}]), TypeError);
    assert.throws(() => emitter.emitMetric('m', 1, { metricType: 'x' }), RangeError);
    await assert.rejects(emitter.emitAsync(5), TypeError);
    emitter.emit('ok1');
    emitter.emitMetric('m', 1);
    await emitter.emitAsync('ok2');
    assert.deepEqual(events.map((e) => e.eventType), ['ok1', 'metric.update', 'ok2']);
    assert.equal(emitter.defaultCorrelationId, null);
  });

  test('operation context', () => {
    const ctx = emitter.operation('op');
    assert.throws(() => ctx.exit(), Error);
    assert.throws(() => ctx.run(5), TypeError);
    assert.equal(ctx.run(() => 7), 7);
    assert.equal(events.length, 2);
  });

  test('async emitter', async () => {
    assert.throws(() => asyncEmitter.emitLater('a', {}, -1), RangeError);
    await assert.rejects(asyncEmitter.emit(''), RangeError);
    await asyncEmitter.emit('ok');
    assert.equal(await asyncEmitter.emitLater('later', {}, 1).done, true);
    assert.deepEqual(events.map((e) => e.eventType), ['ok', 'later']);
  });

  test('errors are real Error instances with a message', () => {
    try {
      createEvent('', 's');
      assert.fail('should have thrown');
    } catch (err) {
      assert.ok(err instanceof Error);
      assert.ok(err instanceof RangeError);
      assert.equal(typeof err.message, 'string');
      assert.equal(typeof err.stack, 'string');
    }
  });
});

describe('numbers in messages', () => {
  // Written as String(n) writes them: every digit, JavaScript's exponents.
  const CASES = [
    [NaN, 'NaN'], [Infinity, 'Infinity'], [-Infinity, '-Infinity'], [1.5, '1.5'], [-0.25, '-0.25'], [3, '3'],
    [0.1 + 0.2, '0.30000000000000004'], [123456.789, '123456.789'], [1e-7, '1e-7'], [0.000001, '0.000001'],
    [5e-324, '5e-324'], [1e21, '1e+21'], [2.5e20, '250000000000000000000'], [2 ** 64, '18446744073709552000'],
    [184745046789855.625, '184745046789855.62'],
  ];
  for (const [value, text] of CASES) {
    test(`${text}`, () => {
      assert.throws(() => createEvent('a', 's', { priority: value }), {
        name: 'RangeError',
        message: `options.priority must be an integer from 0 to 2, got ${text}`,
      });
    });
  }
  test('another rule writes them the same way', () => {
    assert.throws(() => asyncEmitter.emitLater('a', {}, -1e-7), {
      name: 'RangeError',
      message: 'delayMs must be a finite number >= 0, got -1e-7',
    });
  });
});
