// Full-contract emit: one subscriber, default metadata merged with per-call
// metadata, a frozen event with a fresh UUID and a timestamp delivered to it.
// Every contender builds the same per-call data and metadata objects, and
// every handler reads the same fields of what it receives.
import { EventEmitter as NodeEmitter } from 'node:events';
import EventEmitter2Module from 'eventemitter2';
import EventEmitter3 from 'eventemitter3';
import mitt from 'mitt';
import { DEFAULT_METADATA, SOURCE, makeEvent } from '../lib/contract.mjs';
import { Tally, rangeSum } from '../lib/harness.mjs';

const { EventEmitter2 } = EventEmitter2Module;
const TYPE = 'order.created';
const GLOB = 'order.*';
const BATCH = 64;

/**
 * Our EventEmitter on its own EventBus; `pattern` is the subscription
 * pattern. With `batch`, the same events go out through emitBatch, `batch`
 * items per call.
 */
function ours(lib, name, label, pattern, batch = 0) {
  return {
    name,
    label,
    setup() {
      const bus = new lib.EventBus();
      const emitter = new lib.EventEmitter(SOURCE, bus);
      emitter.setDefaultMetadata(DEFAULT_METADATA);
      const t = new Tally(name);
      bus.subscribe(pattern, (e) => {
        t.count++;
        t.sum += e.data.n;
        if (e.eventId.length !== 36 || e.timestamp <= 0 || e.metadata.requestId !== e.data.n ||
            e.metadata.service !== 'checkout') t.bad++;
      });
      let seq = 0;
      const items = [];
      return {
        run(n) {
          const start = seq;
          if (batch === 0) {
            for (let k = 0; k < n; k++) {
              const i = seq++;
              emitter.emit(TYPE, { n: i, sku: 'A-1' }, { metadata: { requestId: i } });
            }
          } else {
            for (let k = 0; k < n; k += batch) {
              items.length = 0;
              for (let j = Math.min(batch, n - k); j > 0; j--) {
                const i = seq++;
                items.push({ eventType: TYPE, data: { n: i, sku: 'A-1' }, metadata: { requestId: i } });
              }
              emitter.emitBatch(items);
            }
          }
          t.expect(n, rangeSum(start, n));
        },
        check: () => t.check(),
        dispose: () => bus.shutdown(),
      };
    },
  };
}

function eventemitter2(name, label, pattern) {
  return {
    name,
    label,
    setup() {
      const ee = new EventEmitter2({ wildcard: true, delimiter: '.' });
      const t = new Tally(name);
      ee.on(pattern, (e) => {
        t.count++;
        t.sum += e.data.n;
        if (e.eventId.length !== 36 || e.timestamp <= 0 || e.metadata.requestId !== e.data.n ||
            e.metadata.service !== 'checkout') t.bad++;
      });
      let seq = 0;
      return {
        run(n) {
          const start = seq;
          for (let k = 0; k < n; k++) {
            const i = seq++;
            ee.emit(TYPE, makeEvent(TYPE, SOURCE, { n: i, sku: 'A-1' }, { metadata: { requestId: i } }, DEFAULT_METADATA, null));
          }
          t.expect(n, rangeSum(start, n));
        },
        check: () => t.check(),
      };
    },
  };
}

const nodeEvents = {
  name: 'node:events',
  label: 'node:events + JS-built event',
  setup() {
    const ee = new NodeEmitter();
    const t = new Tally('node:events');
    ee.on(TYPE, (e) => {
      t.count++;
      t.sum += e.data.n;
      if (e.eventId.length !== 36 || e.timestamp <= 0 || e.metadata.requestId !== e.data.n ||
          e.metadata.service !== 'checkout') t.bad++;
    });
    let seq = 0;
    return {
      run(n) {
        const start = seq;
        for (let k = 0; k < n; k++) {
          const i = seq++;
          ee.emit(TYPE, makeEvent(TYPE, SOURCE, { n: i, sku: 'A-1' }, { metadata: { requestId: i } }, DEFAULT_METADATA, null));
        }
        t.expect(n, rangeSum(start, n));
      },
      check: () => t.check(),
    };
  },
};

// Raw dispatch, for context: the data object only, no event, no metadata.
const eventemitter3Raw = {
  name: 'eventemitter3 raw',
  label: 'eventemitter3, raw data (context)',
  setup() {
    const ee = new EventEmitter3();
    const t = new Tally('eventemitter3 raw');
    ee.on(TYPE, (d) => {
      t.count++;
      t.sum += d.n;
    });
    let seq = 0;
    return {
      run(n) {
        const start = seq;
        for (let k = 0; k < n; k++) {
          const i = seq++;
          ee.emit(TYPE, { n: i, sku: 'A-1' });
        }
        t.expect(n, rangeSum(start, n));
      },
      check: () => t.check(),
    };
  },
};

const mittRaw = {
  name: 'mitt raw',
  label: 'mitt, raw data (context)',
  setup() {
    const ee = mitt();
    const t = new Tally('mitt raw');
    ee.on(TYPE, (d) => {
      t.count++;
      t.sum += d.n;
    });
    let seq = 0;
    return {
      run(n) {
        const start = seq;
        for (let k = 0; k < n; k++) {
          const i = seq++;
          ee.emit(TYPE, { n: i, sku: 'A-1' });
        }
        t.expect(n, rangeSum(start, n));
      },
      check: () => t.check(),
    };
  },
};

export default {
  id: 'emit',
  title: 'Full-contract emit (one subscriber, default + per-call metadata)',
  unit: 'emits/s',
  contenders: (lib) => [
    ours(lib, 'ours', `ours: EventEmitter.emit, subscribed to '${TYPE}'`, TYPE),
    eventemitter2('eventemitter2', 'eventemitter2 (wildcard: true) + JS-built event', TYPE),
    nodeEvents,
    ours(lib, 'ours glob', `ours, subscribed to '${GLOB}' (context)`, GLOB),
    ours(lib, 'ours batch', `ours: emitBatch of ${BATCH}, per event (context)`, TYPE, BATCH),
    eventemitter2('eventemitter2 glob', `eventemitter2, listener on '${GLOB}' (context)`, GLOB),
    eventemitter3Raw,
    mittRaw,
  ],
  ratios: [
    { id: 'emit_vs_eventemitter2', label: 'emit: ours / eventemitter2', a: 'ours', b: 'eventemitter2', min: 1.5 },
    { id: 'emit_vs_node_events', label: 'emit: ours / node:events', a: 'ours', b: 'node:events', min: 1.0 },
    { id: 'emit_glob_vs_eventemitter2_glob', label: `emit, '${GLOB}': ours / eventemitter2 (context)`,
      a: 'ours glob', b: 'eventemitter2 glob' },
    { id: 'emit_batch_vs_emit', label: `emitBatch of ${BATCH}, per event: ours / ours emit (context)`, a: 'ours batch', b: 'ours' },
    { id: 'emit_vs_python', label: 'emit: ours / Python original (reported ~93,000/s)', a: 'ours', ref: 93_000 },
    { id: 'emit_vs_eventemitter3_raw', label: 'emit: ours / eventemitter3 raw (context)', a: 'ours', b: 'eventemitter3 raw' },
    { id: 'emit_vs_mitt_raw', label: 'emit: ours / mitt raw (context)', a: 'ours', b: 'mitt raw' },
  ],
};
