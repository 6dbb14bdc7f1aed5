// Scale: the same full-contract emit to one matching subscriber, on a bus
// holding 1 subscription and on a bus holding 10,000 subscriptions with
// distinct glob patterns (svc<i>.*.created), only one of which matches.
// eventemitter2 with wildcard listeners is measured the same way for context.
//
// Our bus caches the route of each event type it has seen (a bounded cache,
// cleared by any subscribe or unsubscribe), so one repeated type measures the
// cached path. The "rotating" contenders emit 10,000 distinct types in turn,
// svc<i>.orders.created, each reaching its own subscriber: more distinct
// types than the cache holds, so every emit looks its route up afresh.
import EventEmitter2Module from 'eventemitter2';
import { DEFAULT_METADATA, SOURCE, makeEvent } from '../lib/contract.mjs';
import { Tally, now, rangeSum } from '../lib/harness.mjs';

const { EventEmitter2 } = EventEmitter2Module;
export const SUBSCRIPTIONS = 10_000;
const HIT = 5_000; // the matching subscription, in the middle of the others
const TYPE = `svc${HIT}.orders.created`;
const pattern = (i) => `svc${i}.*.created`;
const ROTATING_TYPES = Array.from({ length: SUBSCRIPTIONS }, (_, i) => `svc${i}.orders.created`);

/** Setup times of the large buses, for the report. */
export const setupTimes = {};

function ours(lib, name, label, count, rotate = false) {
  return {
    name,
    label,
    setup() {
      const bus = new lib.EventBus();
      const emitter = new lib.EventEmitter(SOURCE, bus);
      emitter.setDefaultMetadata(DEFAULT_METADATA);
      const t = new Tally(name);
      const stray = () => {
        t.bad++;
      };
      const hit = (e) => {
        t.count++;
        t.sum += e.data.n;
        if (e.eventId.length !== 36 || e.metadata.requestId !== e.data.n) t.bad++;
      };
      const t0 = now();
      if (count === 1) bus.subscribe(pattern(HIT), hit);
      else for (let i = 0; i < count; i++) bus.subscribe(pattern(i), i === HIT || rotate ? hit : stray);
      setupTimes[name] = now() - t0;
      let seq = 0;
      if (rotate) {
        return {
          run(n) {
            const start = seq;
            for (let k = 0; k < n; k++) {
              const i = seq++;
              emitter.emit(ROTATING_TYPES[i % SUBSCRIPTIONS], { n: i, sku: 'A-1' }, { metadata: { requestId: i } });
            }
            t.expect(n, rangeSum(start, n));
          },
          check: () => t.check(),
          dispose: () => bus.shutdown(),
        };
      }
      return {
        run(n) {
          const start = seq;
          for (let k = 0; k < n; k++) {
            const i = seq++;
            emitter.emit(TYPE, { n: i, sku: 'A-1' }, { metadata: { requestId: i } });
          }
          t.expect(n, rangeSum(start, n));
        },
        check: () => t.check(),
        dispose: () => bus.shutdown(),
      };
    },
  };
}

function eventemitter2(name, label, count, rotate = false) {
  return {
    name,
    label,
    setup() {
      const ee = new EventEmitter2({ wildcard: true, delimiter: '.' });
      const t = new Tally(name);
      const stray = () => {
        t.bad++;
      };
      const hit = (e) => {
        t.count++;
        t.sum += e.data.n;
        if (e.eventId.length !== 36 || e.metadata.requestId !== e.data.n) t.bad++;
      };
      const t0 = now();
      if (count === 1) ee.on(pattern(HIT), hit);
      else for (let i = 0; i < count; i++) ee.on(pattern(i), i === HIT || rotate ? hit : stray);
      setupTimes[name] = now() - t0;
      let seq = 0;
      if (rotate) {
        return {
          run(n) {
            const start = seq;
            for (let k = 0; k < n; k++) {
              const i = seq++;
              const type = ROTATING_TYPES[i % SUBSCRIPTIONS];
              ee.emit(type, makeEvent(type, SOURCE, { n: i, sku: 'A-1' }, { metadata: { requestId: i } }, DEFAULT_METADATA, null));
            }
            t.expect(n, rangeSum(start, n));
          },
          check: () => t.check(),
        };
      }
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

export default {
  id: 'scale',
  title: `Scale: emit to 1 matching subscriber among 1 vs ${SUBSCRIPTIONS.toLocaleString('en-US')} glob subscriptions`,
  unit: 'emits/s',
  contenders: (lib) => [
    ours(lib, 'ours 1 sub', 'ours, 1 subscription', 1),
    ours(lib, 'ours 10k subs', `ours, ${SUBSCRIPTIONS.toLocaleString('en-US')} subscriptions (svc<i>.*.created)`, SUBSCRIPTIONS),
    ours(lib, 'ours 10k subs rotating', `ours, ${SUBSCRIPTIONS.toLocaleString('en-US')} subscriptions, ${SUBSCRIPTIONS.toLocaleString('en-US')} types in turn (context)`,
      SUBSCRIPTIONS, true),
    eventemitter2('eventemitter2 1 sub', 'eventemitter2, 1 listener (context)', 1),
    eventemitter2('eventemitter2 10k subs', `eventemitter2, ${SUBSCRIPTIONS.toLocaleString('en-US')} wildcard listeners (context)`, SUBSCRIPTIONS),
    eventemitter2('eventemitter2 10k subs rotating', `eventemitter2, ${SUBSCRIPTIONS.toLocaleString('en-US')} listeners, types in turn (context)`,
      SUBSCRIPTIONS, true),
  ],
  // A cost ratio: how many times slower one emit is with 10,000 subscriptions.
  ratios: [
    { id: 'scale_cost_10k_vs_1', label: 'scale: ours cost, 10,000 subs / 1 sub', a: 'ours 1 sub', b: 'ours 10k subs', max: 2.0 },
    { id: 'scale_cost_eventemitter2', label: 'scale: eventemitter2 cost, 10,000 / 1 (context)',
      a: 'eventemitter2 1 sub', b: 'eventemitter2 10k subs' },
    { id: 'scale_cost_rotating', label: 'scale: ours cost, 10,000 subs + types in turn / 1 sub (context)',
      a: 'ours 1 sub', b: 'ours 10k subs rotating' },
    { id: 'scale_cost_eventemitter2_rotating', label: 'scale: eventemitter2 cost, 10,000 + types in turn / 1 (context)',
      a: 'eventemitter2 1 sub', b: 'eventemitter2 10k subs rotating' },
    { id: 'scale_10k_vs_eventemitter2_10k', label: 'scale, 10,000 subs: ours / eventemitter2 (context)',
      a: 'ours 10k subs', b: 'eventemitter2 10k subs' },
  ],
};
