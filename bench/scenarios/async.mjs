// Async: an awaited emit whose single subscriber is an async function; the
// emit resolves once the handler's promise has settled. Ours is
// EventEmitter.emitAsync; emittery's emit is awaited with the same JS-built
// event (equal work), and with the raw data object for context.
import EventEmitter2Module from 'eventemitter2';
import Emittery from 'emittery';
import { DEFAULT_METADATA, SOURCE, makeEvent } from '../lib/contract.mjs';
import { Tally, rangeSum } from '../lib/harness.mjs';

const { EventEmitter2 } = EventEmitter2Module;
const TYPE = 'job.completed';

const ours = (lib) => ({
  name: 'ours',
  label: 'ours: await EventEmitter.emitAsync',
  async: true,
  setup() {
    const bus = new lib.EventBus();
    const emitter = new lib.EventEmitter(SOURCE, bus);
    emitter.setDefaultMetadata(DEFAULT_METADATA);
    const t = new Tally('ours');
    bus.subscribe(TYPE, async (e) => {
      t.count++;
      t.sum += e.data.n;
      if (e.eventId.length !== 36 || e.metadata.requestId !== e.data.n) t.bad++;
    });
    let seq = 0;
    return {
      async run(n) {
        const start = seq;
        for (let k = 0; k < n; k++) {
          const i = seq++;
          await emitter.emitAsync(TYPE, { n: i, sku: 'A-1' }, { metadata: { requestId: i } });
        }
        t.expect(n, rangeSum(start, n));
      },
      check: () => t.check(),
      dispose: () => bus.shutdown(),
    };
  },
});

// AsyncEventEmitter#emit takes no metadata: its events carry none per call,
// so this row is context (less work than the JS-built event).
const oursAsyncEmitter = (lib) => ({
  name: 'ours AsyncEventEmitter',
  label: 'ours: await AsyncEventEmitter.emit, no per-call metadata (context)',
  async: true,
  setup() {
    const bus = new lib.EventBus();
    const emitter = new lib.AsyncEventEmitter(SOURCE, bus);
    const t = new Tally('ours AsyncEventEmitter');
    bus.subscribe(TYPE, async (e) => {
      t.count++;
      t.sum += e.data.n;
      if (e.eventId.length !== 36) t.bad++;
    });
    let seq = 0;
    return {
      async run(n) {
        const start = seq;
        for (let k = 0; k < n; k++) {
          const i = seq++;
          await emitter.emit(TYPE, { n: i, sku: 'A-1' });
        }
        t.expect(n, rangeSum(start, n));
      },
      check: () => t.check(),
      dispose: () => bus.shutdown(),
    };
  },
});

const emittery = {
  name: 'emittery',
  label: 'emittery: await emit + JS-built event',
  async: true,
  setup() {
    const ee = new Emittery();
    const t = new Tally('emittery');
    ee.on(TYPE, async (e) => {
      t.count++;
      t.sum += e.data.n;
      if (e.eventId.length !== 36 || e.metadata.requestId !== e.data.n) t.bad++;
    });
    let seq = 0;
    return {
      async run(n) {
        const start = seq;
        for (let k = 0; k < n; k++) {
          const i = seq++;
          await ee.emit(TYPE, makeEvent(TYPE, SOURCE, { n: i, sku: 'A-1' }, { metadata: { requestId: i } }, DEFAULT_METADATA, null));
        }
        t.expect(n, rangeSum(start, n));
      },
      check: () => t.check(),
    };
  },
};

const emitteryRaw = {
  name: 'emittery raw',
  label: 'emittery: await emit, raw data (context)',
  async: true,
  setup() {
    const ee = new Emittery();
    const t = new Tally('emittery raw');
    ee.on(TYPE, async (d) => {
      t.count++;
      t.sum += d.n;
    });
    let seq = 0;
    return {
      async run(n) {
        const start = seq;
        for (let k = 0; k < n; k++) {
          const i = seq++;
          await ee.emit(TYPE, { n: i, sku: 'A-1' });
        }
        t.expect(n, rangeSum(start, n));
      },
      check: () => t.check(),
    };
  },
};

const eventemitter2Async = {
  name: 'eventemitter2 emitAsync',
  label: 'eventemitter2: await emitAsync + JS-built event (context)',
  async: true,
  setup() {
    const ee = new EventEmitter2({ wildcard: true, delimiter: '.' });
    const t = new Tally('eventemitter2 emitAsync');
    ee.on(TYPE, async (e) => {
      t.count++;
      t.sum += e.data.n;
      if (e.eventId.length !== 36 || e.metadata.requestId !== e.data.n) t.bad++;
    });
    let seq = 0;
    return {
      async run(n) {
        const start = seq;
        for (let k = 0; k < n; k++) {
          const i = seq++;
          await ee.emitAsync(TYPE, makeEvent(TYPE, SOURCE, { n: i, sku: 'A-1' }, { metadata: { requestId: i } }, DEFAULT_METADATA, null));
        }
        t.expect(n, rangeSum(start, n));
      },
      check: () => t.check(),
    };
  },
};

export default {
  id: 'async',
  title: 'Async: awaited emit, one async subscriber',
  unit: 'awaited emits/s',
  contenders: (lib) => [ours(lib), oursAsyncEmitter(lib), emittery, emitteryRaw, eventemitter2Async],
  ratios: [
    { id: 'async_vs_emittery', label: 'async: ours / emittery', a: 'ours', b: 'emittery', min: 3.0 },
    { id: 'async_vs_emittery_raw', label: 'async: ours / emittery raw (context)', a: 'ours', b: 'emittery raw' },
    { id: 'async_emitter_vs_emittery', label: 'async: AsyncEventEmitter.emit / emittery (context)',
      a: 'ours AsyncEventEmitter', b: 'emittery' },
    { id: 'async_vs_eventemitter2', label: 'async: ours / eventemitter2 emitAsync (context)',
      a: 'ours', b: 'eventemitter2 emitAsync' },
  ],
};
