// EventBus: patterns, ordering, isolation, statistics, dead letters, re-entrancy.
import { test, describe, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { EventBus, getEventBus, createEvent, setLogger } from 'codomyrmex-events';
import { captureLogger, noUnhandledRejection } from './support/logging.mjs';

const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

/** Records the event types delivered for `pattern` on `bus`. */
function record(bus, pattern, options) {
  const got = [];
  bus.subscribe(pattern, (e) => { got.push(e.eventType); }, options);
  return got;
}

function matches(pattern, eventType) {
  const bus = new EventBus();
  const got = record(bus, pattern);
  bus.publish(createEvent(eventType, 's'));
  return got.length === 1;
}

beforeEach(() => setLogger(null));
afterEach(() => setLogger(null));

describe('construction', () => {
  test('new EventBus() and new EventBus({}) start empty', () => {
    for (const bus of [new EventBus(), new EventBus({}), new EventBus(undefined)]) {
      const s = bus.getStats();
      assert.equal(s.eventsPublished, 0);
      assert.equal(s.eventsProcessed, 0);
      assert.equal(s.eventsFailed, 0);
      assert.equal(s.deadLetterCount, 0);
      assert.deepEqual(s.subscribers, {});
      assert.deepEqual(bus.deadLetterQueue, []);
    }
  });

  test('deadLetterLimit must be an integer ≥ 0', () => {
    for (const bad of [-1, 1.5, NaN, Infinity]) {
      assert.throws(() => new EventBus({ deadLetterLimit: bad }), RangeError, String(bad));
      assert.throws(() => new EventBus({ deadLetterLimit: bad }), /deadLetterLimit/);
    }
    assert.throws(() => new EventBus({ deadLetterLimit: '5' }), TypeError);
    assert.throws(() => new EventBus({ deadLetterLimit: '5' }), /deadLetterLimit/);
  });

  test('options must be an object', () => {
    for (const bad of [5, 'x', true]) {
      assert.throws(() => new EventBus(bad), TypeError);
      assert.throws(() => new EventBus(bad), /options/);
    }
  });
});

describe('subscribe', () => {
  test('default subscriber ids are subscriber_N and unique per bus', () => {
    const bus = new EventBus();
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push(bus.subscribe('*', () => {}));
    for (const id of ids) assert.match(id, /^subscriber_\d+$/);
    assert.equal(new Set(ids).size, 5);
    assert.deepEqual(Object.keys(bus.getStats().subscribers).sort(), [...ids].sort());
  });

  test('ids stay unique after unsubscribing', () => {
    const bus = new EventBus();
    const a = bus.subscribe('*', () => {});
    const b = bus.subscribe('*', () => {});
    bus.unsubscribe(a);
    const c = bus.subscribe('*', () => {});
    assert.notEqual(c, b);
    assert.equal(Object.keys(bus.getStats().subscribers).length, 2);
  });

  test('an explicit subscriberId is returned and used', () => {
    const bus = new EventBus();
    assert.equal(bus.subscribe('a', () => {}, { subscriberId: 'mine' }), 'mine');
    assert.deepEqual(Object.keys(bus.getStats().subscribers), ['mine']);
  });

  test('subscribing again with an existing id replaces that subscription', () => {
    const bus = new EventBus();
    const calls = [];
    bus.subscribe('a', () => calls.push('old'), { subscriberId: 'x', priority: 1 });
    bus.subscribe(['b', 'c'], () => calls.push('new'), { subscriberId: 'x', priority: 7 });
    bus.publish(createEvent('a', 's'));
    bus.publish(createEvent('b', 's'));
    assert.deepEqual(calls, ['new']);
    assert.deepEqual(bus.getStats().subscribers, { x: { eventPatterns: ['b', 'c'], priority: 7 } });
  });

  test('getStats().subscribers maps id → { eventPatterns, priority }', () => {
    const bus = new EventBus();
    const a = bus.subscribe('user.*', () => {});
    bus.subscribe(['a', 'b.?'], () => {}, { subscriberId: 'two', priority: 5 });
    assert.deepEqual(bus.getStats().subscribers, {
      [a]: { eventPatterns: ['user.*'], priority: 0 },
      two: { eventPatterns: ['a', 'b.?'], priority: 5 },
    });
  });

  test('the handler receives the published event', () => {
    const bus = new EventBus();
    const got = [];
    bus.subscribe('*', (e) => got.push(e));
    const data = { k: 1 };
    const e = createEvent('x.y', 'src', { data, correlationId: 'c', priority: 1, metadata: { m: 2 } });
    bus.publish(e);
    assert.equal(got.length, 1);
    assert.equal(got[0].eventId, e.eventId);
    assert.equal(got[0].eventType, 'x.y');
    assert.equal(got[0].source, 'src');
    assert.equal(got[0].correlationId, 'c');
    assert.equal(got[0].priority, 1);
    assert.equal(got[0].timestamp, e.timestamp);
    assert.equal(got[0].data, data);
    assert.deepEqual(got[0].metadata, { m: 2 });
  });

  test('a handler matching through several patterns is called once per event', () => {
    const bus = new EventBus();
    const got = record(bus, ['user.*', '*.login', 'user.login']);
    bus.publish(createEvent('user.login', 's'));
    assert.deepEqual(got, ['user.login']);
  });

  test('invalid patterns are refused', () => {
    const bus = new EventBus();
    assert.throws(() => bus.subscribe(5, () => {}), TypeError);
    assert.throws(() => bus.subscribe(5, () => {}), /patterns/);
    assert.throws(() => bus.subscribe(null, () => {}), TypeError);
    assert.throws(() => bus.subscribe(['a', 5], () => {}), TypeError);
    assert.throws(() => bus.subscribe([], () => {}), RangeError);
    assert.throws(() => bus.subscribe([], () => {}), /patterns/);
    assert.throws(() => bus.subscribe('', () => {}), RangeError);
    assert.throws(() => bus.subscribe(['a', ''], () => {}), RangeError);
    assert.deepEqual(bus.getStats().subscribers, {});
  });

  test('handler must be a function', () => {
    const bus = new EventBus();
    for (const bad of [undefined, null, 'fn', {}]) {
      assert.throws(() => bus.subscribe('a', bad), TypeError);
      assert.throws(() => bus.subscribe('a', bad), /handler/);
    }
    assert.deepEqual(bus.getStats().subscribers, {});
  });

  test('option checks: options object, filter function, integer priority, string id', () => {
    const bus = new EventBus();
    const h = () => {};
    assert.throws(() => bus.subscribe('a', h, 5), TypeError);
    assert.throws(() => bus.subscribe('a', h, 5), /options/);
    assert.throws(() => bus.subscribe('a', h, { filter: 'yes' }), TypeError);
    assert.throws(() => bus.subscribe('a', h, { filter: 'yes' }), /filter/);
    assert.throws(() => bus.subscribe('a', h, { priority: '1' }), TypeError);
    assert.throws(() => bus.subscribe('a', h, { priority: '1' }), /priority/);
    for (const bad of [1.5, NaN, Infinity, 2 ** 53]) {
      assert.throws(() => bus.subscribe('a', h, { priority: bad }), RangeError, String(bad));
      assert.throws(() => bus.subscribe('a', h, { priority: bad }), /priority/);
    }
    assert.throws(() => bus.subscribe('a', h, { subscriberId: 5 }), TypeError);
    assert.throws(() => bus.subscribe('a', h, { subscriberId: 5 }), /subscriberId/);
    assert.deepEqual(bus.getStats().subscribers, {});
    bus.subscribe('a', h, { priority: -3 });
    assert.equal(Object.values(bus.getStats().subscribers)[0].priority, -3);
  });
});

describe('fnmatch patterns on the whole event type', () => {
  const cases = [
    ['*', 'anything.at.all', true],
    ['user.*', 'user.login', true],
    ['user.*', 'user.a.b.c', true],
    ['user.*', 'user.', true],
    ['user.*', 'users.login', false],
    ['user.*', 'user', false],
    ['*.error', 'data.processing.error', true],
    ['*.error', 'system.errors', false],
    ['data.*.end', 'data.processing.end', true],
    ['user', 'user.login', false],
    ['login', 'user.login', false],
    ['user.login', 'user.login', true],
    ['a.?', 'a.b', true],
    ['a.?', 'a.bc', false],
    ['a.?', 'a.', false],
    ['x.[ab]', 'x.a', true],
    ['x.[ab]', 'x.b', true],
    ['x.[ab]', 'x.c', false],
    ['x.[!ab]', 'x.c', true],
    ['x.[!ab]', 'x.a', false],
    ['x.[a-c]', 'x.b', true],
    ['x.[a-c]', 'x.d', false],
    ['a.b', 'aXb', false],
    ['a+b', 'a+b', true],
    ['a+b', 'aab', false],
    ['v(1)', 'v(1)', true],
    ['^a$', '^a$', true],
    ['a|b', 'a', false],
  ];
  for (const [pattern, type, expected] of cases) {
    test(`${JSON.stringify(pattern)} ${expected ? 'matches' : 'does not match'} ${JSON.stringify(type)}`, () => {
      assert.equal(matches(pattern, type), expected);
    });
  }
});

describe('dispatch order and filters', () => {
  test('highest priority first; equal priorities in subscription order', () => {
    const bus = new EventBus();
    const order = [];
    bus.subscribe('*', () => order.push('p1-first'), { priority: 1 });
    bus.subscribe('*', () => order.push('p0'));
    bus.subscribe('*', () => order.push('p5'), { priority: 5 });
    bus.subscribe('*', () => order.push('p-2'), { priority: -2 });
    bus.subscribe('*', () => order.push('p3'), { priority: 3 });
    bus.subscribe('*', () => order.push('p1-second'), { priority: 1 });
    bus.publish(createEvent('a', 's'));
    assert.deepEqual(order, ['p5', 'p3', 'p1-first', 'p1-second', 'p0', 'p-2']);
  });

  test('a filter returning false skips the handler and counts nothing', () => {
    const bus = new EventBus();
    const seenByFilter = [];
    const got = [];
    bus.subscribe('*', (e) => got.push(e.data.n), {
      filter: (e) => { seenByFilter.push(e.data.n); return e.data.n % 2 === 0; },
    });
    for (let n = 1; n <= 4; n++) bus.publish(createEvent('a', 's', { data: { n } }));
    assert.deepEqual(seenByFilter, [1, 2, 3, 4]);
    assert.deepEqual(got, [2, 4]);
    const s = bus.getStats();
    assert.equal(s.eventsPublished, 4);
    assert.equal(s.eventsProcessed, 2);
    assert.equal(s.eventsFailed, 0);
  });

  test('a throwing filter counts as a failure and dead-letters the event', () => {
    const calls = captureLogger();
    const bus = new EventBus();
    let called = false;
    const boom = new Error('filter boom');
    bus.subscribe('*', () => { called = true; }, { filter: () => { throw boom; } });
    const other = record(bus, '*');
    const e = createEvent('a', 's');
    bus.publish(e);
    assert.equal(called, false);
    assert.deepEqual(other, ['a']);
    const s = bus.getStats();
    assert.equal(s.eventsFailed, 1);
    assert.equal(s.eventsProcessed, 1);
    assert.equal(s.deadLetterCount, 1);
    assert.equal(bus.deadLetterQueue[0].eventId, e.eventId);
    assert.ok(calls.error.some(([, err]) => err === boom), 'filter failure reaches logger.error');
  });

  test('an event nobody subscribed to is still counted as published', () => {
    const bus = new EventBus();
    record(bus, 'other.*');
    bus.publish(createEvent('a', 's'));
    bus.publish(createEvent('b', 's'));
    const s = bus.getStats();
    assert.equal(s.eventsPublished, 2);
    assert.equal(s.eventsProcessed, 0);
    assert.equal(s.eventsFailed, 0);
  });
});

describe('unsubscribe and shutdown', () => {
  test('unsubscribe returns true if something was removed, else false', () => {
    const bus = new EventBus();
    const got = [];
    const id = bus.subscribe('*', (e) => got.push(e.eventType));
    assert.equal(bus.unsubscribe(id), true);
    assert.equal(bus.unsubscribe(id), false);
    assert.equal(bus.unsubscribe('never-existed'), false);
    bus.publish(createEvent('a', 's'));
    assert.deepEqual(got, []);
    assert.deepEqual(bus.getStats().subscribers, {});
  });

  test('unsubscribe requires a string', () => {
    const bus = new EventBus();
    assert.throws(() => bus.unsubscribe(5), TypeError);
    assert.throws(() => bus.unsubscribe(5), /subscriberId/);
  });

  test('shutdown drops every subscription; the bus stays usable', () => {
    const bus = new EventBus();
    const a = record(bus, '*');
    const b = record(bus, 'x');
    bus.shutdown();
    assert.deepEqual(bus.getStats().subscribers, {});
    bus.publish(createEvent('x', 's'));
    assert.deepEqual(a, []);
    assert.deepEqual(b, []);
    assert.equal(bus.getStats().eventsPublished, 1);
    const c = record(bus, 'x');
    bus.publish(createEvent('x', 's'));
    assert.deepEqual(c, ['x']);
  });
});

describe('failure isolation', () => {
  test('a throwing handler does not stop the others and does not propagate', () => {
    captureLogger();
    const bus = new EventBus();
    const order = [];
    bus.subscribe('*', () => { order.push('high'); throw new Error('boom'); }, { priority: 2 });
    bus.subscribe('*', () => order.push('low'));
    assert.doesNotThrow(() => bus.publish(createEvent('a', 's')));
    assert.deepEqual(order, ['high', 'low']);
    const s = bus.getStats();
    assert.equal(s.eventsProcessed, 1);
    assert.equal(s.eventsFailed, 1);
    assert.equal(s.deadLetterCount, 1);
  });

  test('the failure reaches logger.error(message, err)', () => {
    const calls = captureLogger();
    const bus = new EventBus();
    const boom = new Error('handler boom');
    bus.subscribe('*', () => { throw boom; });
    bus.publish(createEvent('a', 's'));
    const hit = calls.error.find(([, err]) => err === boom);
    assert.ok(hit, 'logger.error received the thrown error');
    assert.equal(typeof hit[0], 'string');
  });

  test('a thrown non-Error value counts as a failure', () => {
    const calls = captureLogger();
    const bus = new EventBus();
    bus.subscribe('*', () => { throw 'plain string'; });
    bus.subscribe('*', () => { throw undefined; });
    bus.subscribe('*', () => { throw 42; });
    bus.publish(createEvent('a', 's'));
    assert.equal(bus.getStats().eventsFailed, 3);
    assert.equal(bus.getStats().eventsProcessed, 0);
    assert.equal(bus.getStats().deadLetterCount, 3);
    assert.ok(calls.error.some(([, err]) => err === 'plain string'));
  });

  test('a rejected promise is counted once it rejects, logged, dead-lettered, never unhandled', async () => {
    await noUnhandledRejection(async () => {
      const calls = captureLogger();
      const bus = new EventBus();
      const boom = new Error('async boom');
      bus.subscribe('*', () => Promise.reject(boom));
      bus.subscribe('*', async () => { await tick(5); throw boom; });
      const e = createEvent('a', 's');
      assert.doesNotThrow(() => bus.publish(e));
      await tick(30);
      const s = bus.getStats();
      assert.equal(s.eventsFailed, 2);
      assert.equal(s.eventsProcessed, 0);
      assert.equal(s.deadLetterCount, 2);
      assert.deepEqual(bus.deadLetterQueue.map((d) => d.eventId), [e.eventId, e.eventId]);
      assert.ok(calls.error.some(([, err]) => err === boom), 'rejection reaches logger.error');
    });
  });

  test('a resolved promise counts as processed', async () => {
    const bus = new EventBus();
    bus.subscribe('*', async () => { await tick(2); return 'ok'; });
    bus.publish(createEvent('a', 's'));
    await tick(20);
    assert.equal(bus.getStats().eventsProcessed, 1);
    assert.equal(bus.getStats().eventsFailed, 0);
  });

  test('each failure pushes the event onto the dead-letter queue', () => {
    const bus = new EventBus();
    bus.subscribe('*', () => { throw new Error('1'); });
    bus.subscribe('*', () => { throw new Error('2'); });
    const e = createEvent('a', 's');
    bus.publish(e);
    assert.equal(bus.getStats().deadLetterCount, 2);
    assert.deepEqual(bus.deadLetterQueue.map((d) => d.eventId), [e.eventId, e.eventId]);
  });
});

describe('dead-letter queue', () => {
  function failingBus(options) {
    const bus = new EventBus(options);
    bus.subscribe('*', () => { throw new Error('fail'); });
    return bus;
  }

  test('is oldest first and keeps the newest deadLetterLimit events', () => {
    const bus = failingBus({ deadLetterLimit: 2 });
    const events = [1, 2, 3, 4].map((n) => createEvent('a', 's', { data: { n } }));
    for (const e of events) bus.publish(e);
    assert.deepEqual(bus.deadLetterQueue.map((e) => e.data.n), [3, 4]);
    assert.deepEqual(bus.deadLetterQueue.map((e) => e.eventId), [events[2].eventId, events[3].eventId]);
    assert.equal(bus.getStats().deadLetterCount, 2);
    assert.equal(bus.getStats().eventsFailed, 4);
  });

  test('deadLetterLimit 0 keeps none', () => {
    const bus = failingBus({ deadLetterLimit: 0 });
    bus.publish(createEvent('a', 's'));
    assert.equal(bus.getStats().eventsFailed, 1);
    assert.equal(bus.getStats().deadLetterCount, 0);
    assert.deepEqual(bus.deadLetterQueue, []);
  });

  test('the default limit is 1000', () => {
    const bus = failingBus();
    const first = createEvent('a', 's', { data: { n: 0 } });
    const second = createEvent('a', 's', { data: { n: 1 } });
    bus.publish(first);
    bus.publish(second);
    for (let n = 2; n < 1001; n++) bus.publish(createEvent('a', 's', { data: { n } }));
    const q = bus.deadLetterQueue;
    assert.equal(q.length, 1000);
    assert.equal(bus.getStats().deadLetterCount, 1000);
    assert.equal(q[0].eventId, second.eventId);
    assert.equal(q[999].data.n, 1000);
  });

  test('deadLetterQueue returns a fresh copy each time', () => {
    const bus = failingBus();
    bus.publish(createEvent('a', 's'));
    const q1 = bus.deadLetterQueue;
    const q2 = bus.deadLetterQueue;
    assert.ok(Array.isArray(q1));
    assert.notEqual(q1, q2);
    q1.length = 0;
    q1.push('junk');
    assert.equal(bus.deadLetterQueue.length, 1);
    assert.equal(bus.getStats().deadLetterCount, 1);
  });
});

describe('statistics', () => {
  test('count published, processed and failed', () => {
    const bus = new EventBus();
    bus.subscribe('ok.*', () => {});
    bus.subscribe('ok.*', () => {});
    bus.subscribe('bad', () => { throw new Error('x'); });
    bus.publish(createEvent('ok.1', 's'));
    bus.publish(createEvent('bad', 's'));
    bus.publish(createEvent('none', 's'));
    const s = bus.getStats();
    assert.equal(s.eventsPublished, 3);
    assert.equal(s.eventsProcessed, 2);
    assert.equal(s.eventsFailed, 1);
    assert.equal(s.deadLetterCount, 1);
  });

  test('resetStats zeroes the three counters only, not the dead-letter queue', () => {
    const bus = new EventBus();
    bus.subscribe('*', () => {});
    bus.subscribe('bad', () => { throw new Error('x'); });
    bus.publish(createEvent('bad', 's'));
    bus.resetStats();
    const s = bus.getStats();
    assert.equal(s.eventsPublished, 0);
    assert.equal(s.eventsProcessed, 0);
    assert.equal(s.eventsFailed, 0);
    assert.equal(s.deadLetterCount, 1);
    assert.equal(bus.deadLetterQueue.length, 1);
    assert.equal(Object.keys(s.subscribers).length, 2);
  });

  test('stats of one bus are independent of another', () => {
    const a = new EventBus();
    const b = new EventBus();
    a.publish(createEvent('x', 's'));
    assert.equal(a.getStats().eventsPublished, 1);
    assert.equal(b.getStats().eventsPublished, 0);
  });
});

describe('publish arguments', () => {
  test('publish takes any object with valid event fields', () => {
    const bus = new EventBus();
    const got = [];
    bus.subscribe('x.*', (e) => got.push(e));
    const data = { a: 1 };
    bus.publish({
      eventType: 'x.plain', source: 'src', eventId: '1b4e28ba-2fa1-41d2-883f-0016d3cca427',
      timestamp: 1234, correlationId: 'c', data, metadata: { m: 1 }, priority: 1,
    });
    assert.equal(got.length, 1);
    assert.equal(got[0].eventType, 'x.plain');
    assert.equal(got[0].source, 'src');
    assert.equal(got[0].eventId, '1b4e28ba-2fa1-41d2-883f-0016d3cca427');
    assert.equal(got[0].timestamp, 1234);
    assert.equal(got[0].correlationId, 'c');
    assert.equal(got[0].data, data);
    assert.deepEqual(got[0].metadata, { m: 1 });
    assert.equal(got[0].priority, 1);
  });

  test('a plain look-alike reaches handlers as a frozen event, and the caller\'s object stays as it was', async () => {
    const bus = new EventBus();
    const got = [];
    bus.subscribe('x.*', (e) => got.push(e));
    const plain = { ...createEvent('x.plain', 'src', { correlationId: 'c', metadata: { m: 1 }, priority: 1 }) };
    bus.publish(plain);
    await bus.publishAsync({ ...plain });
    assert.equal(got.length, 2);
    for (const e of got) {
      assert.ok(Object.isFrozen(e), 'the event a handler receives is frozen');
      assert.throws(() => { e.eventType = 'changed'; }, TypeError);
      assert.throws(() => { e.priority = 0; }, TypeError);
      assert.equal(e.eventType, 'x.plain');
      assert.equal(e.eventId, plain.eventId);
      assert.equal(e.timestamp, plain.timestamp);
      assert.equal(e.correlationId, 'c');
      assert.equal(e.data, plain.data);
      assert.deepEqual(e.metadata, { m: 1 });
      assert.equal(e.priority, 1);
    }
    assert.equal(Object.isFrozen(plain), false);
  });

  test('publish refuses a non-event with a TypeError naming the field', () => {
    const bus = new EventBus();
    const got = record(bus, '*');
    for (const bad of [undefined, null, 5, 'event']) {
      assert.throws(() => bus.publish(bad), TypeError);
      assert.throws(() => bus.publish(bad), /event/);
    }
    const valid = createEvent('a', 's');
    const noType = { ...valid };
    delete noType.eventType;
    assert.throws(() => bus.publish(noType), TypeError);
    assert.throws(() => bus.publish(noType), /event\.eventType/);
    assert.throws(() => bus.publish({ ...valid, eventType: 7 }), /event\.eventType/);
    assert.throws(() => bus.publish({ ...valid, source: 7 }), TypeError);
    assert.throws(() => bus.publish({ ...valid, source: 7 }), /event\.source/);
    assert.throws(() => bus.publish({ ...valid, priority: 'high' }), TypeError);
    assert.throws(() => bus.publish({ ...valid, priority: 'high' }), /priority/);
    assert.throws(() => bus.publish({ ...valid, data: null }), TypeError);
    assert.throws(() => bus.publish({ ...valid, data: null }), /data/);
    assert.deepEqual(got, []);
    assert.equal(bus.getStats().eventsPublished, 0);
    bus.publish(valid);
    assert.deepEqual(got, ['a']);
  });
});

describe('re-entrancy', () => {
  test('a handler may publish on the same bus; nested dispatch runs synchronously', () => {
    const bus = new EventBus();
    const order = [];
    bus.subscribe('outer', () => {
      order.push('outer:start');
      bus.publish(createEvent('inner', 's'));
      order.push('outer:end');
    });
    bus.subscribe('inner', () => order.push('inner'));
    bus.publish(createEvent('outer', 's'));
    assert.deepEqual(order, ['outer:start', 'inner', 'outer:end']);
    assert.equal(bus.getStats().eventsPublished, 2);
    assert.equal(bus.getStats().eventsProcessed, 2);
  });

  test('nested publishing works to any depth', () => {
    const bus = new EventBus();
    const depths = [];
    bus.subscribe('deep', (e) => {
      depths.push(e.data.depth);
      if (e.data.depth < 200) bus.publish(createEvent('deep', 's', { data: { depth: e.data.depth + 1 } }));
    });
    bus.publish(createEvent('deep', 's', { data: { depth: 1 } }));
    assert.equal(depths.length, 200);
    assert.equal(depths[199], 200);
    assert.equal(bus.getStats().eventsPublished, 200);
  });

  test('a subscription made during a dispatch receives later events, not the current one', () => {
    const bus = new EventBus();
    const late = [];
    let subscribed = false;
    bus.subscribe('*', () => {
      if (!subscribed) {
        subscribed = true;
        bus.subscribe('*', (e) => late.push(e.data.n), { priority: -1 });
        bus.subscribe('*', (e) => late.push(`hi${e.data.n}`), { priority: 100 });
      }
    });
    bus.publish(createEvent('a', 's', { data: { n: 1 } }));
    assert.deepEqual(late, []);
    bus.publish(createEvent('a', 's', { data: { n: 2 } }));
    assert.deepEqual(late, ['hi2', 2]);
  });

  test('a subscription unsubscribed during a dispatch is not called for the rest of it', () => {
    const bus = new EventBus();
    const calls = [];
    bus.subscribe('*', () => { calls.push('first'); bus.unsubscribe('victim'); }, { priority: 10 });
    bus.subscribe('*', () => calls.push('victim'), { subscriberId: 'victim' });
    bus.subscribe('*', () => calls.push('last'), { priority: -10 });
    bus.publish(createEvent('a', 's'));
    assert.deepEqual(calls, ['first', 'last']);
  });

  test('a handler may unsubscribe itself (once-handler)', () => {
    const bus = new EventBus();
    let count = 0;
    const id = bus.subscribe('*', () => { count++; bus.unsubscribe(id); });
    bus.publish(createEvent('a', 's'));
    bus.publish(createEvent('a', 's'));
    assert.equal(count, 1);
  });

  test('a handler may shut the bus down mid-dispatch', () => {
    const bus = new EventBus();
    const calls = [];
    bus.subscribe('*', () => { calls.push('first'); bus.shutdown(); }, { priority: 1 });
    bus.subscribe('*', () => calls.push('second'));
    bus.publish(createEvent('a', 's'));
    assert.deepEqual(calls, ['first']);
  });

  test('a handler may read stats and the dead-letter queue during dispatch', () => {
    const bus = new EventBus();
    let seen;
    bus.subscribe('*', () => { seen = [bus.getStats().eventsPublished, bus.deadLetterQueue.length]; });
    bus.publish(createEvent('a', 's'));
    assert.equal(seen[0], 1);
    assert.equal(seen[1], 0);
  });
});

describe('publishAsync', () => {
  test('resolves once every handler promise has settled', async () => {
    const bus = new EventBus();
    const done = [];
    bus.subscribe('*', async () => { await tick(20); done.push('slow'); });
    bus.subscribe('*', () => { done.push('sync'); });
    const p = bus.publishAsync(createEvent('a', 's'));
    assert.ok(p instanceof Promise);
    assert.equal(await p, undefined);
    assert.deepEqual(done.sort(), ['slow', 'sync']);
    assert.equal(bus.getStats().eventsProcessed, 2);
    assert.equal(bus.getStats().eventsPublished, 1);
  });

  test('does not reject because of handler failures', async () => {
    await noUnhandledRejection(async () => {
      const calls = captureLogger();
      const bus = new EventBus();
      const boom = new Error('nope');
      bus.subscribe('*', async () => { await tick(5); throw boom; });
      bus.subscribe('*', () => { throw new Error('sync nope'); });
      await bus.publishAsync(createEvent('a', 's'));
      const s = bus.getStats();
      assert.equal(s.eventsFailed, 2);
      assert.equal(s.deadLetterCount, 2);
      assert.ok(calls.error.some(([, err]) => err === boom));
    });
  });

  test('invalid argument → rejected promise, not a synchronous throw', async () => {
    const bus = new EventBus();
    let p;
    assert.doesNotThrow(() => { p = bus.publishAsync(5); });
    await assert.rejects(p, TypeError);
    await assert.rejects(bus.publishAsync({}), /event\.eventType/);
    assert.equal(bus.getStats().eventsPublished, 0);
  });
});

describe('getEventBus', () => {
  test('returns the same EventBus every call', () => {
    const a = getEventBus();
    assert.ok(a instanceof EventBus);
    assert.equal(getEventBus(), a);
  });
});
