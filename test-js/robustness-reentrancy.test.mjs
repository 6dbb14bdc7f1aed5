// Re-entrancy at any depth: handlers (and filters, and the logger) call back
// into the very bus or emitter that is dispatching to them. Never a "recursive
// use of an object" error, a borrow panic or a WebAssembly trap; subscription
// changes made during a dispatch take effect for later events only.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  AsyncEventEmitter, EventBus, EventEmitter, createEvent, setLogger,
} from 'codomyrmex-events';
import { guardEachTest, isolated, macrotasks, show } from './support/robustness.mjs';

const guarded = guardEachTest({ record: true });

/** Every error the library reported through the logger, as text. */
const logged = () => guarded.log.calls.error.map(([message, error]) => `${message}: ${show(error)}`);

/** Asserts no handler failed and nothing was logged. */
function clean(bus) {
  assert.deepEqual(logged(), [], 'nothing logged');
  assert.equal(bus.getStats().eventsFailed, 0, 'no handler failed');
}

describe('100 nested levels', () => {
  const LEVELS = 100;

  test('emit: each handler emits the next level on the same emitter', () => {
    const bus = new EventBus();
    const emitter = new EventEmitter('nest', bus);
    const order = [];
    for (let i = 0; i < LEVELS; i++) {
      bus.subscribe(`level.${i}`, (e) => {
        order.push(`enter ${i}`);
        assert.equal(e.data.level, i);
        if (i + 1 < LEVELS) emitter.emit(`level.${i + 1}`, { level: i + 1 });
        order.push(`leave ${i}`);
      });
    }
    emitter.emit('level.0', { level: 0 });
    const expected = [];
    for (let i = 0; i < LEVELS; i++) expected.push(`enter ${i}`);
    for (let i = LEVELS - 1; i >= 0; i--) expected.push(`leave ${i}`);
    assert.deepEqual(order, expected, 'nested dispatch is synchronous and depth-first');
    const s = bus.getStats();
    assert.equal(s.eventsPublished, LEVELS);
    assert.equal(s.eventsProcessed, LEVELS);
    clean(bus);
  });

  test('one handler re-emitting its own type 100 times deep, with a catch-all watching', () => {
    const bus = new EventBus();
    const emitter = new EventEmitter('nest', bus);
    const all = [];
    bus.subscribe('*', (e) => { all.push(e.data.depth); }, { priority: 10 });
    bus.subscribe('deep', (e) => {
      if (e.data.depth < LEVELS) emitter.emit('deep', { depth: e.data.depth + 1 });
    });
    emitter.emit('deep', { depth: 1 });
    assert.deepEqual(all, Array.from({ length: LEVELS }, (_, i) => i + 1));
    assert.equal(bus.getStats().eventsProcessed, 2 * LEVELS);
    clean(bus);
  });

  test('publish: each handler publishes the next level on the same bus', () => {
    const bus = new EventBus();
    let deepest = 0;
    bus.subscribe('p.*', (e) => {
      deepest = Math.max(deepest, e.data.level);
      if (e.data.level < LEVELS) bus.publish(createEvent(`p.${e.data.level + 1}`, 'nest', { data: { level: e.data.level + 1 } }));
    });
    bus.publish(createEvent('p.1', 'nest', { data: { level: 1 } }));
    assert.equal(deepest, LEVELS);
    assert.equal(bus.getStats().eventsPublished, LEVELS);
    clean(bus);
  });

  test('emitAsync: each handler returns the next level\'s promise; the outermost settles last', async () => {
    const bus = new EventBus();
    const emitter = new EventEmitter('nest', bus);
    const settled = [];
    bus.subscribe('a.*', async (e) => {
      const level = e.data.level;
      if (level < LEVELS) await emitter.emitAsync(`a.${level + 1}`, { level: level + 1 });
      await null;
      settled.push(level);
    });
    await emitter.emitAsync('a.1', { level: 1 });
    assert.deepEqual(settled, Array.from({ length: LEVELS }, (_, i) => LEVELS - i));
    assert.equal(bus.getStats().eventsProcessed, LEVELS);
    clean(bus);
  });

  test('emitBatch and publishAsync nested inside each other', async () => {
    const bus = new EventBus();
    const emitter = new EventEmitter('nest', bus);
    let count = 0;
    bus.subscribe('b.*', (e) => {
      count++;
      const level = e.data.level;
      if (level >= LEVELS) return undefined;
      if (level % 2 === 0) {
        emitter.emitBatch([{ eventType: `b.${level + 1}`, data: { level: level + 1 } }]);
        return undefined;
      }
      return bus.publishAsync(createEvent(`b.${level + 1}`, 'nest', { data: { level: level + 1 } }));
    });
    await emitter.emitAsync('b.1', { level: 1 });
    assert.equal(count, LEVELS);
    clean(bus);
  });

  test('operations started inside the start event\'s handler nest 100 deep and unwind', () => {
    const bus = new EventBus();
    const emitter = new EventEmitter('ops', bus);
    const ids = [];
    const parents = [];
    let started = 1;
    bus.subscribe('custom', (e) => {
      if (e.data.phase !== 'start') return;
      parents.push(e.metadata.parent_correlation_id ?? null);
      if (started < LEVELS) {
        started++;
        ids.push(emitter.startOperation(`op${started - 1}`));
      }
    });
    ids.push(emitter.startOperation('op0'));
    ids.reverse(); // pushed innermost first: the outer call returns last
    assert.equal(ids.length, LEVELS);
    assert.equal(new Set(ids).size, LEVELS);
    assert.equal(parents.length, LEVELS);
    assert.equal(parents[0], null);
    for (let i = 1; i < LEVELS; i++) assert.equal(parents[i], ids[i - 1], `level ${i}: parent is the enclosing operation`);
    assert.equal(emitter.defaultCorrelationId, ids[LEVELS - 1]);
    for (let i = LEVELS - 1; i >= 0; i--) {
      emitter.endOperation(ids[i], `op${i}`);
      assert.equal(emitter.defaultCorrelationId, i === 0 ? null : ids[i - 1]);
    }
    clean(bus);
  });

  test('operation().run() inside a handler, 100 deep', () => {
    const bus = new EventBus();
    const emitter = new EventEmitter('ops', bus);
    let depth = 0;
    const ends = [];
    bus.subscribe('run.*', (e) => {
      const level = e.data.level;
      emitter.operation(`op${level}`).run((ctx) => {
        depth = Math.max(depth, level);
        if (level < LEVELS) ctx.emit(`run.${level + 1}`, { level: level + 1 });
      });
    });
    bus.subscribe('custom', (e) => { if (e.data.phase === 'end') ends.push(e.data.success); });
    emitter.emit('run.1', { level: 1 });
    assert.equal(depth, LEVELS);
    assert.equal(ends.length, LEVELS);
    assert.ok(ends.every((s) => s === true));
    assert.equal(emitter.defaultCorrelationId, null);
    clean(bus);
  });

  test('emitLater chains: each fired event schedules the next', async () => {
    const bus = new EventBus();
    const later = new AsyncEventEmitter('later', bus);
    const levels = [];
    let last;
    const finished = new Promise((resolve) => { last = resolve; });
    bus.subscribe('l.*', (e) => {
      levels.push(e.data.level);
      if (e.data.level < LEVELS) later.emitLater(`l.${e.data.level + 1}`, { level: e.data.level + 1 }, 0);
      else last();
    });
    later.emitLater('l.1', { level: 1 }, 0);
    await finished;
    assert.deepEqual(levels, Array.from({ length: LEVELS }, (_, i) => i + 1));
    clean(bus);
  });
});

describe('subscriptions changed during a dispatch', () => {
  test('a subscription made during a dispatch gets the next event, not the current one', () => {
    const bus = new EventBus();
    const emitter = new EventEmitter('s', bus);
    const late = [];
    let added = false;
    bus.subscribe('x', () => {
      if (!added) {
        added = true;
        bus.subscribe('x', (e) => { late.push(e.data.n); });
        bus.subscribe('*', (e) => { late.push(`*${e.data.n}`); }, { priority: 100 });
      }
    });
    emitter.emit('x', { n: 1 });
    assert.deepEqual(late, [], 'not called for the event being dispatched');
    emitter.emit('x', { n: 2 });
    assert.deepEqual(late, ['*2', 2]);
    clean(bus);
  });

  test('unsubscribing a later handler during a dispatch: it is not called', () => {
    const bus = new EventBus();
    const emitter = new EventEmitter('s', bus);
    const calls = [];
    bus.subscribe('x', () => { calls.push('first'); bus.unsubscribe('third'); }, { subscriberId: 'first' });
    bus.subscribe('x', () => { calls.push('second'); }, { subscriberId: 'second' });
    bus.subscribe('x', () => { calls.push('third'); }, { subscriberId: 'third' });
    emitter.emit('x');
    assert.deepEqual(calls, ['first', 'second']);
    assert.deepEqual(Object.keys(bus.getStats().subscribers), ['first', 'second']);
    clean(bus);
  });

  test('a handler unsubscribing itself and an earlier one: both already ran, neither runs again', () => {
    const bus = new EventBus();
    const emitter = new EventEmitter('s', bus);
    const calls = [];
    bus.subscribe('x', () => { calls.push('a'); }, { subscriberId: 'a' });
    bus.subscribe('x', () => {
      calls.push('b');
      assert.equal(bus.unsubscribe('b'), true);
      assert.equal(bus.unsubscribe('a'), true);
      assert.equal(bus.unsubscribe('a'), false);
    }, { subscriberId: 'b' });
    bus.subscribe('x', () => { calls.push('c'); }, { subscriberId: 'c' });
    emitter.emit('x');
    emitter.emit('x');
    assert.deepEqual(calls, ['a', 'b', 'c', 'c']);
    clean(bus);
  });

  test('replacing a later subscription (same id) during a dispatch: neither version runs for the current event', () => {
    const bus = new EventBus();
    const emitter = new EventEmitter('s', bus);
    const calls = [];
    let replaced = false;
    bus.subscribe('x', () => {
      calls.push('first');
      if (!replaced) {
        replaced = true;
        bus.subscribe('x', () => { calls.push('new'); }, { subscriberId: 'later' });
      }
    });
    bus.subscribe('x', () => { calls.push('old'); }, { subscriberId: 'later' });
    emitter.emit('x');
    assert.deepEqual(calls, ['first']);
    emitter.emit('x');
    assert.deepEqual(calls, ['first', 'first', 'new']);
    clean(bus);
  });

  test('shutdown() mid-dispatch: the remaining handlers are skipped and the bus stays usable', () => {
    const bus = new EventBus();
    const emitter = new EventEmitter('s', bus);
    const calls = [];
    bus.subscribe('x', () => {
      calls.push('first');
      bus.shutdown();
      // Re-subscribing right away is allowed; the new subscription waits for the next event.
      bus.subscribe('x', () => { calls.push('after'); });
      emitter.emit('y'); // nobody listens any more: published, not delivered
    });
    bus.subscribe('x', () => { calls.push('second'); });
    emitter.emit('x');
    assert.deepEqual(calls, ['first']);
    emitter.emit('x');
    assert.deepEqual(calls, ['first', 'after']);
    assert.equal(bus.getStats().eventsPublished, 3);
    clean(bus);
  });

  test('a filter that subscribes, unsubscribes and emits while being asked', () => {
    const bus = new EventBus();
    const emitter = new EventEmitter('s', bus);
    const calls = [];
    bus.subscribe('x', () => { calls.push('handler'); }, {
      filter: (e) => {
        calls.push(`filter ${e.data.n}`);
        if (e.data.n === 1) {
          bus.unsubscribe('victim');
          bus.subscribe('x', () => { calls.push('added'); }, { subscriberId: 'added' });
          emitter.emit('x', { n: 2 });
        }
        return true;
      },
    });
    bus.subscribe('x', () => { calls.push('victim'); }, { subscriberId: 'victim' });
    emitter.emit('x', { n: 1 });
    assert.deepEqual(calls, ['filter 1', 'filter 2', 'handler', 'added', 'handler']);
    clean(bus);
  });
});

describe('every method re-entered from a handler', () => {
  test('emit, emitAsync, subscribe, unsubscribe, operations, enable/disable, metadata — from inside a dispatch', async () => {
    const bus = new EventBus();
    const emitter = new EventEmitter('re', bus);
    const seen = [];
    bus.subscribe('*', (e) => { seen.push(`${e.eventType}:${e.data.phase ?? e.data.step ?? ''}`); }, { priority: 100 });
    const pending = [];
    bus.subscribe('go', () => {
      emitter.emit('step', { step: 'emit' });
      pending.push(emitter.emitAsync('step', { step: 'emitAsync' }));
      emitter.emitSync('step', { step: 'emitSync' });
      emitter.emitBatch([{ eventType: 'step', data: { step: 'batch' } }]);
      pending.push(emitter.emitBatchAsync([{ eventType: 'step', data: { step: 'batchAsync' } }]));
      const id = bus.subscribe('step', () => {}, { subscriberId: 'temp' });
      assert.equal(bus.unsubscribe(id), true);
      const op = emitter.startOperation('inner', { k: 1 });
      emitter.updateOperation(op, 'inner', { progress: 50, status: 'half' });
      emitter.endOperation(op, 'inner', { success: true, result: 1 });
      emitter.emitError('E', 'message');
      emitter.emitMetric('m', 1, { metricType: 'counter', labels: { a: 'b' } });
      emitter.emitAlert('a', 'warning', 'message');
      emitter.setCorrelationContext('corr');
      emitter.clearCorrelationContext();
      emitter.setDefaultMetadata({ set: 'inside' });
      emitter.disable();
      emitter.emit('step', { step: 'while disabled' });
      emitter.enabled = true;
      emitter.enable();
      bus.publish(createEvent('step', 'other', { data: { step: 'publish' } }));
      pending.push(bus.publishAsync(createEvent('step', 'other', { data: { step: 'publishAsync' } })));
      bus.getStats();
      void bus.deadLetterQueue;
      void emitter.defaultMetadata;
      emitter.operation('ctx').run((ctx) => { ctx.update({ progress: 1 }); ctx.emit('step', { step: 'ctx' }); });
      emitter.setDefaultMetadata({});
    });
    emitter.emit('go', { step: 'go' });
    await Promise.all(pending);
    assert.deepEqual(seen, [
      'go:go', 'step:emit', 'step:emitAsync', 'step:emitSync', 'step:batch', 'step:batchAsync',
      'custom:start', 'custom:progress', 'custom:end', 'system.error:', 'metric.update:', 'alert.triggered:',
      'step:publish', 'step:publishAsync', 'custom:start', 'custom:progress', 'step:ctx', 'custom:end',
    ]);
    clean(bus);
  });

  test('setDefaultMetadata and disable during a dispatch affect later events only', () => {
    const bus = new EventBus();
    const emitter = new EventEmitter('re', bus);
    emitter.setDefaultMetadata({ v: 1 });
    const got = [];
    bus.subscribe('x', (e) => {
      got.push(e.metadata.v);
      emitter.setDefaultMetadata({ v: e.metadata.v + 1 });
      if (e.metadata.v === 2) emitter.disable();
    });
    bus.subscribe('x', (e) => { got.push(`second saw ${e.metadata.v}`); });
    emitter.emit('x');
    emitter.emit('x');
    emitter.emit('x'); // disabled: nothing
    assert.deepEqual(got, [1, 'second saw 1', 2, 'second saw 2']);
    emitter.enable();
    emitter.emit('x');
    assert.equal(got[got.length - 2], 3);
    clean(bus);
  });

  test('an operation context used from the handlers of its own events', () => {
    const bus = new EventBus();
    const emitter = new EventEmitter('ctx', bus);
    const ctx = emitter.operation('job');
    const phases = [];
    const inside = [];
    bus.subscribe('custom', (e) => {
      phases.push(e.data.phase);
      if (e.data.phase === 'progress') {
        assert.equal(ctx.correlationId, e.correlationId);
        ctx.emit('job.note', { from: 'progress handler' });
        try {
          ctx.enter();
        } catch (err) {
          inside.push(err.constructor.name);
        }
      }
    });
    bus.subscribe('job.note', (e) => { inside.push(e.correlationId === ctx.correlationId); });
    const result = ctx.run((c) => {
      c.update({ progress: 10 });
      return 'value';
    });
    assert.equal(result, 'value');
    assert.deepEqual(phases, ['start', 'progress', 'end']);
    assert.deepEqual(inside, [true, 'Error']);
    assert.equal(emitter.defaultCorrelationId, null);
    clean(bus);
  });

  // The context is entered as soon as enter() starts publishing its start
  // event, so the handlers of that event may already use it: read its id,
  // report progress, emit with its id, and even end it.
  test('an operation context used from the handler of its own start event', () => {
    const bus = new EventBus();
    const emitter = new EventEmitter('ctx', bus);
    const ctx = emitter.operation('job');
    const seen = [];
    bus.subscribe('custom', (e) => {
      seen.push(e.data.phase);
      if (e.data.phase !== 'start') return;
      seen.push(ctx.correlationId === e.correlationId ? 'id known' : `id ${ctx.correlationId}`);
      ctx.update({ progress: 1 });
      ctx.emit('job.note');
      ctx.exit(); // ends the operation from inside its own start event
    });
    bus.subscribe('job.note', (e) => { seen.push(`note ${e.correlationId === ctx.correlationId}`); });
    ctx.enter();
    ctx.exit(); // already exited: ignored
    assert.deepEqual(logged(), []);
    assert.deepEqual(seen, ['start', 'id known', 'progress', 'note true', 'end']);
    assert.equal(emitter.defaultCorrelationId, null, 'the operation ended: no correlation id left behind');
  });

  test('a scheduled emit cancelled, rescheduled and re-cancelled from handlers', async () => {
    const bus = new EventBus();
    const later = new AsyncEventEmitter('later', bus);
    const got = [];
    let mine;
    bus.subscribe('t.*', (e) => {
      got.push(e.eventType);
      if (e.eventType === 't.first') {
        assert.equal(mine.cancel(), false, 'already fired');
        const other = later.emitLater('t.never', {}, 5);
        assert.equal(other.cancel(), true);
        later.emitLater('t.second', {}, 0);
      }
    });
    mine = later.emitLater('t.first', {}, 0);
    assert.equal(await mine.done, true);
    await macrotasks(3);
    assert.deepEqual(got, ['t.first', 't.second']);
    clean(bus);
  });

  test('a logger that publishes on the bus whose handler just failed', () => {
    const bus = new EventBus();
    const emitter = new EventEmitter('log', bus);
    const reports = [];
    setLogger({
      error(message) {
        reports.push(message);
        emitter.emit('log.reported', { message });
      },
    });
    const got = [];
    bus.subscribe('log.reported', (e) => { got.push(e.data.message); });
    bus.subscribe('boom', () => { throw new Error('handler failed'); });
    emitter.emit('boom');
    assert.equal(reports.length, 1);
    assert.deepEqual(got, reports);
    assert.equal(bus.getStats().eventsFailed, 1);
  });
});

describe('free() during a dispatch', () => {
  test('freeing another emitter and another bus mid-dispatch: the dispatch goes on', () => {
    const bus = new EventBus();
    const emitter = new EventEmitter('main', bus);
    const otherBus = new EventBus();
    const other = new EventEmitter('other', bus);
    const calls = [];
    let first = true;
    bus.subscribe('x', () => {
      if (!first) return;
      first = false;
      other.free();
      otherBus.free();
      calls.push('freed');
    });
    bus.subscribe('x', () => {
      assert.throws(() => other.emit('y'), (e) => e.constructor === Error && /freed/.test(e.message));
      assert.throws(() => otherBus.getStats(), (e) => e.constructor === Error && /freed/.test(e.message));
      calls.push('checked');
    });
    bus.subscribe('x', () => { calls.push('third'); });
    emitter.emit('x');
    assert.deepEqual(calls, ['freed', 'checked', 'third']);
    emitter.emit('x');
    assert.deepEqual(calls, ['freed', 'checked', 'third', 'checked', 'third']);
    clean(bus);
  });

  test('freeing the bus an emitter publishes on, mid-dispatch: remaining handlers run', () => {
    const bus = new EventBus();
    const emitter = new EventEmitter('main', bus);
    const calls = [];
    bus.subscribe('x', () => { bus.free(); calls.push('freed bus'); });
    bus.subscribe('x', () => { calls.push('second'); });
    emitter.emit('x');
    assert.deepEqual(calls, ['freed bus', 'second']);
    assert.throws(() => bus.getStats(), /EventBus\.getStats: the object has been freed/);
    assert.deepEqual(logged(), []);
  });

  // A handler may free the very object whose method is dispatching to it; the
  // call must not fail with the module's "recursive use" error, and once the dispatch
  // is over the object is freed (its Rust side released, not leaked).
  test('free() of the emitter that is dispatching, from its own handler', () => {
    const bus = new EventBus();
    const emitter = new EventEmitter('self', bus);
    const outcome = [];
    bus.subscribe('x', () => {
      try {
        emitter.free();
        outcome.push('freed');
      } catch (e) {
        outcome.push(`${e.constructor.name}: ${e.message}`);
      }
    });
    bus.subscribe('x', () => { outcome.push('second'); });
    emitter.emit('x');
    assert.deepEqual(outcome, ['freed', 'second']);
    assert.throws(() => emitter.emit('x'), /EventEmitter\.emit: the object has been freed/);
  });

  test('free() of the bus that is dispatching (publish), from its own handler', () => {
    const bus = new EventBus();
    const outcome = [];
    bus.subscribe('x', () => {
      try {
        bus.free();
        outcome.push('freed');
      } catch (e) {
        outcome.push(`${e.constructor.name}: ${e.message}`);
      }
    });
    bus.subscribe('x', () => { outcome.push('second'); });
    bus.publish(createEvent('x', 's'));
    assert.deepEqual(outcome, ['freed', 'second']);
    assert.throws(() => bus.getStats(), /EventBus\.getStats: the object has been freed/);
  });
});

describe('unbounded recursion', () => {
  // A handler that emits its own type without end overflows the JS stack (or
  // meets a nesting limit). That is a handler failure like any other: isolated,
  // counted, logged — and the instance must survive it, however often it happens.
  test('a handler that recurses until the stack overflows: the emitter stays usable and can be freed', () => {
    const bus = new EventBus();
    const emitter = new EventEmitter('rec', bus);
    bus.subscribe('rec', () => { emitter.emit('rec'); });
    emitter.emit('rec');
    assert.ok(bus.getStats().eventsFailed >= 1, 'the overflow counts as a handler failure');
    assert.ok(logged().length >= 1, 'and is logged');
    bus.shutdown();
    const got = [];
    bus.subscribe('ok', (e) => { got.push(e.data.n); });
    emitter.emit('ok', { n: 1 });
    assert.deepEqual(got, [1]);
    assert.doesNotThrow(() => emitter.free(), 'the emitter can still be freed');
    assert.doesNotThrow(() => bus.free(), 'the bus can still be freed');
  });

  test('500 stack overflows in a row (child process): the instance keeps working', async () => {
    const report = await isolated('recursion');
    assert.equal(report.error, null, `failed after ${report.iterations} overflows: ${report.error}\n${report.notes.join('\n')}`);
    assert.deepEqual(report.notes, []);
    assert.equal(report.iterations, 500);
  });
});
