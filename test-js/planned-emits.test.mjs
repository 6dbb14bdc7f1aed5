// Emits that run from the core's plans in host.js (see the README's
// "Performance"): every emit after the first of its type takes that path when
// its options need only kind checks. Each test compares with, or forces, the
// core's checked path, which an emit with an explicit priority takes.
import { test, describe, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { AsyncEventEmitter, EventBus, EventEmitter, setLogger } from 'codomyrmex-events';
import { captureLogger, noUnhandledRejection } from './support/logging.mjs';

beforeEach(() => setLogger(null));
afterEach(() => setLogger(null));

/** What a handler saw of an event, without its id and time. */
const seen = (e) => ({ type: e.eventType, source: e.source, correlationId: e.correlationId, data: e.data,
  metadata: { ...e.metadata }, priority: e.priority });

describe('a plan holds until what it depends on changes', () => {
  test('subscriptions, enabled, default metadata, operations and shutdown', () => {
    const bus = new EventBus();
    const emitter = new EventEmitter('svc', bus);
    const log = [];
    bus.subscribe('p.a', (e) => log.push(['first', e.correlationId, { ...e.metadata }]), { subscriberId: 'first' });
    const emit = () => {
      log.length = 0;
      emitter.emit('p.a', { n: 1 });
      return log.map((entry) => entry[0]);
    };
    assert.deepEqual(emit(), ['first']);
    assert.deepEqual(emit(), ['first']);
    bus.subscribe('p.*', () => log.push(['second']), { subscriberId: 'second' });
    assert.deepEqual(emit(), ['first', 'second']);
    bus.unsubscribe('first');
    assert.deepEqual(emit(), ['second']);
    bus.subscribe('p.a', (e) => log.push(['first', e.correlationId, { ...e.metadata }]), { subscriberId: 'first', priority: 5 });
    assert.deepEqual(emit(), ['first', 'second']);
    emitter.setDefaultMetadata({ region: 'eu' });
    emit();
    assert.deepEqual(log[0][2], { region: 'eu' });
    emitter.enabled = false;
    assert.deepEqual(emit(), []);
    emitter.enabled = true;
    assert.deepEqual(emit(), ['first', 'second']);
    const id = emitter.startOperation('job');
    emit();
    assert.equal(log[0][1], id);
    emitter.endOperation(id, 'job');
    emit();
    assert.equal(log[0][1], null);
    bus.shutdown();
    assert.deepEqual(emit(), []);
  });

  test('each emitter of a bus runs its own plan', () => {
    const bus = new EventBus();
    const a = new EventEmitter('a', bus);
    const b = new EventEmitter('b', bus);
    const sources = [];
    bus.subscribe('q', (e) => sources.push(e.source));
    for (let i = 0; i < 3; i++) {
      a.emit('q');
      b.emit('q');
    }
    assert.deepEqual(sources, ['a', 'b', 'a', 'b', 'a', 'b']);
  });
});

test('more emitters than the live plans kept (1024) all deliver, in turn and again', () => {
  const bus = new EventBus();
  const got = [];
  bus.subscribe('many', (e) => got.push(e.source));
  const emitters = Array.from({ length: 1500 }, (_, i) => new EventEmitter(`e${i}`, bus));
  const expected = [];
  for (let round = 0; round < 3; round++) {
    for (const emitter of emitters) {
      emitter.emit('many');
      expected.push(emitter.source);
    }
  }
  assert.deepEqual(got, expected);
  assert.equal(bus.getStats().eventsPublished, 4500);
  for (const emitter of emitters) emitter.free();
});

test('more event types than the checked types kept (4096): every emit keeps its own type', () => {
  const bus = new EventBus();
  const emitter = new EventEmitter('svc', bus);
  const got = [];
  bus.subscribe('kind.first', (e) => got.push(`first: ${e.eventType}`));
  bus.subscribe('kind.t*', (e) => got.push(`t*: ${e.eventType}`));
  // A type emitted twice is known by its slot. 4096 new types, once each,
  // make the checked types start over, and the last of them take that slot.
  const types = Array.from({ length: 4096 }, (_, i) => `kind.t${i}`);
  const order = ['kind.first', 'kind.first', ...types, 'kind.first', 'kind.first', ...types.slice(-3), ...types.slice(-3)];
  for (const type of order) emitter.emit(type);
  assert.deepEqual(got, order.map((t) => `${t === 'kind.first' ? 'first' : 't*'}: ${t}`));
});

describe('counters', () => {
  test('getStats and resetStats include planned emits, also from inside a handler', () => {
    const bus = new EventBus();
    const emitter = new EventEmitter('svc', bus);
    const inside = [];
    bus.subscribe('c', () => inside.push(bus.getStats().eventsPublished));
    for (let i = 0; i < 5; i++) emitter.emit('c');
    emitter.emit('none.subscribed');
    emitter.emit('none.subscribed');
    assert.deepEqual(inside, [1, 2, 3, 4, 5]);
    let stats = bus.getStats();
    assert.equal(stats.eventsPublished, 7);
    assert.equal(stats.eventsProcessed, 5);
    bus.resetStats();
    emitter.emit('c');
    stats = bus.getStats();
    assert.equal(stats.eventsPublished, 1);
    assert.equal(stats.eventsProcessed, 1);
  });

  test('a disabled emitter counts nothing', () => {
    const bus = new EventBus();
    const emitter = new EventEmitter('svc', bus);
    bus.subscribe('d', () => {});
    emitter.emit('d');
    emitter.enabled = false;
    emitter.emit('d');
    emitter.emit('d');
    assert.equal(bus.getStats().eventsPublished, 1);
  });
});

describe('dispatch', () => {
  test('a subscription removed by an earlier handler is skipped; one added is not reached', () => {
    const bus = new EventBus();
    const emitter = new EventEmitter('svc', bus);
    const calls = [];
    let round = 0;
    bus.subscribe('r', () => {
      calls.push(`first${round}`);
      if (round === 2) {
        bus.unsubscribe('second');
        bus.subscribe('r', () => calls.push(`third${round}`), { subscriberId: 'third' });
      }
    }, { priority: 1 });
    bus.subscribe('r', () => calls.push(`second${round}`), { subscriberId: 'second' });
    for (round = 1; round <= 3; round++) emitter.emit('r');
    assert.deepEqual(calls, ['first1', 'second1', 'first2', 'first3', 'third3']);
  });

  test('failures are recorded as on the checked path: throw, rejection, filter', async () => {
    const logs = captureLogger();
    const bus = new EventBus();
    const emitter = new EventEmitter('svc', bus);
    bus.subscribe('f', () => { throw new Error('thrown'); }, { subscriberId: 'thrower' });
    bus.subscribe('f', async () => { throw new Error('rejected'); }, { subscriberId: 'rejecter' });
    bus.subscribe('f', () => {}, { subscriberId: 'filtered', filter: () => { throw new Error('filter'); } });
    bus.subscribe('f', () => {}, { subscriberId: 'fine' });
    await noUnhandledRejection(async () => {
      emitter.emit('f', { n: 1 });
      emitter.emit('f', { n: 2 }, { priority: 0 }); // the checked path
      await emitter.emitAsync('f', { n: 3 });
    });
    const stats = bus.getStats();
    assert.equal(stats.eventsPublished, 3);
    assert.equal(stats.eventsFailed, 9);
    assert.equal(stats.eventsProcessed, 3);
    // The throws and the filter's failure at once, the rejections once settled.
    assert.deepEqual(bus.deadLetterQueue.map((e) => e.data.n), [1, 1, 2, 2, 3, 3, 1, 2, 3]);
    const messages = logs.error.map((a) => a[0]);
    for (const id of ['thrower', 'rejecter', 'filtered']) {
      assert.equal(messages.filter((m) => m === `event handler "${id}" failed on "f"`).length, 3, id);
    }
  });

  test('AsyncEventEmitter#emit runs from the plan too: same events, failures and counts, settled after its handlers', async () => {
    const logs = captureLogger();
    const run = async (checked) => {
      const bus = new EventBus();
      const emitter = new AsyncEventEmitter('jobs', bus);
      const log = [];
      let settled = 0;
      bus.subscribe('job.*', async (e) => {
        await new Promise((resolve) => setImmediate(resolve));
        settled++;
        log.push(seen(e));
      }, { subscriberId: 'slow' });
      bus.subscribe('job.failed', () => { throw new Error('thrown'); }, { subscriberId: 'thrower' });
      bus.subscribe('job.*', async () => { throw new Error('rejected'); }, { subscriberId: 'rejecter' });
      bus.subscribe('job.*', () => {}, { subscriberId: 'filtered', filter: (e) => e.data.n !== 2 });
      await noUnhandledRejection(async () => {
        for (const [type, data] of [['job.done', { n: 1 }], ['job.failed', { n: 2 }], ['job.done', undefined], ['job.done', { n: 4 }]]) {
          const before = settled;
          await (checked ? emitter.emit(type, data, 0) : emitter.emit(type, data));
          assert.equal(settled, before + 1, 'resolved once its handlers settled');
        }
      });
      const { subscribers, ...counters } = bus.getStats();
      return { log, counters, deadLetters: bus.deadLetterQueue.map((e) => [e.eventType, e.data.n]) };
    };
    const planned = await run(false);
    assert.deepEqual(planned, await run(true));
    assert.deepEqual(planned.log[1], { type: 'job.failed', source: 'jobs', correlationId: null, data: { n: 2 }, metadata: {}, priority: 0 });
    assert.deepEqual(planned.counters, { eventsPublished: 4, eventsProcessed: 7, eventsFailed: 5, deadLetterCount: 5 });
    assert.equal(logs.error.length, 10);
    const emitter = new AsyncEventEmitter('jobs', new EventBus());
    await assert.rejects(emitter.emit('', {}), RangeError);
    await assert.rejects(emitter.emit('job.done', []), TypeError);
    emitter.free();
    await assert.rejects(emitter.emit('job.done'), /has been freed/);
  });

  test('the nesting limit counts a planned emit as one level, like the checked path', () => {
    const logs = captureLogger();
    const depthReached = (options) => {
      const bus = new EventBus();
      const emitter = new EventEmitter('svc', bus);
      let deepest = 0;
      bus.subscribe('n', (e) => {
        deepest = Math.max(deepest, e.data.level);
        emitter.emit('n', { level: e.data.level + 1 }, options);
      });
      emitter.emit('n', { level: 1 }, options); // the first of its type is checked
      deepest = 0;
      emitter.emit('n', { level: 1 }, options);
      return deepest;
    };
    assert.equal(depthReached(undefined), 256);
    assert.equal(depthReached({ priority: 0 }), 256);
    assert.ok(logs.error.length > 0);
  });

  test('option getters run once, also when the emit then takes the checked path', () => {
    const bus = new EventBus();
    const emitter = new EventEmitter('svc', bus);
    const got = [];
    bus.subscribe('g', (e) => got.push(seen(e)));
    const reads = { correlationId: 0, metadata: 0, priority: 0 };
    const options = (priority) => ({
      get correlationId() { reads.correlationId++; return 'c'; },
      get metadata() { reads.metadata++; return { m: 1 }; },
      get priority() { reads.priority++; return priority; },
    });
    emitter.emit('g');
    emitter.emit('g', {}, options(undefined)); // planned
    emitter.emit('g', {}, options(2)); // checked
    assert.deepEqual(reads, { correlationId: 2, metadata: 2, priority: 2 });
    assert.deepEqual(got.slice(1).map((e) => [e.correlationId, e.metadata, e.priority]), [['c', { m: 1 }, 0], ['c', { m: 1 }, 2]]);
  });

  test('per-call metadata is read once; one that throws while merged publishes nothing, on either path', async () => {
    const bus = new EventBus();
    const emitter = new EventEmitter('svc', bus);
    emitter.setDefaultMetadata({ d: 1 });
    const got = [];
    bus.subscribe('m', (e) => got.push(e.metadata));
    emitter.emit('m'); // the first of its type is checked
    let reads = 0;
    const counted = () => ({ get k() { reads++; return 'v'; } });
    emitter.emit('m', {}, { metadata: counted() }); // planned
    emitter.emit('m', {}, { metadata: counted(), priority: 1 }); // checked
    await emitter.emitAsync('m', {}, { metadata: counted() });
    assert.equal(reads, 3);
    assert.deepEqual(got.slice(1), [{ d: 1, k: 'v' }, { d: 1, k: 'v' }, { d: 1, k: 'v' }]);

    const published = bus.getStats().eventsPublished;
    const throwing = () => ({ get k() { reads++; throw new Error('boom'); } });
    const refused = { name: 'TypeError', message: 'options.metadata could not be read: boom' };
    reads = 0;
    assert.throws(() => emitter.emit('m', {}, { metadata: throwing() }), refused); // planned
    assert.throws(() => emitter.emit('m', {}, { metadata: throwing(), priority: 1 }), refused); // checked
    await assert.rejects(emitter.emitAsync('m', {}, { metadata: throwing() }), refused);
    const trap = new Proxy({}, { ownKeys() { reads++; throw new Error('boom'); } });
    assert.throws(() => emitter.emit('m', {}, { metadata: trap }), refused);
    emitter.disable();
    assert.throws(() => emitter.emit('m', {}, { metadata: throwing() }), refused); // refused, as when enabled
    assert.equal(reads, 5);
    assert.equal(got.length, 4);
    assert.equal(bus.getStats().eventsPublished, published);
  });
});

test('planned emits deliver what the checked path delivers (random scenarios)', () => {
  const types = ['a.x', 'a.y', 'b.x'];
  const subscription = fc.record({
    pattern: fc.constantFrom('a.*', 'a.x', '*.x', '*', 'b.?'),
    priority: fc.integer({ min: -2, max: 2 }),
    behaviour: fc.constantFrom('ok', 'throw', 'filter-out', 'filter-in'),
  });
  const emit = fc.record({
    type: fc.constantFrom(...types),
    data: fc.option(fc.dictionary(fc.constantFrom('k', 'n'), fc.integer()), { nil: undefined }),
    correlationId: fc.option(fc.constantFrom('c1', 'c2', null), { nil: undefined }),
    metadata: fc.option(fc.dictionary(fc.constantFrom('region', 'service'), fc.string({ maxLength: 3 })), { nil: undefined }),
  });
  const step = fc.oneof(
    { weight: 4, arbitrary: emit.map((e) => ({ kind: 'emit', ...e })) },
    { weight: 1, arbitrary: subscription.map((s) => ({ kind: 'subscribe', ...s })) },
    { weight: 1, arbitrary: fc.nat(5).map((i) => ({ kind: 'unsubscribe', id: `s${i}` })) },
    { weight: 1, arbitrary: fc.boolean().map((enabled) => ({ kind: 'enabled', enabled })) },
  );
  const run = (steps, checked) => {
    setLogger({ error() {}, warn() {}, info() {}, debug() {} });
    const bus = new EventBus();
    const emitter = new EventEmitter('svc', bus);
    emitter.setDefaultMetadata({ service: 'base' });
    const log = [];
    let next = 0;
    for (const s of steps) {
      if (s.kind === 'subscribe') {
        const id = `s${next++ % 6}`;
        const handler = (e) => {
          log.push([id, seen(e)]);
          if (s.behaviour === 'throw') throw new Error(id);
        };
        const filter = s.behaviour === 'filter-out' ? () => false : s.behaviour === 'filter-in' ? () => true : undefined;
        bus.subscribe(s.pattern, handler, { subscriberId: id, priority: s.priority, filter });
      } else if (s.kind === 'unsubscribe') {
        bus.unsubscribe(s.id);
      } else if (s.kind === 'enabled') {
        emitter.enabled = s.enabled;
      } else {
        const options = { correlationId: s.correlationId, metadata: s.metadata };
        if (checked) options.priority = 0;
        emitter.emit(s.type, s.data, options);
      }
    }
    const { subscribers, ...counters } = bus.getStats();
    return { log, counters, subscribers, deadLetters: bus.deadLetterQueue.map(seen) };
  };
  fc.assert(fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
    assert.deepEqual(run(steps, false), run(steps, true));
  }), { numRuns: 200 });
});

// emitBatch and emitBatchAsync run from plans when every item needs only kind
// checks; an item with a priority sends the whole batch down the checked path.
describe('batches from plans', () => {
  const scenario = async (checked) => {
    const logs = captureLogger();
    const bus = new EventBus();
    const emitter = new EventEmitter('svc', bus);
    emitter.setDefaultMetadata({ d: 1 });
    emitter.setCorrelationContext('dflt');
    const log = [];
    let settled = 0;
    bus.subscribe('b.*', (e) => log.push(seen(e)), { subscriberId: 'all' });
    bus.subscribe('b.fail', () => { throw new Error('thrown'); }, { subscriberId: 'thrower' });
    bus.subscribe('b.*', async () => {
      await new Promise((resolve) => setImmediate(resolve));
      settled++;
      throw new Error('rejected');
    }, { subscriberId: 'rejecter' });
    bus.subscribe('b.*', () => {}, { subscriberId: 'filtered', filter: (e) => e.data.n !== 2 });
    const items = () => [
      { eventType: 'b.ok', data: { n: 1 }, correlationId: 'c1', metadata: { m: 1 } },
      { eventType: 'b.fail', data: { n: 2 }, correlationId: null },
      { eventType: 'b.ok', metadata: { d: 2 }, ...(checked ? { priority: 0 } : {}) },
    ];
    emitter.emitBatch(items()); // the first of their types: checked either way
    await noUnhandledRejection(async () => {
      emitter.emitBatch(items());
      await new Promise((resolve) => setTimeout(resolve, 10));
      const before = settled;
      await emitter.emitBatchAsync(items());
      assert.equal(settled, before + 3, 'resolved once its handlers settled');
      await new Promise((resolve) => setTimeout(resolve, 10));
    });
    const { subscribers, ...counters } = bus.getStats();
    return { log, counters, deadLetters: bus.deadLetterQueue.map((e) => [e.eventType, e.data.n]), logged: logs.error.length };
  };

  test('deliver what the checked path delivers: events, failures, dead letters, counters', async () => {
    const planned = await scenario(false);
    assert.deepEqual(planned, await scenario(true));
    assert.deepEqual(planned.log.slice(6), [
      { type: 'b.ok', source: 'svc', correlationId: 'c1', data: { n: 1 }, metadata: { d: 1, m: 1 }, priority: 0 },
      { type: 'b.fail', source: 'svc', correlationId: 'dflt', data: { n: 2 }, metadata: { d: 1 }, priority: 0 },
      { type: 'b.ok', source: 'svc', correlationId: 'dflt', data: {}, metadata: { d: 2 }, priority: 0 },
    ]);
    assert.deepEqual(planned.counters, { eventsPublished: 9, eventsProcessed: 15, eventsFailed: 12, deadLetterCount: 12 });
  });

  test('item getters run once, also when the batch then takes the checked path', () => {
    const bus = new EventBus();
    const emitter = new EventEmitter('svc', bus);
    const got = [];
    bus.subscribe('g', (e) => got.push([e.correlationId, { ...e.metadata }, e.data, e.priority]));
    emitter.emit('g');
    const reads = { eventType: 0, data: 0, correlationId: 0, metadata: 0, priority: 0 };
    const item = (priority) => ({
      get eventType() { reads.eventType++; return 'g'; },
      get data() { reads.data++; return { n: 1 }; },
      get correlationId() { reads.correlationId++; return 'c'; },
      get metadata() { reads.metadata++; return { get m() { reads.metadata++; return 1; } }; },
      get priority() { reads.priority++; return priority; },
    });
    let indexReads = 0;
    const counted = (items) => new Proxy(items, { get(target, key) { if (key === '1') indexReads++; return target[key]; } });
    emitter.emitBatch(counted([item(), item(), item()])); // planned
    emitter.emitBatch(counted([item(), item(), item(1), item()])); // checked from the third item on
    assert.deepEqual(reads, { eventType: 7, data: 7, correlationId: 7, metadata: 14, priority: 7 });
    assert.equal(indexReads, 2);
    assert.equal(got.length, 8);
    assert.deepEqual(got.slice(1).map((e) => e[3]), [0, 0, 0, 0, 0, 1, 0]);
    assert.deepEqual(got[7].slice(0, 3), ['c', { m: 1 }, { n: 1 }]);
  });

  test('a read that throws refuses the whole batch with its field named; nothing is published', async () => {
    const bus = new EventBus();
    const emitter = new EventEmitter('svc', bus);
    let handled = 0;
    bus.subscribe('t', () => handled++);
    emitter.emitBatch([{ eventType: 't' }]);
    let reads = 0;
    const boom = () => { reads++; throw new Error('boom'); };
    const cases = [
      [new Proxy([], { get: boom }), 'events'],
      [[{ eventType: 't' }, { get eventType() { return boom(); } }], 'events[1].eventType'],
      [[{ eventType: 't' }, { eventType: 't', get data() { return boom(); } }], 'events[1].data'],
      [[{ eventType: 't', get correlationId() { return boom(); } }], 'events[0].correlationId'],
      [[{ eventType: 't' }, { eventType: 't', metadata: { get k() { return boom(); } } }], 'events[1].metadata'],
      [[{ eventType: 't' }, { eventType: 't', metadata: new Proxy({}, { ownKeys: boom }) }], 'events[1].metadata'],
      [[{ eventType: 't' }, { eventType: 't', get priority() { return boom(); } }], 'events[1].priority'],
    ];
    for (const [events, field] of cases) {
      const refused = { name: 'TypeError', message: `${field} could not be read: boom` };
      assert.throws(() => emitter.emitBatch(events), refused);
      await assert.rejects(emitter.emitBatchAsync(events), refused);
    }
    assert.equal(reads, 2 * cases.length);
    assert.equal(handled, 1);
    assert.equal(bus.getStats().eventsPublished, 1);
  });

  test("a handler's changes apply to the rest of its batch, as on the checked path, also freeing the emitter", async () => {
    const intruders = [];
    const run = (checked, proxied = false) => {
      const bus = new EventBus();
      const emitter = new EventEmitter('svc', bus);
      const log = [];
      bus.subscribe('h.*', (e) => {
        log.push([e.eventType, e.source, e.correlationId, { ...e.metadata }]);
        if (e.eventType === 'h.defaults') {
          emitter.setDefaultMetadata({ set: true });
          emitter.setCorrelationContext('ctx');
        }
        if (e.eventType === 'h.subscribe') bus.subscribe('h.*', (l) => log.push(['late', l.eventType]));
        if (e.eventType === 'h.free') {
          emitter.free();
          // Would take the freed memory, were it given back before the batch ends.
          intruders.push(new EventEmitter('intruder', bus));
        }
      });
      const items = [{ eventType: 'h.defaults' }, { eventType: 'h.subscribe' }, { eventType: 'h.free' }, { eventType: 'h.after' }];
      new EventEmitter('other', new EventBus()).emitBatch(items); // the first of their types
      (proxied ? new Proxy(emitter, {}) : emitter).emitBatch(checked ? items.map((item) => ({ ...item, priority: 0 })) : items);
      assert.throws(() => emitter.emit('h.x'), /has been freed/);
      return log;
    };
    const planned = run(false);
    assert.deepEqual(planned, run(true));
    assert.deepEqual(planned, run(false, true)); // through a proxy of the emitter
    assert.deepEqual(planned, [
      ['h.defaults', 'svc', null, {}],
      ['h.subscribe', 'svc', 'ctx', { set: true }],
      ['h.free', 'svc', 'ctx', { set: true }],
      ['late', 'h.free'],
      ['h.after', 'svc', 'ctx', { set: true }],
      ['late', 'h.after'],
    ]);
    await new Promise((resolve) => setTimeout(resolve, 10)); // the freed emitter is released
  });
});
