// EventEmitter: event fields, correlation and metadata defaults, batches, the payload table, disabling.
import { test, describe, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import {
  EventBus, EventEmitter, createEmitter, emitEvent, getEventBus, setLogger,
} from 'codomyrmex-events';
import { captureLogger } from './support/logging.mjs';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

/** A fresh bus, an emitter on it, and the list of every event the bus delivers. */
function setup(source = 'svc') {
  const bus = new EventBus();
  const events = [];
  bus.subscribe('*', (e) => { events.push(e); });
  const emitter = new EventEmitter(source, bus);
  return { bus, emitter, events };
}

beforeEach(() => setLogger(null));
afterEach(() => setLogger(null));

describe('construction', () => {
  test('source and eventBus are exposed; eventBus is the same object', () => {
    const bus = new EventBus();
    const em = new EventEmitter('svc', bus);
    assert.equal(em.source, 'svc');
    assert.equal(em.eventBus, bus);
    assert.equal(em.enabled, true);
    assert.equal(em.defaultCorrelationId, null);
    assert.deepEqual(em.defaultMetadata, {});
  });

  test('without a bus the emitter uses getEventBus()', () => {
    assert.equal(new EventEmitter('svc').eventBus, getEventBus());
    assert.equal(new EventEmitter('svc', undefined).eventBus, getEventBus());
  });

  test('createEmitter(source) is on getEventBus()', () => {
    const em = createEmitter('made');
    assert.ok(em instanceof EventEmitter);
    assert.equal(em.source, 'made');
    assert.equal(em.eventBus, getEventBus());
  });

  test('source is checked', () => {
    assert.throws(() => new EventEmitter(), TypeError);
    assert.throws(() => new EventEmitter(5), /source/);
    assert.throws(() => new EventEmitter(''), RangeError);
    assert.throws(() => new EventEmitter(''), /source/);
    assert.throws(() => createEmitter(5), TypeError);
    assert.throws(() => createEmitter(''), RangeError);
  });

  test('the bus must be an EventBus instance', () => {
    for (const bad of [{}, 5, 'bus', null, { publish() {}, subscribe() {} }]) {
      assert.throws(() => new EventEmitter('svc', bad), TypeError);
      assert.throws(() => new EventEmitter('svc', bad), /bus/i);
    }
  });
});

describe('emit', () => {
  test('publishes an event with every field filled', () => {
    const { emitter, events } = setup('orders');
    const data = { id: 7 };
    const before = Date.now();
    emitter.emit('order.created', data);
    const after = Date.now();
    assert.equal(events.length, 1);
    const e = events[0];
    assert.equal(e.eventType, 'order.created');
    assert.equal(e.source, 'orders');
    assert.match(e.eventId, UUID_V4);
    assert.ok(Number.isInteger(e.timestamp));
    assert.ok(e.timestamp >= before && e.timestamp <= after);
    assert.equal(e.correlationId, null);
    assert.equal(e.data, data);
    assert.deepEqual(e.metadata, {});
    assert.equal(e.priority, 0);
    assert.ok(Object.isFrozen(e));
    assert.ok(Object.isFrozen(e.metadata));
  });

  test('omitted data → {}', () => {
    const { emitter, events } = setup();
    emitter.emit('a');
    emitter.emit('b', undefined, { priority: 1 });
    assert.deepEqual(events[0].data, {});
    assert.deepEqual(events[1].data, {});
    assert.equal(events[1].priority, 1);
  });

  test('every event gets a fresh id', () => {
    const { emitter, events } = setup();
    for (let i = 0; i < 50; i++) emitter.emit('a');
    assert.equal(new Set(events.map((e) => e.eventId)).size, 50);
  });

  test('ids stay distinct UUID v4s across refills of the random pool (4096 ids each)', () => {
    const { emitter, events } = setup();
    for (let i = 0; i < 10000; i++) emitter.emit('a');
    const ids = events.map((e) => e.eventId);
    assert.equal(new Set(ids).size, 10000);
    for (const id of ids) assert.match(id, UUID_V4);
    // Every hex digit shows up in every free position: no position is stuck.
    for (let at = 0; at < 36; at++) {
      if ([8, 13, 14, 18, 23].includes(at)) continue;
      const seen = new Set(ids.map((id) => id[at]));
      assert.equal(seen.size, at === 19 ? 4 : 16, `position ${at}`);
    }
  });

  test('options set correlationId, metadata and priority', () => {
    const { emitter, events } = setup();
    emitter.emit('a', { x: 1 }, { correlationId: 'c-1', metadata: { m: 'v' }, priority: 2 });
    assert.equal(events[0].correlationId, 'c-1');
    assert.deepEqual(events[0].metadata, { m: 'v' });
    assert.ok(Object.isFrozen(events[0].metadata));
    assert.equal(events[0].priority, 2);
  });

  test('correlationId = options.correlationId ?? defaultCorrelationId', () => {
    const { emitter, events } = setup();
    emitter.setCorrelationContext('ctx');
    assert.equal(emitter.defaultCorrelationId, 'ctx');
    emitter.emit('a');
    emitter.emit('b', {}, { correlationId: 'explicit' });
    emitter.emit('c', {}, { correlationId: null });
    emitter.emit('d', {}, { correlationId: undefined });
    emitter.clearCorrelationContext();
    assert.equal(emitter.defaultCorrelationId, null);
    emitter.emit('e');
    assert.deepEqual(events.map((e) => e.correlationId), ['ctx', 'explicit', 'ctx', 'ctx', null]);
  });

  test('a null or absent correlationId falls back to the default on every emit of a type, not only the first', async () => {
    const { emitter, events } = setup();
    emitter.setCorrelationContext('ctx');
    for (let i = 0; i < 3; i++) {
      emitter.emit('same', {}, { correlationId: null });
      emitter.emit('same', {}, { correlationId: undefined });
      emitter.emit('same', {}, {});
      emitter.emitSync('same', {}, { correlationId: null });
      await emitter.emitAsync('same', {}, { correlationId: null });
      emitter.emitBatch([{ eventType: 'same', correlationId: null }, { eventType: 'same' }]);
      await emitter.emitBatchAsync([{ eventType: 'same', correlationId: null }]);
      emitter.emit('same', {}, { correlationId: 'explicit' });
    }
    const expected = [...Array(8).fill('ctx'), 'explicit'];
    assert.deepEqual(events.map((e) => e.correlationId), [...expected, ...expected, ...expected]);
  });

  test('metadata = { ...defaultMetadata, ...options.metadata }', () => {
    const { emitter, events } = setup();
    emitter.setDefaultMetadata({ env: 'prod', region: 'eu' });
    emitter.emit('a');
    emitter.emit('b', {}, { metadata: { region: 'us', extra: true } });
    assert.deepEqual(events[0].metadata, { env: 'prod', region: 'eu' });
    assert.deepEqual(events[1].metadata, { env: 'prod', region: 'us', extra: true });
    assert.ok(Object.isFrozen(events[0].metadata), 'metadata built from the defaults is frozen');
    assert.ok(Object.isFrozen(events[1].metadata), 'merged metadata is frozen');
    assert.deepEqual(emitter.defaultMetadata, { env: 'prod', region: 'eu' });
  });

  test('defaultMetadata returns a copy', () => {
    const { emitter, events } = setup();
    emitter.setDefaultMetadata({ a: 1 });
    const copy = emitter.defaultMetadata;
    copy.b = 2;
    assert.notEqual(emitter.defaultMetadata, copy);
    assert.deepEqual(emitter.defaultMetadata, { a: 1 });
    emitter.emit('x');
    assert.deepEqual(events[0].metadata, { a: 1 });
  });

  test('setDefaultMetadata stores a copy', () => {
    const { emitter, events } = setup();
    const meta = { a: 1 };
    emitter.setDefaultMetadata(meta);
    meta.a = 99;
    meta.leak = true;
    emitter.emit('x');
    assert.deepEqual(events[0].metadata, { a: 1 });
    assert.deepEqual(emitter.defaultMetadata, { a: 1 });
  });

  test('setDefaultMetadata replaces the previous defaults', () => {
    const { emitter, events } = setup();
    emitter.setDefaultMetadata({ a: 1 });
    emitter.setDefaultMetadata({ b: 2 });
    emitter.emit('x');
    assert.deepEqual(events[0].metadata, { b: 2 });
  });

  test('emitSync is the same as emit', () => {
    const { emitter, events } = setup();
    const data = { s: 1 };
    emitter.setCorrelationContext('c');
    emitter.emitSync('sync.evt', data, { priority: 1, metadata: { k: 1 } });
    assert.equal(events.length, 1);
    assert.equal(events[0].eventType, 'sync.evt');
    assert.equal(events[0].data, data);
    assert.equal(events[0].priority, 1);
    assert.equal(events[0].correlationId, 'c');
    assert.deepEqual(events[0].metadata, { k: 1 });
  });

  test('emit never throws because of a handler; the failure is logged', () => {
    const calls = captureLogger();
    const { bus, emitter } = setup();
    const boom = new Error('handler');
    bus.subscribe('*', () => { throw boom; });
    assert.doesNotThrow(() => emitter.emit('a'));
    assert.equal(bus.getStats().eventsFailed, 1);
    assert.ok(calls.error.some(([, err]) => err === boom));
  });

  test('invalid arguments throw, name the argument and publish nothing', () => {
    const { emitter, events } = setup();
    const cases = [
      [() => emitter.emit(5), TypeError, /eventType/],
      [() => emitter.emit(''), RangeError, /eventType/],
      [() => emitter.emit('a b'), RangeError, /eventType/],
      [() => emitter.emit('a', null), TypeError, /data/],
      [() => emitter.emit('a', 5), TypeError, /data/],
      [() => emitter.emit('a', {}, 5), TypeError, /options/],
      [() => emitter.emit('a', {}, { priority: 3 }), RangeError, /priority/],
      [() => emitter.emit('a', {}, { priority: 1.5 }), RangeError, /priority/],
      [() => emitter.emit('a', {}, { priority: '1' }), TypeError, /priority/],
      [() => emitter.emit('a', {}, { metadata: null }), TypeError, /metadata/],
      [() => emitter.emit('a', {}, { correlationId: 5 }), TypeError, /correlationId/],
      [() => emitter.emitSync(5), TypeError, /eventType/],
    ];
    for (const [fn, cls, re] of cases) {
      assert.throws(fn, cls);
      assert.throws(fn, re);
    }
    assert.equal(events.length, 0);
    emitter.emit('still.works');
    assert.equal(events.length, 1);
  });
});

describe('emitAsync', () => {
  test('resolves after the handlers\' promises settle', async () => {
    const { bus, emitter, events } = setup();
    let slowDone = false;
    bus.subscribe('*', async () => { await tick(20); slowDone = true; });
    const p = emitter.emitAsync('a', { v: 1 }, { priority: 1 });
    assert.ok(p instanceof Promise);
    await p;
    assert.equal(slowDone, true);
    assert.equal(events.length, 1);
    assert.equal(events[0].priority, 1);
    assert.deepEqual(events[0].data, { v: 1 });
  });

  test('invalid arguments → rejected promise, no synchronous throw, nothing published', async () => {
    const { emitter, events } = setup();
    let p;
    assert.doesNotThrow(() => { p = emitter.emitAsync(5); });
    await assert.rejects(p, TypeError);
    await assert.rejects(emitter.emitAsync(5), /eventType/);
    await assert.rejects(emitter.emitAsync('a', {}, { priority: 9 }), RangeError);
    await assert.rejects(emitter.emitAsync('a', {}, 'opts'), TypeError);
    assert.equal(events.length, 0);
  });
});

describe('emitBatch', () => {
  test('publishes every item in order with its own fields', () => {
    const { emitter, events } = setup();
    emitter.setDefaultMetadata({ d: 1 });
    const d2 = { two: 2 };
    emitter.emitBatch([
      { eventType: 'one' },
      { eventType: 'two', data: d2, priority: 2 },
      { eventType: 'three', correlationId: 'c3', metadata: { m: 3 } },
    ]);
    assert.deepEqual(events.map((e) => e.eventType), ['one', 'two', 'three']);
    assert.deepEqual(events[0].data, {});
    assert.equal(events[1].data, d2);
    assert.equal(events[1].priority, 2);
    assert.equal(events[2].correlationId, 'c3');
    assert.deepEqual(events[2].metadata, { d: 1, m: 3 });
    assert.deepEqual(events[0].metadata, { d: 1 });
    assert.equal(events[0].priority, 0);
  });

  test('an empty batch publishes nothing', () => {
    const { bus, emitter } = setup();
    emitter.emitBatch([]);
    assert.equal(bus.getStats().eventsPublished, 0);
  });

  test('validates every item first; one invalid item → throws naming it, nothing published', () => {
    const { bus, emitter, events } = setup();
    assert.throws(() => emitter.emitBatch([{ eventType: 'ok' }, { eventType: 5 }]), TypeError);
    assert.throws(() => emitter.emitBatch([{ eventType: 'ok' }, { eventType: 5 }]), /events\[1\]\.eventType/);
    assert.throws(() => emitter.emitBatch([{ eventType: 'ok' }, { eventType: 'ok' }, { eventType: 'x', priority: 7 }]), RangeError);
    assert.throws(
      () => emitter.emitBatch([{ eventType: 'ok' }, { eventType: 'ok' }, { eventType: 'x', priority: 7 }]),
      /events\[2\]\.priority/,
    );
    assert.throws(() => emitter.emitBatch([{ eventType: 'ok' }, null]), TypeError);
    assert.throws(() => emitter.emitBatch([{ eventType: 'ok' }, null]), /events\[1\]/);
    assert.deepEqual(events, []);
    assert.equal(bus.getStats().eventsPublished, 0);
  });

  test('events must be an array', () => {
    const { emitter } = setup();
    for (const bad of [undefined, null, 5, { eventType: 'a' }]) {
      assert.throws(() => emitter.emitBatch(bad), TypeError);
      assert.throws(() => emitter.emitBatch(bad), /events/);
    }
  });

  test('a failing handler does not stop the rest of the batch', () => {
    captureLogger();
    const { bus, emitter, events } = setup();
    bus.subscribe('two', () => { throw new Error('x'); });
    emitter.emitBatch([{ eventType: 'one' }, { eventType: 'two' }, { eventType: 'three' }]);
    assert.deepEqual(events.map((e) => e.eventType), ['one', 'two', 'three']);
    assert.equal(bus.getStats().eventsFailed, 1);
  });
});

describe('payload table', () => {
  test('startOperation(n, d)', () => {
    const { emitter, events } = setup();
    const id = emitter.startOperation('import', { file: 'a.csv' });
    assert.equal(events.length, 1);
    const e = events[0];
    assert.equal(e.eventType, 'custom');
    assert.deepEqual(e.data, { operation: 'import', phase: 'start', operation_data: { file: 'a.csv' } });
    assert.deepEqual(e.metadata, { operation_type: 'start' });
    assert.equal(e.priority, 0);
    assert.equal(e.correlationId, id);
    assert.equal(e.source, 'svc');
  });

  test('startOperation(n) → operation_data {}', () => {
    const { emitter, events } = setup();
    emitter.startOperation('import');
    assert.deepEqual(events[0].data, { operation: 'import', phase: 'start', operation_data: {} });
  });

  test('updateOperation(c, n, o) with every option', () => {
    const { emitter, events } = setup();
    emitter.updateOperation('c-1', 'import', { progress: 50, status: 'halfway', data: { rows: 10 } });
    const e = events[0];
    assert.equal(e.eventType, 'custom');
    assert.deepEqual(e.data, {
      operation: 'import', phase: 'progress', correlation_id: 'c-1', progress: 50, status: 'halfway', rows: 10,
    });
    assert.deepEqual(e.metadata, { operation_type: 'progress' });
    assert.equal(e.priority, 0);
    assert.equal(e.correlationId, 'c-1');
  });

  test('updateOperation without options has no progress/status keys', () => {
    const { emitter, events } = setup();
    emitter.updateOperation('c-1', 'import');
    assert.deepEqual(events[0].data, { operation: 'import', phase: 'progress', correlation_id: 'c-1' });
    emitter.updateOperation('c-1', 'import', { progress: 0 });
    assert.deepEqual(events[1].data, { operation: 'import', phase: 'progress', correlation_id: 'c-1', progress: 0 });
    emitter.updateOperation('c-1', 'import', { status: '' });
    assert.deepEqual(events[2].data, { operation: 'import', phase: 'progress', correlation_id: 'c-1', status: '' });
  });

  test('updateOperation spreads o.data last', () => {
    const { emitter, events } = setup();
    emitter.updateOperation('c-1', 'import', { progress: 1, data: { progress: 2, extra: 'e' } });
    assert.deepEqual(events[0].data, {
      operation: 'import', phase: 'progress', correlation_id: 'c-1', progress: 2, extra: 'e',
    });
  });

  test('endOperation(c, n) succeeds by default', () => {
    const { emitter, events } = setup();
    emitter.endOperation('c-1', 'import');
    const e = events[0];
    assert.equal(e.eventType, 'custom');
    assert.deepEqual(e.data, { operation: 'import', phase: 'end', success: true });
    assert.deepEqual(e.metadata, { operation_type: 'end', success: true });
    assert.equal(e.priority, 0);
    assert.equal(e.correlationId, 'c-1');
  });

  test('endOperation with a result', () => {
    const { emitter, events } = setup();
    emitter.endOperation('c-1', 'import', { success: true, result: { rows: 3 } });
    assert.deepEqual(events[0].data, { operation: 'import', phase: 'end', success: true, result: { rows: 3 } });
    emitter.endOperation('c-1', 'import', { result: null });
    assert.deepEqual(events[1].data, { operation: 'import', phase: 'end', success: true, result: null });
    emitter.endOperation('c-1', 'import', { result: 0 });
    assert.deepEqual(events[2].data, { operation: 'import', phase: 'end', success: true, result: 0 });
    emitter.endOperation('c-1', 'import', { result: undefined });
    assert.ok(!('result' in events[3].data));
  });

  test('endOperation failed → priority 2 with error', () => {
    const { emitter, events } = setup();
    emitter.endOperation('c-1', 'import', { success: false, error: 'disk full' });
    const e = events[0];
    assert.deepEqual(e.data, { operation: 'import', phase: 'end', success: false, error: 'disk full' });
    assert.deepEqual(e.metadata, { operation_type: 'end', success: false });
    assert.equal(e.priority, 2);
  });

  test('endOperation failed without an error message omits error', () => {
    const { emitter, events } = setup();
    emitter.endOperation('c-1', 'import', { success: false });
    assert.deepEqual(events[0].data, { operation: 'import', phase: 'end', success: false });
    assert.equal(events[0].priority, 2);
  });

  test('operation events merge the default metadata', () => {
    const { emitter, events } = setup();
    emitter.setDefaultMetadata({ env: 'test', operation_type: 'overridden' });
    const id = emitter.startOperation('op');
    emitter.endOperation(id, 'op');
    assert.deepEqual(events[0].metadata, { env: 'test', operation_type: 'start' });
    assert.deepEqual(events[1].metadata, { env: 'test', operation_type: 'end', success: true });
    assert.ok(Object.isFrozen(events[0].metadata));
    assert.ok(Object.isFrozen(events[1].metadata));
  });

  test('emitError(t, m, o)', () => {
    const { emitter, events } = setup();
    emitter.emitError('DbError', 'connection lost', { context: { host: 'db1' }, correlationId: 'c-e' });
    const e = events[0];
    assert.equal(e.eventType, 'system.error');
    assert.deepEqual(e.data, { error_type: 'DbError', error_message: 'connection lost', context: { host: 'db1' } });
    assert.deepEqual(e.metadata, {});
    assert.equal(e.priority, 2);
    assert.equal(e.correlationId, 'c-e');
  });

  test('emitError without options → context {}, default correlation id', () => {
    const { emitter, events } = setup();
    emitter.setCorrelationContext('ctx');
    emitter.setDefaultMetadata({ env: 'x' });
    emitter.emitError('E', 'm');
    assert.deepEqual(events[0].data, { error_type: 'E', error_message: 'm', context: {} });
    assert.equal(events[0].correlationId, 'ctx');
    assert.deepEqual(events[0].metadata, { env: 'x' });
    assert.equal(events[0].priority, 2);
  });

  test('emitMetric(n, v) defaults', () => {
    const { emitter, events } = setup();
    emitter.emitMetric('latency_ms', 12.5);
    const e = events[0];
    assert.equal(e.eventType, 'metric.update');
    assert.deepEqual(e.data, { metric_name: 'latency_ms', metric_value: 12.5, metric_type: 'gauge', labels: {} });
    assert.deepEqual(e.metadata, {});
    assert.equal(e.priority, 0);
  });

  test('emitMetric with metricType and labels; string and boolean values', () => {
    const { emitter, events } = setup();
    emitter.emitMetric('requests', 3, { metricType: 'counter', labels: { route: '/a', method: 'GET' } });
    emitter.emitMetric('version', '1.2.3', { metricType: 'summary' });
    emitter.emitMetric('healthy', false, { metricType: 'histogram' });
    emitter.emitMetric('zero', 0);
    assert.deepEqual(events[0].data, {
      metric_name: 'requests', metric_value: 3, metric_type: 'counter', labels: { route: '/a', method: 'GET' },
    });
    assert.deepEqual(events[1].data, { metric_name: 'version', metric_value: '1.2.3', metric_type: 'summary', labels: {} });
    assert.deepEqual(events[2].data, { metric_name: 'healthy', metric_value: false, metric_type: 'histogram', labels: {} });
    assert.deepEqual(events[3].data, { metric_name: 'zero', metric_value: 0, metric_type: 'gauge', labels: {} });
    assert.deepEqual(events.map((e) => e.priority), [0, 0, 0, 0]);
  });

  test('emitMetric argument checks', () => {
    const { emitter, events } = setup();
    for (const bad of [{}, null, undefined, [1]]) {
      assert.throws(() => emitter.emitMetric('m', bad), TypeError);
      assert.throws(() => emitter.emitMetric('m', bad), /value/);
    }
    assert.throws(() => emitter.emitMetric('m', 1, { metricType: 'meter' }), RangeError);
    assert.throws(() => emitter.emitMetric('m', 1, { metricType: 'meter' }), /metricType/);
    assert.throws(() => emitter.emitMetric('m', 1, { metricType: 5 }), TypeError);
    assert.throws(() => emitter.emitMetric('m', 1, { metricType: 5 }), /metricType/);
    assert.throws(() => emitter.emitMetric('m', 1, { labels: { a: 1 } }), TypeError);
    assert.throws(() => emitter.emitMetric('m', 1, { labels: { a: 1 } }), /labels/);
    assert.throws(() => emitter.emitMetric('m', 1, { labels: 'a=b' }), TypeError);
    assert.throws(() => emitter.emitMetric(5, 1), TypeError);
    assert.throws(() => emitter.emitMetric(5, 1), /metricName/);
    assert.throws(() => emitter.emitMetric('m', 1, 5), TypeError);
    assert.equal(events.length, 0);
  });

  test('emitAlert(n, l, m) defaults threshold and current_value to null', () => {
    const { emitter, events } = setup();
    emitter.emitAlert('cpu', 'warning', 'CPU high');
    const e = events[0];
    assert.equal(e.eventType, 'alert.triggered');
    assert.deepEqual(e.data, {
      alert_name: 'cpu', alert_level: 'warning', message: 'CPU high', threshold: null, current_value: null,
    });
    assert.deepEqual(e.metadata, {});
    assert.equal(e.priority, 1);
  });

  test('emitAlert with threshold and currentValue (0 is kept)', () => {
    const { emitter, events } = setup();
    emitter.emitAlert('cpu', 'critical', 'CPU high', { threshold: 90, currentValue: 97.5 });
    emitter.emitAlert('free', 'error', 'none free', { threshold: 0, currentValue: 0 });
    assert.deepEqual(events[0].data, {
      alert_name: 'cpu', alert_level: 'critical', message: 'CPU high', threshold: 90, current_value: 97.5,
    });
    assert.deepEqual(events[1].data, {
      alert_name: 'free', alert_level: 'error', message: 'none free', threshold: 0, current_value: 0,
    });
  });

  test('emitAlert priority: info 0, warning 1, error 2, critical 2', () => {
    const { emitter, events } = setup();
    for (const level of ['info', 'warning', 'error', 'critical']) emitter.emitAlert('a', level, 'm');
    assert.deepEqual(events.map((e) => e.priority), [0, 1, 2, 2]);
    assert.deepEqual(events.map((e) => e.data.alert_level), ['info', 'warning', 'error', 'critical']);
  });

  test('emitAlert level checks', () => {
    const { emitter, events } = setup();
    for (const bad of ['fatal', 'INFO', '']) {
      assert.throws(() => emitter.emitAlert('a', bad, 'm'), RangeError, bad);
      assert.throws(() => emitter.emitAlert('a', bad, 'm'), /level/);
    }
    assert.throws(() => emitter.emitAlert('a', 2, 'm'), TypeError);
    assert.throws(() => emitter.emitAlert('a', 2, 'm'), /level/);
    assert.throws(() => emitter.emitAlert('a', 'info', 5), TypeError);
    assert.throws(() => emitter.emitAlert('a', 'info', 5), /message/);
    assert.throws(() => emitter.emitAlert(5, 'info', 'm'), TypeError);
    assert.throws(() => emitter.emitAlert(5, 'info', 'm'), /alertName/);
    assert.equal(events.length, 0);
  });

  test('emitError argument checks', () => {
    const { emitter, events } = setup();
    assert.throws(() => emitter.emitError(5, 'm'), TypeError);
    assert.throws(() => emitter.emitError(5, 'm'), /errorType/);
    assert.throws(() => emitter.emitError('E', 5), TypeError);
    assert.throws(() => emitter.emitError('E', 5), /errorMessage/);
    assert.throws(() => emitter.emitError('E', 'm', { context: 5 }), TypeError);
    assert.throws(() => emitter.emitError('E', 'm', { context: 5 }), /context/);
    assert.throws(() => emitter.emitError('E', 'm', 'opts'), /options/);
    assert.equal(events.length, 0);
  });
});

describe('enabled / disabled', () => {
  test('enabled setter, enable() and disable()', () => {
    const { emitter } = setup();
    emitter.disable();
    assert.equal(emitter.enabled, false);
    emitter.enable();
    assert.equal(emitter.enabled, true);
    emitter.enabled = false;
    assert.equal(emitter.enabled, false);
    emitter.enabled = true;
    assert.equal(emitter.enabled, true);
  });

  test('enabled setter requires a boolean', () => {
    const { emitter } = setup();
    for (const bad of [0, 1, 'false', null, undefined]) {
      assert.throws(() => { emitter.enabled = bad; }, TypeError);
      assert.throws(() => { emitter.enabled = bad; }, /enabled/);
    }
    assert.equal(emitter.enabled, true);
  });

  test('a disabled emitter publishes nothing from any method', async () => {
    const { bus, emitter, events } = setup();
    emitter.disable();
    emitter.emit('a', { x: 1 });
    emitter.emitSync('a');
    assert.equal(await emitter.emitAsync('a'), undefined);
    emitter.emitBatch([{ eventType: 'a' }, { eventType: 'b' }]);
    await emitter.emitBatchAsync([{ eventType: 'a' }]);
    const id = emitter.startOperation('op', { k: 1 });
    emitter.updateOperation(id, 'op', { progress: 10 });
    emitter.endOperation(id, 'op');
    emitter.emitError('E', 'm');
    emitter.emitMetric('m', 1);
    emitter.emitAlert('a', 'critical', 'm');
    const ctx = emitter.operation('ctx-op');
    assert.equal(ctx.run(() => 'value'), 'value');
    assert.deepEqual(events, []);
    assert.equal(bus.getStats().eventsPublished, 0);
  });

  test('a disabled emitter still hands out operation ids and keeps correlation bookkeeping', () => {
    const { emitter, events } = setup();
    emitter.disable();
    const outer = emitter.startOperation('outer');
    assert.match(outer, UUID_V4);
    assert.equal(emitter.defaultCorrelationId, outer);
    const inner = emitter.startOperation('inner');
    assert.match(inner, UUID_V4);
    assert.notEqual(inner, outer);
    assert.equal(emitter.defaultCorrelationId, inner);
    emitter.endOperation(inner, 'inner');
    assert.equal(emitter.defaultCorrelationId, outer);
    emitter.enable();
    emitter.emit('after');
    assert.equal(events.length, 1);
    assert.equal(events[0].correlationId, outer);
    emitter.endOperation(outer, 'outer');
    assert.equal(emitter.defaultCorrelationId, null);
  });

  test('re-enabling resumes publishing', () => {
    const { emitter, events } = setup();
    emitter.disable();
    emitter.emit('lost');
    emitter.enable();
    emitter.emit('kept');
    assert.deepEqual(events.map((e) => e.eventType), ['kept']);
  });
});

describe('setCorrelationContext / setDefaultMetadata checks', () => {
  test('setCorrelationContext requires a string', () => {
    const { emitter } = setup();
    assert.throws(() => emitter.setCorrelationContext(5), TypeError);
    assert.throws(() => emitter.setCorrelationContext(5), /correlationId/);
    assert.equal(emitter.defaultCorrelationId, null);
  });

  test('setDefaultMetadata requires a non-null object', () => {
    const { emitter } = setup();
    emitter.setDefaultMetadata({ keep: 1 });
    for (const bad of [null, 5, 'x', undefined]) {
      assert.throws(() => emitter.setDefaultMetadata(bad), TypeError);
      assert.throws(() => emitter.setDefaultMetadata(bad), /metadata/);
    }
    assert.deepEqual(emitter.defaultMetadata, { keep: 1 });
  });
});

describe('emitEvent', () => {
  test('publishes on getEventBus()', () => {
    const bus = getEventBus();
    const got = [];
    const id = bus.subscribe('emit.event.test', (e) => got.push(e));
    try {
      const data = { q: 1 };
      emitEvent('emit.event.test', 'fn-src', data, { priority: 2, correlationId: 'c', metadata: { m: 1 } });
      assert.equal(got.length, 1);
      assert.equal(got[0].eventType, 'emit.event.test');
      assert.equal(got[0].source, 'fn-src');
      assert.equal(got[0].data, data);
      assert.equal(got[0].priority, 2);
      assert.equal(got[0].correlationId, 'c');
      assert.deepEqual(got[0].metadata, { m: 1 });
      emitEvent('emit.event.test', 'fn-src');
      assert.deepEqual(got[1].data, {});
      assert.equal(got[1].priority, 0);
    } finally {
      bus.unsubscribe(id);
    }
  });

  test('checks its arguments', () => {
    assert.throws(() => emitEvent(5, 'src'), TypeError);
    assert.throws(() => emitEvent(5, 'src'), /eventType/);
    assert.throws(() => emitEvent('a', 5), TypeError);
    assert.throws(() => emitEvent('a', 5), /source/);
    assert.throws(() => emitEvent('a', ''), RangeError);
    assert.throws(() => emitEvent('a', 's', {}, { priority: 3 }), RangeError);
  });
});
