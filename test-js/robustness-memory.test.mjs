// Memory: a long soak in a child process (`node --expose-gc`, see
// support/robustness-memory-child.mjs) must level off — emits, operations,
// contexts, subscriptions, delayed emits and objects left to the garbage
// collector leak nothing — and freed objects say so clearly.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import {
  AsyncEventEmitter, EventBus, EventEmitter, EventOperationContext, ScheduledEmit, setLogger,
} from 'codomyrmex-events';
import { runChild, show } from './support/robustness.mjs';

const MiB = 1024 * 1024;
const mb = (bytes) => `${(bytes / MiB).toFixed(2)} MiB`;

// How much a measure may still grow between the checkpoint at half of a phase
// and the last one (after gc()). The work is the same all through a phase, so
// once the first half has brought caches and pools to their size, nothing
// should grow at all:
// - external holds the WebAssembly memory, which the allocator grows 1 MiB at
//   a time and never shrinks; it measured flat (0 bytes) in the second half of
//   every phase. One step, 1 MiB, over the last 500,000 emits is 2 bytes per emit; over the
//   last 50,000 operations of a 100,000-op phase it is 21 bytes per operation,
//   less than any Rust allocation (a subscription, an Rc, a dead letter) or
//   a leaked event would take.
// - heapUsed after gc() moved by at most 0.3 MiB; the same 1 MiB bound catches
//   a leaked JS object (an event is ~150 bytes) per 7 operations.
// - arrayBuffers holds no WebAssembly memory on Node.js (external does) and
//   stays near 0: 1 MiB.
// - rss also reflects the allocator and the GC's reserved pages; it moved by at
//   most ~2 MiB in the second halves: 8 MiB.
const BOUNDS = { external: 1 * MiB, heapUsed: 1 * MiB, arrayBuffers: 1 * MiB, rss: 8 * MiB };

const child = fileURLToPath(new URL('./support/robustness-memory-child.mjs', import.meta.url));

describe('memory levels off (child process, node --expose-gc)', () => {
  let report;
  before(async () => {
    report = await runChild(['--expose-gc', child], 120_000);
  }, { timeout: 130_000 });

  const PHASES = [
    ['emits', '1,000,000 emits (5,000 types, metadata, failing and rejecting handlers)'],
    ['operations', '100,000 operations started, updated and ended'],
    ['contexts', '100,000 operation().run() contexts (sync, throwing, async) left to the GC'],
    ['subscriptions', '100,000 subscribe/unsubscribe cycles'],
    ['delayed', '100,000 emitLater(…, 0) awaited, every 10th cancelled'],
    ['objects', '100,000 EventBus + EventEmitter created, used and dropped without free()'],
    ['objectsWithReentrantHandlers', '100,000 EventBus + EventEmitter whose handlers use them, dropped without free()'],
    ['objectsWithReentrantHandlersShutDown', '100,000 EventBus + EventEmitter whose handlers use them, shut down, dropped without free()'],
  ];
  for (const [name, what] of PHASES) {
    test(`${what}: memory levels off`, (t) => {
      const phase = report.phases[name];
      assert.ok(phase, `phase ${name} ran`);
      const cps = phase.checkpoints;
      const half = cps[Math.floor((cps.length - 1) / 2)];
      const last = cps[cps.length - 1];
      t.diagnostic(`${phase.ops} ops in ${phase.ms} ms; ` + ['rss', 'heapUsed', 'external', 'arrayBuffers']
        .map((k) => `${k} ${mb(cps[0][k])} → ${mb(half[k])} (half) → ${mb(last[k])}`).join('; '));
      const grown = Object.entries(BOUNDS)
        .filter(([k, bound]) => last[k] - half[k] > bound)
        .map(([k, bound]) => `${k} grew by ${mb(last[k] - half[k])} over the second half (bound ${mb(bound)}); ` +
          `checkpoints: ${cps.map((c) => mb(c[k])).join(', ')}`);
      assert.deepEqual(grown, [], `${what}`);
    });
  }

  test('the soak delivered what it emitted', () => {
    // emits + operations + contexts + subscriptions' emits + delayed, all on the one bus.
    assert.ok(report.received > 1_000_000, `received ${report.received}`);
    assert.ok(report.stats.deadLetterCount <= 100, 'dead letters within their bound');
    assert.ok(report.objectEvents >= 200_000, `object phases delivered ${report.objectEvents}`);
  });
});

describe('freed objects', () => {
  setLogger(null);
  const freedError = (cls, member) => (e) => {
    assert.equal(e.constructor, Error, `${cls}.${member}: an Error, got ${show(e)}`);
    assert.match(e.message, new RegExp(`${cls}\\.${member}\\b.*has been freed`), `${cls}.${member}`);
    return true;
  };

  /** [class name, make(), { method: args }, [getters]] */
  const CLASSES = [
    ['EventBus', () => new EventBus(), {
      subscribe: ['x', () => {}], unsubscribe: ['id'], publish: [{}], getStats: [], resetStats: [], shutdown: [],
    }, ['deadLetterQueue']],
    ['EventEmitter', () => new EventEmitter('s', new EventBus()), {
      emit: ['x'], emitSync: ['x'], emitBatch: [[]], startOperation: ['op'], updateOperation: ['c', 'op'],
      endOperation: ['c', 'op'], operation: ['op'], emitError: ['t', 'm'], emitMetric: ['m', 1], emitAlert: ['a', 'info', 'm'],
      setCorrelationContext: ['c'], clearCorrelationContext: [], setDefaultMetadata: [{}], enable: [], disable: [],
    }, ['source', 'eventBus', 'enabled', 'defaultCorrelationId', 'defaultMetadata']],
    ['EventOperationContext', () => new EventOperationContext(new EventEmitter('s', new EventBus()), 'op'), {
      enter: [], exit: [], update: [{}], emit: ['x'], run: [() => 1],
    }, ['correlationId', 'operationName']],
    ['AsyncEventEmitter', () => new AsyncEventEmitter('s', new EventBus()), { emitLater: ['x', {}, 0] }, ['source', 'eventBus']],
    ['ScheduledEmit', () => { const s = new AsyncEventEmitter('s', new EventBus()).emitLater('x', {}, 10); s.cancel(); return s; },
      { cancel: [] }, ['done']],
  ];

  for (const [cls, make, methods, getters] of CLASSES) {
    test(`${cls}: every method and getter of a freed object throws an Error saying so`, () => {
      const obj = make();
      obj.free();
      for (const [method, args] of Object.entries(methods)) {
        assert.throws(() => obj[method](...args), freedError(cls, method));
      }
      for (const getter of getters) {
        assert.throws(() => obj[getter], freedError(cls, getter));
      }
    });
  }

  for (const [cls, make, methods] of CLASSES) {
    test(`${cls}: free() through a proxy is refused with a TypeError; the object works on, and frees itself`, () => {
      const obj = make();
      const proxy = new Proxy(obj, {});
      // A context's [Symbol.dispose] ends its operation; the others' frees.
      const frees = cls === 'EventOperationContext' ? [() => proxy.free()] : [() => proxy.free(), () => proxy[Symbol.dispose]()];
      for (const free of frees) {
        assert.throws(free, (e) => e.constructor === TypeError && e.message.startsWith(`${cls}.free: not called on the ${cls} itself`));
      }
      const [method, args] = Object.entries(methods)[0];
      assert.doesNotThrow(() => proxy[method](...args), `${cls}.${method} still works`);
      obj.free();
      assert.throws(() => obj[method](...args), freedError(cls, method));
    });
  }

  test('async methods of a freed object return a rejected promise (they never throw)', async () => {
    const bus = new EventBus();
    const emitter = new EventEmitter('s', bus);
    const asyncEmitter = new AsyncEventEmitter('s', bus);
    bus.free();
    emitter.free();
    asyncEmitter.free();
    const calls = [
      ['EventBus', 'publishAsync', () => bus.publishAsync({})],
      ['EventEmitter', 'emitAsync', () => emitter.emitAsync('x')],
      ['EventEmitter', 'emitBatchAsync', () => emitter.emitBatchAsync([])],
      ['AsyncEventEmitter', 'emit', () => asyncEmitter.emit('x')],
    ];
    for (const [cls, method, call] of calls) {
      let result;
      assert.doesNotThrow(() => { result = call(); }, `${cls}.${method} must not throw synchronously`);
      await assert.rejects(result, freedError(cls, method));
    }
  });

  test('a freed bus passed as an argument is refused with a TypeError naming the argument', () => {
    const bus = new EventBus();
    bus.free();
    assert.throws(() => new EventEmitter('s', bus), (e) => e.constructor === TypeError && /eventBus/.test(e.message));
    assert.throws(() => new AsyncEventEmitter('s', bus), (e) => e.constructor === TypeError && /\bbus\b/.test(e.message));
    const emitter = new EventEmitter('s', new EventBus());
    emitter.free();
    assert.throws(() => new EventOperationContext(emitter, 'op'), (e) => e.constructor === TypeError && /emitter/.test(e.message));
  });

  test('Symbol.dispose on an EventBus frees it; on an emitter too', () => {
    assert.equal(typeof Symbol.dispose, 'symbol');
    const bus = new EventBus();
    const emitter = new EventEmitter('s', bus);
    let got = 0;
    bus.subscribe('x', () => { got++; });
    emitter.emit('x');
    bus[Symbol.dispose]();
    assert.throws(() => bus.getStats(), freedError('EventBus', 'getStats'));
    assert.throws(() => bus.subscribe('x', () => {}), freedError('EventBus', 'subscribe'));
    emitter[Symbol.dispose]();
    assert.throws(() => emitter.emit('x'), freedError('EventEmitter', 'emit'));
    assert.equal(got, 1);
  });

  // Disposal is idempotent: a `using` declaration disposes at the end of its
  // block even when the code in it already called free().
  test('free() twice, and Symbol.dispose after free(), do nothing', () => {
    for (const make of [() => new EventBus(), () => new EventEmitter('s', new EventBus()), () => new AsyncEventEmitter()]) {
      const a = make();
      a.free();
      assert.doesNotThrow(() => a.free(), `${a.constructor.name}: second free()`);
      const b = make();
      b.free();
      assert.doesNotThrow(() => b[Symbol.dispose](), `${b.constructor.name}: dispose after free()`);
    }
  });
});
