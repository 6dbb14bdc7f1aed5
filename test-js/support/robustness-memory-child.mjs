// Memory soak, run by robustness-memory.test.mjs as `node --expose-gc <this> [phase…]`.
// After a warm-up, each phase repeats one kind of work many times and takes
// checkpoints of process.memoryUsage() after gc() (and a few event-loop turns,
// so that FinalizationRegistry callbacks run). Prints one JSON line:
// { phases: { name: { ops, ms, checkpoints: [{ done, rss, heapUsed, external, arrayBuffers }] } } }.
// WebAssembly memory is counted in `external` on Node.js (and never shrinks).
import {
  AsyncEventEmitter, EventBus, EventEmitter, createEvent, setLogger,
} from 'codomyrmex-events';

if (typeof globalThis.gc !== 'function') throw new Error('run with --expose-gc');
setLogger(null);

const CHECKPOINTS = 10;
const turn = () => new Promise((resolve) => setImmediate(resolve));

async function settle() {
  for (let i = 0; i < 4; i++) {
    globalThis.gc();
    await turn();
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

async function measure(done) {
  await settle();
  const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage();
  return { done, rss, heapUsed, external, arrayBuffers };
}

// Long-lived objects the phases work on.
const bus = new EventBus({ deadLetterLimit: 100 });
const emitter = new EventEmitter('soak', bus);
const later = new AsyncEventEmitter('soak-later', bus);
let received = 0;
bus.subscribe('*', () => { received++; });
bus.subscribe('mem.fail.*', () => { throw new Error('failing handler'); });
bus.subscribe('mem.reject.*', () => Promise.reject(new Error('rejecting handler')));
const TYPES = Array.from({ length: 5000 }, (_, i) => `mem.t${i}`);

/** Each phase: (i) => work for step i, possibly returning a promise; `batch` steps run between checkpoints. */
const PHASES = {
  // 1,000,000 emits: 5,000 distinct types, metadata on half, failing / rejecting handlers now and then.
  emits: {
    ops: 1_000_000,
    async step(i) {
      if (i % 1000 === 999) {
        await emitter.emitAsync(`mem.reject.${i % 7}`, { i });
      } else if (i % 100 === 99) {
        emitter.emit(`mem.fail.${i % 13}`, { i });
      } else if (i % 2) {
        emitter.emit(TYPES[i % TYPES.length], { i }, { metadata: { i }, priority: i % 3 });
      } else {
        emitter.emit(TYPES[i % TYPES.length], { i });
      }
    },
  },
  // 100,000 operations started, updated and ended.
  operations: {
    ops: 100_000,
    step(i) {
      const id = emitter.startOperation('soak-op', { i });
      if (i % 2) emitter.updateOperation(id, 'soak-op', { progress: 50, status: 'half', data: { i } });
      emitter.endOperation(id, 'soak-op', i % 10 ? { success: true, result: i } : { success: false, error: 'failed' });
    },
  },
  // 100,000 operation().run() contexts (left to the garbage collector), some failing, some async.
  contexts: {
    ops: 100_000,
    async step(i) {
      const ctx = emitter.operation('soak-ctx', { i });
      if (i % 10 === 0) {
        await ctx.run(async (c) => { c.update({ progress: 1 }); });
      } else if (i % 10 === 1) {
        try {
          ctx.run(() => { throw new Error('fails'); });
        } catch {
          // rethrown by design
        }
      } else {
        ctx.run((c) => c.emit('mem.ctx', { i }));
      }
    },
  },
  // 100,000 subscribe/unsubscribe cycles (with filters and priorities), an emit now and then.
  subscriptions: {
    ops: 100_000,
    step(i) {
      const id = bus.subscribe(['mem.sub.*', `mem.exact.${i % 50}`], () => {}, {
        filter: i % 2 ? (e) => e.data.i >= 0 : undefined,
        priority: i % 5,
        subscriberId: i % 3 ? undefined : `sub-${i % 100}`,
      });
      if (i % 10 === 0) emitter.emit('mem.sub.x', { i });
      bus.unsubscribe(id);
    },
  },
  // 100,000 emitLater(…, 0), scheduled 1,000 at a time and awaited; every 10th cancelled.
  delayed: {
    ops: 100_000,
    batch: 1000,
    async step(i) {
      const done = [];
      for (let k = 0; k < 1000; k++) {
        const s = later.emitLater('mem.later', { i: i + k }, 0);
        if (k % 10 === 0) s.cancel();
        done.push(s.done);
      }
      await Promise.all(done);
    },
  },
  // 100,000 EventBus + EventEmitter created, used and dropped without free().
  objects: {
    ops: 100_000,
    async step(i) {
      const b = new EventBus();
      const e = new EventEmitter('tmp', b);
      b.subscribe('mem.obj', countObject);
      e.emit('mem.obj', { i });
      if (i % 3 === 0) b.publish(createEvent('mem.obj', 'tmp'));
      if (i % 1000 === 999) await turn();
    },
  },
  // The same, with handlers that use their own bus and emitter (as re-entrant handlers do).
  objectsWithReentrantHandlers: {
    ops: 100_000,
    step: (i) => busWithReentrantHandlers(i, false),
  },
  // The documented way out of such a cycle: shutdown() drops the handlers.
  objectsWithReentrantHandlersShutDown: {
    ops: 100_000,
    step: (i) => busWithReentrantHandlers(i, true),
  },
};
/** A bus and an emitter whose handlers refer to both, used once and dropped. */
async function busWithReentrantHandlers(i, shutDown) {
  const b = new EventBus();
  const e = new EventEmitter('tmp', b);
  b.subscribe('mem.obj', (ev) => { if (ev.data.i < 0) e.emit('never'); countObject(); });
  b.subscribe('mem.obj.stats', () => b.getStats());
  e.emit('mem.obj', { i });
  if (shutDown) b.shutdown();
  if (i % 1000 === 999) await turn();
}

let objectEvents = 0;
function countObject() {
  objectEvents++;
}

async function runPhase(name, ops, batchSize = 1) {
  const phase = PHASES[name];
  const checkpoints = [await measure(0)];
  const every = ops / CHECKPOINTS;
  const start = performance.now();
  for (let i = 0; i < ops; i += batchSize) {
    const r = phase.step(i);
    if (r !== undefined) await r;
    if ((i + batchSize) % every === 0) checkpoints.push(await measure(i + batchSize));
  }
  return { ops, ms: Math.round(performance.now() - start), checkpoints };
}

const wanted = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(PHASES);
const report = { phases: {}, warmupMs: 0 };
const t0 = performance.now();
// Warm-up: every phase at 5% (at least one batch), so that caches and pools reach their size.
for (const name of wanted) {
  const { ops, batch = 1 } = PHASES[name];
  const warm = Math.max(batch, Math.round(ops / 20 / batch) * batch);
  for (let i = 0; i < warm; i += batch) {
    const r = PHASES[name].step(i);
    if (r !== undefined) await r;
  }
}
report.warmupMs = Math.round(performance.now() - t0);
for (const name of wanted) {
  const { ops, batch = 1 } = PHASES[name];
  report.phases[name] = await runPhase(name, ops, batch);
}
report.received = received;
report.objectEvents = objectEvents;
report.stats = bus.getStats();
delete report.stats.subscribers;
console.log(JSON.stringify(report));
