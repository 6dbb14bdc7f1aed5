// Wire format: eventToJSON / eventFromJSON (the JSON Codomyrmex's Python Event reads and writes).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createEvent, eventToJSON, eventFromJSON } from 'codomyrmex-events';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ID = '1b4e28ba-2fa1-41d2-883f-0016d3cca427';
const KEYS = ['event_type', 'source', 'event_id', 'timestamp', 'correlation_id', 'data', 'metadata', 'priority'];
const MiB = 1024 * 1024;

function sample(extra = {}) {
  return createEvent('user.login', 'auth', {
    eventId: ID,
    timestamp: 1700000000123,
    correlationId: null,
    data: { user: 'ann', n: 1 },
    metadata: { k: 'v' },
    priority: 1,
    ...extra,
  });
}

/** A minimal valid wire object with the given extra keys, as JSON. */
function wire(fields) {
  return JSON.stringify({ event_type: 'custom', source: 's', ...fields });
}

describe('eventToJSON', () => {
  test('writes the Python json.dumps layout, keys in the Codomyrmex order', () => {
    assert.equal(
      eventToJSON(sample()),
      `{"event_type": "user.login", "source": "auth", "event_id": "${ID}", "timestamp": 1700000000.123, ` +
        '"correlation_id": null, "data": {"user": "ann", "n": 1}, "metadata": {"k": "v"}, "priority": 1}',
    );
  });

  test('keys are exactly event_type, source, event_id, timestamp, correlation_id, data, metadata, priority in order', () => {
    const parsed = JSON.parse(eventToJSON(createEvent('a.b', 's')));
    assert.deepEqual(Object.keys(parsed), KEYS);
  });

  test('timestamp is seconds since the epoch: 1700000000123 ms → 1700000000.123', () => {
    const json = eventToJSON(sample());
    assert.match(json, /"timestamp": 1700000000\.123,/);
    assert.equal(JSON.parse(json).timestamp, 1700000000.123);
  });

  test('a whole-second timestamp is still written as a float (Python writes 1700000000.0)', () => {
    const json = eventToJSON(sample({ timestamp: 1700000000000 }));
    assert.match(json, /"timestamp": 1700000000\.0,/);
  });

  test('nested data uses the same separators', () => {
    const e = createEvent('a', 's', {
      eventId: ID,
      timestamp: 1500,
      correlationId: 'c-1',
      data: { list: [1, 'two', true, null], obj: { a: { b: [] } }, empty: {} },
      metadata: {},
      priority: 2,
    });
    assert.equal(
      eventToJSON(e),
      `{"event_type": "a", "source": "s", "event_id": "${ID}", "timestamp": 1.5, "correlation_id": "c-1", ` +
        '"data": {"list": [1, "two", true, null], "obj": {"a": {"b": []}}, "empty": {}}, "metadata": {}, "priority": 2}',
    );
  });

  test('correlation_id is written as a string when set', () => {
    assert.equal(JSON.parse(eventToJSON(sample({ correlationId: 'abc' }))).correlation_id, 'abc');
  });

  test('accepts a plain object with the event fields', () => {
    const plain = {
      eventType: 'x.y', source: 's', eventId: ID, timestamp: 2000,
      correlationId: null, data: { a: 1 }, metadata: {}, priority: 0,
    };
    assert.deepEqual(JSON.parse(eventToJSON(plain)), {
      event_type: 'x.y', source: 's', event_id: ID, timestamp: 2,
      correlation_id: null, data: { a: 1 }, metadata: {}, priority: 0,
    });
  });

  test('rejects something that is not an event with a TypeError', () => {
    for (const bad of [undefined, null, 5, 'event']) {
      assert.throws(() => eventToJSON(bad), TypeError);
      assert.throws(() => eventToJSON(bad), /event/);
    }
  });
});

describe('eventFromJSON', () => {
  test('reads the Python layout', () => {
    const e = eventFromJSON(
      `{"event_type": "user.login", "source": "auth", "event_id": "${ID}", "timestamp": 1700000000.123, ` +
        '"correlation_id": "c-9", "data": {"user": "ann"}, "metadata": {"k": "v"}, "priority": 2}',
    );
    assert.equal(e.eventType, 'user.login');
    assert.equal(e.source, 'auth');
    assert.equal(e.eventId, ID);
    assert.ok(Math.abs(e.timestamp - 1700000000123) < 0.01, `timestamp ${e.timestamp}`);
    assert.equal(e.correlationId, 'c-9');
    assert.deepEqual(e.data, { user: 'ann' });
    assert.deepEqual(e.metadata, { k: 'v' });
    assert.equal(e.priority, 2);
  });

  test('keeps a fractional millisecond timestamp from the wire', () => {
    const e = eventFromJSON(wire({ timestamp: 1700000000.1234567 }));
    assert.ok(Math.abs(e.timestamp - 1700000000123.4567) < 0.001, `timestamp ${e.timestamp}`);
  });

  test('accepts an integer timestamp in seconds', () => {
    assert.equal(eventFromJSON(wire({ timestamp: 1700000000 })).timestamp, 1700000000000);
  });

  test('returns a frozen event', () => {
    assert.ok(Object.isFrozen(eventFromJSON(wire({}))));
  });

  test('missing event_id → a fresh UUID v4', () => {
    const a = eventFromJSON(wire({}));
    const b = eventFromJSON(wire({}));
    assert.match(a.eventId, UUID_V4);
    assert.match(b.eventId, UUID_V4);
    assert.notEqual(a.eventId, b.eventId);
  });

  test('missing timestamp → now', () => {
    const before = Date.now();
    const e = eventFromJSON(wire({}));
    const after = Date.now();
    assert.ok(e.timestamp >= before - 1 && e.timestamp <= after + 1, `timestamp ${e.timestamp}`);
  });

  test('missing optional keys take the defaults', () => {
    const e = eventFromJSON('{"event_type": "custom", "source": "s"}');
    assert.equal(e.correlationId, null);
    assert.deepEqual(e.data, {});
    assert.deepEqual(e.metadata, {});
    assert.equal(e.priority, 0);
  });

  test('not JSON → SyntaxError', () => {
    for (const bad of ['', 'not json', '{"event_type": "a",', '{event_type: "a"}']) {
      assert.throws(() => eventFromJSON(bad), SyntaxError, JSON.stringify(bad));
    }
  });

  test('JSON that is not an object → TypeError', () => {
    for (const bad of ['[]', '5', 'null', '"text"', 'true']) {
      assert.throws(() => eventFromJSON(bad), TypeError, bad);
    }
  });

  test('argument that is not a string → TypeError', () => {
    for (const bad of [undefined, null, 5, {}, { event_type: 'a', source: 's' }]) {
      assert.throws(() => eventFromJSON(bad), TypeError);
    }
  });

  const wrongTypes = [
    ['event_type', 5],
    ['event_type', null],
    ['source', 5],
    ['event_id', 7],
    ['timestamp', '1700000000'],
    ['correlation_id', 5],
    ['data', 5],
    ['data', 'x'],
    ['data', null],
    ['metadata', 5],
    ['metadata', null],
    ['priority', 'high'],
  ];
  for (const [key, value] of wrongTypes) {
    test(`${key}: ${JSON.stringify(value)} → TypeError naming ${key}`, () => {
      const json = wire({ [key]: value });
      assert.throws(() => eventFromJSON(json), TypeError);
      assert.throws(() => eventFromJSON(json), new RegExp(key));
    });
  }

  test('missing event_type → TypeError naming event_type', () => {
    assert.throws(() => eventFromJSON('{"source": "s"}'), TypeError);
    assert.throws(() => eventFromJSON('{"source": "s"}'), /event_type/);
  });

  test('missing source → TypeError naming source', () => {
    assert.throws(() => eventFromJSON('{"event_type": "a"}'), TypeError);
    assert.throws(() => eventFromJSON('{"event_type": "a"}'), /source/);
  });

  test('out-of-range values → RangeError', () => {
    assert.throws(() => eventFromJSON(wire({ event_type: 'has space' })), RangeError);
    assert.throws(() => eventFromJSON(wire({ event_type: '' })), RangeError);
    assert.throws(() => eventFromJSON(wire({ priority: 5 })), RangeError);
    assert.throws(() => eventFromJSON(wire({ priority: 5 })), /priority/);
  });

  test('input of exactly 1 MiB is accepted, one character more → RangeError', () => {
    const head = '{"event_type": "a", "source": "s", "data": {"pad": "';
    const tail = '"}}';
    const exact = head + 'x'.repeat(MiB - head.length - tail.length) + tail;
    assert.equal(exact.length, MiB);
    assert.equal(eventFromJSON(exact).data.pad.length, MiB - head.length - tail.length);
    const over = head + 'x'.repeat(MiB - head.length - tail.length + 1) + tail;
    assert.equal(over.length, MiB + 1);
    assert.throws(() => eventFromJSON(over), RangeError);
  });

  test('over-long input is refused by its size even when it is not JSON', () => {
    assert.throws(() => eventFromJSON('x'.repeat(MiB + 1)), RangeError);
  });

  test('moderate nesting (20 levels) is accepted', () => {
    const json = '{"event_type": "a", "source": "s", "data": {"v": ' +
      '{"a": '.repeat(20) + '1' + '}'.repeat(20) + '}}';
    let node = eventFromJSON(json).data.v;
    for (let i = 0; i < 20; i++) node = node.a;
    assert.equal(node, 1);
  });

  test('nesting deeper than 64 → RangeError (objects)', () => {
    const json = '{"event_type": "a", "source": "s", "data": {"v": ' +
      '{"a": '.repeat(100) + '1' + '}'.repeat(100) + '}}';
    assert.throws(() => eventFromJSON(json), RangeError);
  });

  test('nesting deeper than 64 → RangeError (arrays, metadata)', () => {
    const json = '{"event_type": "a", "source": "s", "metadata": {"v": ' +
      '['.repeat(100) + ']'.repeat(100) + '}}';
    assert.throws(() => eventFromJSON(json), RangeError);
  });

  test('extremely deep nesting is refused with a RangeError, not a crash', () => {
    const n = 200000;
    const json = '{"event_type": "a", "source": "s", "data": {"v": ' + '['.repeat(n) + ']'.repeat(n) + '}}';
    assert.ok(json.length < MiB);
    assert.throws(() => eventFromJSON(json), RangeError);
  });

  test('__proto__ and constructor keys stay own data properties and pollute nothing', () => {
    const json =
      '{"event_type": "a", "source": "s", "__proto__": {"polluted": "top"}, ' +
      '"data": {"__proto__": {"polluted": "data"}, "constructor": {"prototype": {"polluted": "ctor"}}, ' +
      '"inner": {"__proto__": {"polluted": "inner"}}}, ' +
      '"metadata": {"__proto__": {"polluted": "meta"}}}';
    const e = eventFromJSON(json);
    assert.equal(Object.getPrototypeOf(e.data), Object.prototype);
    assert.equal(Object.getPrototypeOf(e.metadata), Object.prototype);
    assert.equal(Object.getPrototypeOf(e.data.inner), Object.prototype);
    assert.ok(Object.hasOwn(e.data, '__proto__'));
    assert.ok(Object.hasOwn(e.data, 'constructor'));
    assert.ok(Object.hasOwn(e.data.inner, '__proto__'));
    assert.ok(Object.hasOwn(e.metadata, '__proto__'));
    assert.deepEqual(Object.getOwnPropertyDescriptor(e.data, '__proto__').value, { polluted: 'data' });
    assert.deepEqual(Object.getOwnPropertyDescriptor(e.metadata, '__proto__').value, { polluted: 'meta' });
    assert.equal(e.data.polluted, undefined);
    assert.equal(e.metadata.polluted, undefined);
    assert.equal(e.data.inner.polluted, undefined);
    assert.equal(e.polluted, undefined);
    assert.equal({}.polluted, undefined);
    assert.equal(Object.prototype.polluted, undefined);
    assert.equal(Object.getPrototypeOf(e), Object.getPrototypeOf(createEvent('a', 's')));
  });

  test('a __proto__ key survives a round trip as data', () => {
    const json = wire({ data: JSON.parse('{"__proto__": {"x": 1}}') });
    const e = eventFromJSON(json);
    const back = JSON.parse(eventToJSON(e));
    assert.ok(Object.hasOwn(back.data, '__proto__'));
    assert.equal({}.x, undefined);
  });
});

describe('round trip', () => {
  test('eventFromJSON(eventToJSON(e)) preserves every field', () => {
    const e = createEvent('data.processing.end', 'pipeline', {
      correlationId: 'corr-42',
      priority: 2,
      data: { rows: 12, ok: true, ratio: 0.25, tags: ['a', 'b'], nested: { x: null }, text: 'héllo "q" \\ \n ✓' },
      metadata: { host: 'h1', attempt: 3 },
    });
    const back = eventFromJSON(eventToJSON(e));
    assert.equal(back.eventType, e.eventType);
    assert.equal(back.source, e.source);
    assert.equal(back.eventId, e.eventId);
    assert.equal(back.timestamp, e.timestamp);
    assert.equal(back.correlationId, e.correlationId);
    assert.deepEqual(back.data, e.data);
    assert.deepEqual(back.metadata, e.metadata);
    assert.equal(back.priority, e.priority);
  });

  test('integer millisecond timestamps come back exactly', () => {
    for (const ts of [0, 1, 999, 1700000000123, 1700000000999, 1732406400001, Date.now()]) {
      const back = eventFromJSON(eventToJSON(createEvent('a', 's', { timestamp: ts })));
      assert.equal(back.timestamp, ts);
    }
  });

  test('null correlation id and empty data survive', () => {
    const e = createEvent('a', 's');
    const back = eventFromJSON(eventToJSON(e));
    assert.equal(back.correlationId, null);
    assert.deepEqual(back.data, {});
    assert.deepEqual(back.metadata, {});
    assert.equal(back.priority, 0);
  });

  test('eventToJSON(eventFromJSON(s)) gives back a Python-written string unchanged', () => {
    const s =
      `{"event_type": "build.end", "source": "ci", "event_id": "${ID}", "timestamp": 1700000000.123, ` +
      '"correlation_id": "run-7", "data": {"artifacts": ["a.whl", "b.tgz"], "ok": true}, ' +
      '"metadata": {"runner": "r1"}, "priority": 0}';
    assert.equal(eventToJSON(eventFromJSON(s)), s);
  });
});
