// Untrusted wire input: eventFromJSON bounds what it reads (size, depth) before
// it costs anything, never lets __proto__ / constructor keys reach a prototype
// (neither in the parsed event nor when its metadata is merged into emitted
// events), and says what is wrong with malformed input, naming the key.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  AsyncEventEmitter, EventBus, EventEmitter, createEvent, emitEvent, eventFromJSON, eventToJSON,
  getEventBus,
} from 'codomyrmex-events';
import { guardEachTest, show } from './support/robustness.mjs';

const MiB = 1024 * 1024;
const MAX_DEPTH = 64; // levels of arrays and objects, the event object included

guardEachTest({ after: assertNoPollution });

const PROTOTYPES = [Object.prototype, Array.prototype, Function.prototype, String.prototype];
function assertNoPollution() {
  for (const proto of PROTOTYPES) {
    for (const key of ['polluted', 'x', 'isAdmin']) {
      assert.equal(Object.hasOwn(proto, key), false, `${key} appeared on a built-in prototype`);
    }
  }
  assert.equal({}.polluted, undefined);
  assert.equal([].polluted, undefined);
}

/** A valid wire event with `data` holding `inner` (raw JSON text). */
const withData = (inner) => `{"event_type": "w.x", "source": "s", "data": {"v": ${inner}}}`;
const arrays = (n) => '['.repeat(n) + ']'.repeat(n);
const objects = (n) => '{"a": '.repeat(n) + '1' + '}'.repeat(n);

/** Asserts `fn` throws exactly `Class` with a message matching `pattern`. */
function refuses(fn, Class, pattern, what = '') {
  let thrown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  assert.ok(thrown !== undefined, `${what}: expected a ${Class.name}, nothing was thrown`);
  assert.equal(thrown.constructor, Class, `${what}: expected a ${Class.name}, got ${show(thrown)}`);
  assert.match(thrown.message, pattern, what);
}

describe('size', () => {
  test('the size bound is applied before the text is copied: a 64 MiB string costs no memory', () => {
    // WebAssembly memory only grows; on Node.js it is counted in `external`.
    const before = process.memoryUsage().external;
    for (const unit of [' ', 'é']) {
      refuses(() => eventFromJSON(unit.repeat(64 * MiB)), RangeError, /json/, `64 Mi × ${JSON.stringify(unit)}`);
    }
    const grown = process.memoryUsage().external - before;
    assert.ok(grown < 8 * MiB, `memory grew by ${(grown / MiB).toFixed(1)} MiB while refusing oversized input`);
  });

  test('1 MiB + 1 byte of otherwise valid JSON → RangeError naming json; the bus still works', () => {
    const pad = (n) => withData(`"${'x'.repeat(n)}"`);
    const base = pad(0).length;
    assert.equal(eventFromJSON(pad(MiB - base)).data.v.length, MiB - base);
    refuses(() => eventFromJSON(pad(MiB - base + 1)), RangeError, /json/, '1 MiB + 1');
  });
});

describe('depth', () => {
  test(`data nested ${MAX_DEPTH - 2} levels (${MAX_DEPTH} with the event) is accepted; one more → RangeError naming data`, () => {
    // depth 1: the event object; depth 2: data; then `v` holds the nested arrays.
    const ok = MAX_DEPTH - 2;
    let node = eventFromJSON(withData(arrays(ok))).data.v;
    for (let i = 1; i < ok; i++) node = node[0];
    assert.deepEqual(node, []);
    refuses(() => eventFromJSON(withData(arrays(ok + 1))), RangeError, /\bdata\b/, 'arrays');
    refuses(() => eventFromJSON(withData(objects(ok + 1))), RangeError, /\bdata\b/, 'objects');
  });

  test('100,000 nested [ (alone, inside data, unclosed) → RangeError, never a crash', () => {
    const n = 100_000;
    refuses(() => eventFromJSON('['.repeat(n)), RangeError, /json|nested/, 'bare [');
    refuses(() => eventFromJSON(arrays(n)), RangeError, /json|nested/, 'bare [ ]');
    refuses(() => eventFromJSON(withData('['.repeat(n))), RangeError, /\bdata\b/, 'unclosed, in data');
    refuses(() => eventFromJSON(withData(arrays(n))), RangeError, /\bdata\b/, 'closed, in data');
    refuses(() => eventFromJSON(`{"event_type": "w", "source": "s", "metadata": ${'{"k": '.repeat(n)}`), RangeError, /\bmetadata\b/, 'objects in metadata');
  });

  test('brackets inside strings (escaped quotes included) do not count as nesting', () => {
    const text = '[{"\\"'.repeat(10_000);
    const e = eventFromJSON(withData(JSON.stringify(text)));
    assert.equal(e.data.v, text);
    const key = '\\"['.repeat(200);
    assert.equal(Object.keys(eventFromJSON(`{"event_type": "w", "source": "s", "data": {"${key}": 1}}`).data).length, 1);
  });

  test('100,000 closing brackets, and other unbalanced text → SyntaxError', () => {
    for (const bad of [']'.repeat(100_000), '}'.repeat(100_000), '{"event_type": "a", "source": "s"}}}]]', '[' + ']'.repeat(1000)]) {
      refuses(() => eventFromJSON(bad), SyntaxError, /json/, show(bad));
    }
  });
});

describe('__proto__ and constructor keys', () => {
  const HOSTILE = '{"__proto__": {"polluted": "yes", "isAdmin": true}, "constructor": {"prototype": {"polluted": "ctor"}}, ' +
    '"nested": {"__proto__": {"x": 1}}, "list": [{"__proto__": {"x": 2}}]}';
  const hostileEvent = () => eventFromJSON(
    `{"__proto__": {"polluted": "top"}, "event_type": "w.p", "source": "s", "data": ${HOSTILE}, "metadata": ${HOSTILE}}`,
  );

  /** The object keeps __proto__ as an own data property and has the ordinary prototype. */
  function plain(obj, where) {
    assert.equal(Object.getPrototypeOf(obj), Object.prototype, `${where}: prototype`);
    assert.ok(Object.hasOwn(obj, '__proto__'), `${where}: __proto__ is an own key`);
    assert.equal(obj.polluted, undefined, `${where}: nothing inherited`);
    assert.equal(obj.isAdmin, undefined, `${where}: nothing inherited`);
    assert.equal(Object.getOwnPropertyDescriptor(obj, '__proto__').value.polluted, 'yes', `${where}: value kept`);
  }

  test('in the parsed event: data, metadata, nested objects and arrays', () => {
    const e = hostileEvent();
    assert.equal(e.polluted, undefined);
    plain(e.data, 'data');
    plain(e.metadata, 'metadata');
    assert.equal(Object.getPrototypeOf(e.data.nested), Object.prototype);
    assert.equal(e.data.nested.x, undefined);
    assert.equal(e.data.list[0].x, undefined);
    assert.equal(typeof e.data.constructor, 'object', 'constructor is the own key');
  });

  test('merged as default metadata, as per-call metadata, and through every emitting path', async () => {
    const bus = new EventBus();
    const got = [];
    bus.subscribe('*', (e) => { got.push(e); });
    const emitter = new EventEmitter('s', bus);
    const { metadata, data } = hostileEvent();
    emitter.setDefaultMetadata(metadata);
    plain(emitter.defaultMetadata, 'defaultMetadata');
    emitter.emit('w.default');
    emitter.emit('w.both', {}, { metadata });
    emitter.setDefaultMetadata({});
    emitter.emit('w.call', data, { metadata });
    emitter.emitBatch([{ eventType: 'w.batch', metadata }]);
    await emitter.emitAsync('w.async', {}, { metadata });
    const id = emitter.startOperation('op', data);
    emitter.updateOperation(id, 'op', { data });
    emitter.endOperation(id, 'op', { result: data });
    emitter.operation('ctx').run((ctx) => ctx.emit('w.ctx', {}, { metadata }));
    await new AsyncEventEmitter('s', bus).emit('w.later', data);
    bus.publish(createEvent('w.created', 's', { metadata, data }));
    const def = getEventBus();
    const sub = def.subscribe('w.global', (e) => { got.push(e); });
    try {
      emitEvent('w.global', 's', data, { metadata });
    } finally {
      def.unsubscribe(sub);
    }
    const metaOf = ['w.default', 'w.both', 'w.call', 'w.batch', 'w.async', 'w.ctx', 'w.created', 'w.global'];
    for (const type of metaOf) {
      const e = got.find((x) => x.eventType === type);
      assert.ok(e, `${type} delivered`);
      plain(e.metadata, `${type} metadata`);
    }
    const progress = got.find((e) => e.data.phase === 'progress');
    assert.equal(Object.getPrototypeOf(progress.data), Object.prototype, 'operation progress data');
    assert.ok(Object.hasOwn(progress.data, '__proto__'), 'the progress data keeps the own key');
    assert.equal(progress.data.polluted, undefined);
    assert.equal(progress.data.phase, 'progress', 'spread data cannot replace the prototype of the payload');
    // Round trip of an event carrying them.
    const back = eventFromJSON(eventToJSON(got.find((e) => e.eventType === 'w.call')));
    plain(back.metadata, 'round-tripped metadata');
    plain(back.data, 'round-tripped data');
  });

  test('subscriber ids "__proto__" and "constructor" stay plain keys of getStats().subscribers', () => {
    const bus = new EventBus();
    bus.subscribe('x', () => {}, { subscriberId: '__proto__' });
    bus.subscribe('x', () => {}, { subscriberId: 'constructor' });
    const { subscribers } = bus.getStats();
    assert.equal(Object.getPrototypeOf(subscribers), Object.prototype);
    assert.deepEqual(Object.keys(subscribers), ['__proto__', 'constructor']);
    assert.deepEqual(Object.getOwnPropertyDescriptor(subscribers, '__proto__').value.eventPatterns, ['x']);
  });
});

describe('malformed input names what is wrong', () => {
  const event = (fields) => JSON.stringify({ event_type: 'w.m', source: 's', ...fields });
  const CASES = [
    ['not JSON', '{"event_type": ', SyntaxError, /json/],
    ['trailing garbage', '{"event_type": "a", "source": "s"} x', SyntaxError, /json/],
    ['a bare string', '"w.m"', TypeError, /json/],
    ['an array', '[{"event_type": "a", "source": "s"}]', TypeError, /json/],
    ['empty text', '', SyntaxError, /json/],
    ['whitespace only', ' \n\t ', SyntaxError, /json/],
    ['missing event_type', '{"source": "s"}', TypeError, /event_type/],
    ['event_type an object', event({ event_type: {} }), TypeError, /event_type/],
    ['event_type too long', event({ event_type: 'x'.repeat(257) }), RangeError, /event_type/],
    ['event_type with a tab', event({ event_type: 'a\tb' }), RangeError, /event_type/],
    ['source empty', event({ source: '' }), RangeError, /source/],
    ['source an array', event({ source: ['s'] }), TypeError, /source/],
    ['event_id an object', event({ event_id: {} }), TypeError, /event_id/],
    ['timestamp negative', event({ timestamp: -1 }), RangeError, /timestamp/],
    ['timestamp boolean', event({ timestamp: true }), TypeError, /timestamp/],
    ['correlation_id an array', event({ correlation_id: [] }), TypeError, /correlation_id/],
    ['data an array', event({ data: [] }), TypeError, /\bdata\b/],
    ['metadata a string', event({ metadata: 's' }), TypeError, /metadata/],
    ['priority 1.5', event({ priority: 1.5 }), RangeError, /priority/],
    ['priority -1', event({ priority: -1 }), RangeError, /priority/],
    ['priority null', event({ priority: null }), TypeError, /priority/],
  ];
  for (const [name, json, Class, pattern] of CASES) {
    test(`${name} → ${Class.name} naming ${pattern.source.replace(/\\b/g, '')}`, () => {
      refuses(() => eventFromJSON(json), Class, pattern, name);
    });
  }

  test('arguments that are not strings → TypeError naming json; toString is never called', () => {
    let called = false;
    const sneaky = { toString() { called = true; return '{"event_type": "a", "source": "s"}'; } };
    const proxy = new Proxy({}, new Proxy({}, { get: () => () => { throw new Error('trap'); } }));
    for (const bad of [undefined, null, 1, 1n, true, Symbol('s'), sneaky, new String('{}'), [], proxy, () => '{}']) {
      refuses(() => eventFromJSON(bad), TypeError, /\bjson\b/, show(bad));
    }
    assert.equal(called, false);
  });
});

describe('strings that are not well-formed UTF-16', () => {
  // Python's json.dumps writes a lone surrogate as a \udXXX escape and
  // json.loads reads it back: such text is valid Codomyrmex wire input.
  test('a lone-surrogate escape written by Python is read back', () => {
    const e = eventFromJSON('{"event_type": "w.s", "source": "s", "data": {"x": "\\ud800", "y": "a\\udc00b"}}');
    assert.equal(e.data.x, '\uD800');
    assert.equal(e.data.y, 'a\uDC00b');
  });

  test('eventToJSON writes lone surrogates in data, and eventFromJSON reads them back', () => {
    const e = createEvent('w.s', 's', { data: { x: 'a\uD800', y: '\uDFFFz' }, metadata: { m: '\uDBFF' } });
    const back = eventFromJSON(eventToJSON(e));
    assert.deepEqual(back.data, e.data);
    assert.deepEqual(back.metadata, e.metadata);
  });

  test('source, correlation id and event id with lone surrogates survive a round trip unchanged', () => {
    const e = createEvent('w.s', 's\uD800', { correlationId: 'c\uDC00', eventId: 'id\uD801' });
    assert.equal(e.source, 's\uD800');
    const back = eventFromJSON(eventToJSON(e));
    assert.equal(back.source, e.source);
    assert.equal(back.correlationId, e.correlationId);
    assert.equal(back.eventId, e.eventId);
  });
});

describe('identifiers that are not well-formed UTF-16', () => {
  // A string crossing into WebAssembly must not be replaced by a look-alike:
  // two ids or types that differ only in an unpaired surrogate stay different.
  // Identifiers the core compares cannot carry an unpaired surrogate into
  // Rust unchanged, so they are refused rather than silently altered.
  test('a subscriber id with a lone surrogate is refused, and nothing is subscribed', () => {
    const bus = new EventBus();
    for (const id of ['id\uD800', 'id\uDC00', '\uDBFFx']) {
      assert.throws(() => bus.subscribe('x', () => {}, { subscriberId: id }), (e) => e instanceof RangeError && /subscriberId/.test(e.message));
    }
    assert.deepEqual(Object.keys(bus.getStats().subscribers), []);
    assert.equal(bus.subscribe('x', () => {}, { subscriberId: 'id\uD83D\uDE00' }), 'id\uD83D\uDE00', 'a surrogate pair is fine');
  });

  test('a pattern or an event type with a lone surrogate is refused; a pair is matched exactly', () => {
    const bus = new EventBus();
    assert.throws(() => bus.subscribe('a\uD800', () => {}), (e) => e instanceof RangeError && /patterns/.test(e.message));
    assert.throws(() => bus.subscribe(['ok', 'a\uDBFF'], () => {}), (e) => e instanceof RangeError && /patterns\[1\]/.test(e.message));
    const got = [];
    bus.subscribe('a?', (e) => { got.push(e.eventType); });
    const emitter = new EventEmitter('s', bus);
    assert.throws(() => emitter.emit('a\uD800'), (e) => e instanceof RangeError && /eventType/.test(e.message));
    emitter.emit('a\uFFFD');
    emitter.emit('a\uD83D\uDE00');
    assert.deepEqual(got, ['a\uFFFD', 'a\uD83D\uDE00']);
    assert.equal(bus.getStats().eventsPublished, 2, 'the refused emit published nothing');
  });
});

describe('properties (fast-check)', () => {
  const RUNS = { text: 1500, roundTrip: 600, keys: 400 };

  /** Mutations of a valid wire event: every key present, absent or of any JSON type. */
  const wireValue = fc.jsonValue({ maxDepth: 3 });
  const wireObject = fc.record({
    event_type: fc.oneof(fc.constantFrom('w.f', 'custom', '', 'a b', 'x'.repeat(257)), wireValue),
    source: fc.oneof(fc.constantFrom('s', ''), wireValue),
    event_id: fc.oneof(fc.uuid(), wireValue),
    timestamp: fc.oneof(fc.double(), fc.integer(), wireValue),
    correlation_id: fc.oneof(fc.constant(null), fc.string(), wireValue),
    data: fc.oneof(fc.dictionary(fc.string(), wireValue), wireValue),
    metadata: fc.oneof(fc.dictionary(fc.string(), wireValue), wireValue),
    priority: fc.oneof(fc.integer({ min: -1, max: 3 }), fc.double(), wireValue),
  }, { requiredKeys: [] });
  // Sometimes a leading "__proto__" key, written into the text directly.
  const protoKey = fc.option(fc.dictionary(fc.constantFrom('polluted', 'x', 'isAdmin'), wireValue), { nil: undefined });
  const wireText = fc.tuple(wireObject, protoKey).map(([o, proto]) => {
    const text = JSON.stringify(o);
    if (proto === undefined) return text;
    return `{"__proto__": ${JSON.stringify(proto)}${text === '{}' ? '' : ', '}${text.slice(1)}`;
  });
  const anyText = fc.oneof(
    { weight: 4, arbitrary: wireText },
    { weight: 2, arbitrary: fc.json() },
    { weight: 1, arbitrary: fc.string({ unit: 'binary' }) },
    { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom('[', ']', '{', '}', '"', '\\', ':', ',', ' ', 'a', '1') }) },
    { weight: 1, arbitrary: wireText.chain((s) => fc.nat(s.length).map((n) => s.slice(0, n))) },
  );

  test(`any text → a frozen event or a TypeError/RangeError/SyntaxError that says what (${RUNS.text} runs)`, () => {
    fc.assert(fc.property(anyText, (text) => {
      let e;
      try {
        e = eventFromJSON(text);
      } catch (err) {
        const kinds = [TypeError, RangeError, SyntaxError];
        if (!kinds.includes(err?.constructor)) throw new Error(`threw ${show(err)}, not a TypeError/RangeError/SyntaxError`);
        if (!/\b(json|event_type|source|event_id|timestamp|correlation_id|data|metadata|priority)\b/.test(err.message)) {
          throw new Error(`the message does not name the input or a key: ${err.message}`);
        }
        return;
      }
      assert.ok(Object.isFrozen(e));
      assert.equal(Object.getPrototypeOf(e.data), Object.prototype);
      assert.equal(Object.getPrototypeOf(e.metadata), Object.prototype);
      assertNoPollution();
    }), { numRuns: RUNS.text, endOnFailure: true });
  });

  test(`eventFromJSON(eventToJSON(e)) gives back data and metadata for any JSON objects (${RUNS.roundTrip} runs)`, () => {
    const record = fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 4 }), { maxKeys: 6 });
    fc.assert(fc.property(record, record, fc.integer({ min: 0, max: 2 }), (data, metadata, priority) => {
      const e = createEvent('w.rt', 'src', { data, metadata, priority });
      const back = eventFromJSON(eventToJSON(e));
      assert.deepEqual(back.data, JSON.parse(JSON.stringify(data)));
      assert.deepEqual(back.metadata, JSON.parse(JSON.stringify(metadata)));
      assert.equal(back.priority, priority);
      assert.equal(back.eventId, e.eventId);
    }), { numRuns: RUNS.roundTrip, endOnFailure: true });
  });

  test(`objects keyed __proto__/constructor/prototype, parsed then emitted: nothing reaches a prototype (${RUNS.keys} runs)`, () => {
    const key = fc.constantFrom('__proto__', 'constructor', 'prototype', 'polluted', 'isAdmin', 'x');
    const tree = fc.letrec((tie) => ({
      node: fc.dictionary(key, fc.oneof({ depthSize: 'small' }, fc.jsonValue({ maxDepth: 1 }), tie('node')), { maxKeys: 4 }),
    })).node;
    const bus = new EventBus();
    const got = [];
    bus.subscribe('*', (e) => { got.push(e); });
    const emitter = new EventEmitter('s', bus);
    fc.assert(fc.property(tree, tree, (data, metadata) => {
      const json = `{"event_type": "w.k", "source": "s", "data": ${JSON.stringify(data)}, "metadata": ${JSON.stringify(metadata)}}`;
      // JSON.stringify writes an own __proto__ key like any other: the text is what a hostile sender would send.
      const e = eventFromJSON(json);
      emitter.setDefaultMetadata(e.metadata);
      emitter.emit('w.k', e.data, { metadata: e.data });
      const out = got[got.length - 1];
      for (const obj of [e.data, e.metadata, out.metadata, emitter.defaultMetadata]) {
        assert.equal(Object.getPrototypeOf(obj), Object.prototype);
      }
      assertNoPollution();
    }), { numRuns: RUNS.keys, endOnFailure: true });
  });
});
