// toCloudEvent / fromCloudEvent against the `cloudevents` SDK (CloudEvents
// 1.0, structured JSON mode): what we write validates there and keeps every
// attribute, what the SDK writes (objects, JSON, HTTP messages) reads back.
import { test, describe, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CloudEvent, HTTP } from 'cloudevents';
import {
  EventBus, EventEmitter, EventType, Priority, createEvent, eventFromJSON, fromCloudEvent, setLogger, toCloudEvent,
} from 'codomyrmex-events';

const RFC3339_MS_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const MAX_RFC3339_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
const base = Object.freeze({ specversion: '1.0', id: 'id-1', source: '/shop', type: 'orders.created' });
const runs = { numRuns: 150 };

/** What a JSON trip does to data (the expected data after any hop through text). */
const viaJSON = (value) => JSON.parse(JSON.stringify(value));

/** An event, as the fields fromCloudEvent can restore. */
const fields = (e) => ({
  eventType: e.eventType, source: e.source, eventId: e.eventId, timestamp: e.timestamp,
  correlationId: e.correlationId, data: viaJSON(e.data), priority: e.priority,
});

/** HTTP headers as they arrive over the wire: strings. */
const wireHeaders = (headers) => Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, String(v)]));

// Events whose attributes are valid CloudEvents: sources are URI-references.
const eventArb = fc.record({
  eventType: fc.oneof(
    fc.constantFrom(...Object.values(EventType)),
    fc.stringMatching(/^[a-z][a-z0-9_]{0,11}(\.[a-z][a-z0-9_]{0,11}){0,3}$/),
  ),
  source: fc.oneof(
    fc.constantFrom('shop', 'async_emitter', '/orders/eu-1', 'urn:codomyrmex:worker', 'https://example.com/svc?x=1'),
    fc.stringMatching(/^\/?[A-Za-z0-9._~-]{1,20}(\/[A-Za-z0-9._~-]{1,20}){0,3}$/),
  ),
  timestamp: fc.integer({ min: 0, max: MAX_RFC3339_MS }),
  correlationId: fc.option(fc.oneof(fc.uuid(), fc.string({ minLength: 1, maxLength: 40 })), { nil: null }),
  priority: fc.constantFrom(0, 1, 2),
  data: fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 }),
  metadata: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
}).map(({ eventType, source, ...options }) => createEvent(eventType, source, options));

beforeEach(() => setLogger(null));
afterEach(() => setLogger(null));

describe('toCloudEvent', () => {
  test('writes the CloudEvents 1.0 attributes, JSON data and the two extensions', () => {
    const data = { id: 7, items: ['a'] };
    const e = createEvent('orders.created', 'shop', {
      data, correlationId: 'req-1', priority: Priority.CRITICAL, timestamp: 1_700_000_000_123, metadata: { k: 1 },
    });
    const ce = toCloudEvent(e);
    assert.deepEqual(ce, {
      specversion: '1.0',
      id: e.eventId,
      source: 'shop',
      type: 'orders.created',
      time: '2023-11-14T22:13:20.123Z',
      datacontenttype: 'application/json',
      data: { id: 7, items: ['a'] },
      correlationid: 'req-1',
      priority: 2,
    });
    assert.equal(ce.data, data, 'data is passed through, not copied');
    assert.equal(Object.getPrototypeOf(ce), Object.prototype);
  });

  test('leaves correlationid out when the event has none; priority is always there, as an integer', () => {
    const ce = toCloudEvent(createEvent('a', 's'));
    assert.equal('correlationid' in ce, false);
    assert.equal(ce.priority, 0);
    assert.equal(Number.isInteger(ce.priority), true);
    assert.match(ce.id, UUID_V4);
    assert.deepEqual(ce.data, {});
    assert.doesNotMatch(JSON.stringify(ce), /metadata|null/);
  });

  test('time is RFC 3339 UTC with milliseconds, the same text as Date#toISOString', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: MAX_RFC3339_MS }), (t) => {
      const { time } = toCloudEvent(createEvent('a', 's', { timestamp: t }));
      assert.match(time, RFC3339_MS_UTC);
      assert.equal(time, new Date(t).toISOString());
    }), { numRuns: 500 });
    for (const t of [0, 951_782_400_000, 1_700_000_000_999, MAX_RFC3339_MS]) {
      assert.equal(toCloudEvent(createEvent('a', 's', { timestamp: t })).time, new Date(t).toISOString());
    }
  });

  test('a fractional timestamp (from the wire) keeps its whole milliseconds', () => {
    const e = eventFromJSON('{"event_type": "a", "source": "s", "timestamp": 1700000000.1239, "data": {}, "metadata": {}, "priority": 1}');
    assert.equal(toCloudEvent(e).time, '2023-11-14T22:13:20.123Z');
  });

  test('accepts any object with the event fields, and refuses what is not an event', () => {
    const e = createEvent('a.b', 's', { data: { n: 1 } });
    assert.deepEqual(toCloudEvent({ ...e }), toCloudEvent(e));
    for (const bad of [undefined, null, 'event', 1, {}, [], { ...e, eventType: 'has space' }, { ...e, priority: 3 }]) {
      assert.throws(() => toCloudEvent(bad), (err) => err instanceof TypeError || err instanceof RangeError);
    }
  });
});

describe('the cloudevents SDK reads what toCloudEvent writes', () => {
  test('new CloudEvent(toCloudEvent(e)) validates and keeps every attribute', () => {
    fc.assert(fc.property(eventArb, (e) => {
      const ours = toCloudEvent(e);
      const ce = new CloudEvent(ours);
      assert.equal(ce.validate(), true);
      for (const key of Object.keys(ours)) assert.deepEqual(ce[key], ours[key], key);
      assert.equal(ce.specversion, '1.0');
      assert.equal(ce.id, e.eventId);
      assert.equal(ce.time, new Date(e.timestamp).toISOString());
      assert.equal(ce.correlationid, e.correlationId ?? undefined);
      assert.equal(ce.priority, e.priority);
    }), runs);
  });

  test('structured HTTP message: the body is our JSON, and the SDK reads it back', () => {
    const e = createEvent('orders.created', 'shop', { data: { id: 7 }, correlationId: 'c', priority: 1 });
    const message = HTTP.structured(new CloudEvent(toCloudEvent(e)));
    assert.match(message.headers['content-type'], /^application\/cloudevents\+json/);
    assert.deepEqual(JSON.parse(message.body), viaJSON(toCloudEvent(e)));
    const back = HTTP.toEvent(message);
    assert.equal(back.validate(), true);
    assert.deepEqual(fields(fromCloudEvent(back)), fields(e));
  });
});

describe('fromCloudEvent reads what the SDK writes', () => {
  test('an SDK CloudEvent: id, time (ms), type, source, data, correlation id and priority', () => {
    const ce = new CloudEvent({
      type: 'com.example.order.paid', source: 'https://example.com/shop', data: { total: 42.5 },
      correlationid: 'req-7', priority: 2, subject: 'order/17',
    });
    assert.equal(ce.validate(), true);
    const e = fromCloudEvent(ce);
    assert.equal(e.eventType, 'com.example.order.paid');
    assert.equal(e.source, 'https://example.com/shop');
    assert.equal(e.eventId, ce.id);
    assert.equal(e.timestamp, Date.parse(ce.time));
    assert.equal(e.correlationId, 'req-7');
    assert.equal(e.priority, 2);
    assert.deepEqual(e.data, { total: 42.5 });
    assert.deepEqual(e.metadata, {});
    assert.equal(Object.isFrozen(e), true);
  });

  test('an SDK CloudEvent without extensions or data: no correlation id, priority 0, empty data', () => {
    const ce = new CloudEvent({ type: 'ping', source: '/monitor' });
    const e = fromCloudEvent(ce);
    assert.equal(e.correlationId, null);
    assert.equal(e.priority, 0);
    assert.deepEqual(e.data, {});
    assert.equal(e.timestamp, Date.parse(ce.time));
  });

  test('the same event after JSON.parse(JSON.stringify(ce))', () => {
    const ce = new CloudEvent({ type: 'a.b', source: '/s', data: { list: [1, 2], nested: { ok: true } }, correlationid: 'c', priority: 1 });
    assert.deepEqual(fields(fromCloudEvent(JSON.parse(JSON.stringify(ce)))), fields(fromCloudEvent(ce)));
  });

  test('structured and binary HTTP messages, with header values as strings', () => {
    const ce = new CloudEvent({ type: 'a.b', source: '/s', data: { n: 1 }, correlationid: 'c-9', priority: 2 });
    const expected = fields(fromCloudEvent(ce));
    const structured = HTTP.structured(ce);
    assert.deepEqual(fields(fromCloudEvent(HTTP.toEvent(structured))), expected);
    const binary = HTTP.binary(ce);
    const fromBinary = HTTP.toEvent({ headers: wireHeaders(binary.headers), body: binary.body });
    assert.equal(fromBinary.priority, '2', 'binary mode carries the priority as a string');
    assert.deepEqual(fields(fromCloudEvent(fromBinary)), expected);
  });

  test('times with other offsets and precisions', () => {
    const at = (time) => fromCloudEvent({ ...base, time }).timestamp;
    assert.equal(at('2023-11-14T22:13:20Z'), 1_700_000_000_000);
    assert.equal(at('2023-11-14T22:13:20.5Z'), 1_700_000_000_500);
    assert.equal(at('2023-11-14T23:13:20.123+01:00'), 1_700_000_000_123);
    assert.equal(at('2023-11-14T17:13:20.123-05:00'), 1_700_000_000_123);
    assert.equal(at('2023-11-14t22:13:20.123z'), 1_700_000_000_123);
  });

  test('time absent means now', () => {
    const before = Date.now();
    const e = fromCloudEvent({ ...base });
    assert.ok(e.timestamp >= before && e.timestamp <= Date.now(), String(e.timestamp));
  });

  test('priority as a number or its string form; absent means 0', () => {
    for (const [priority, expected] of [[0, 0], [1, 1], [2, 2], ['0', 0], ['1', 1], ['2', 2], [undefined, 0]]) {
      assert.equal(fromCloudEvent({ ...base, priority }).priority, expected, String(priority));
    }
  });

  test('JSON media types are accepted, parameters included', () => {
    for (const t of ['application/json', 'application/json; charset=utf-8', 'Application/JSON', 'application/cloudevents+json', 'application/vnd.api+json']) {
      assert.doesNotThrow(() => fromCloudEvent({ ...base, datacontenttype: t }), t);
    }
  });

  test('metadata is not carried: it is empty after the hop', () => {
    const e = createEvent('a', 's', { metadata: { secret: 'x' } });
    assert.deepEqual(fromCloudEvent(toCloudEvent(e)).metadata, {});
  });

  test('other attributes are ignored', () => {
    const e = fromCloudEvent({ ...base, subject: 'x', dataschema: 'https://example.com/s.json', other: { a: 1 } });
    assert.deepEqual(Object.keys(e).sort(), ['correlationId', 'data', 'eventId', 'eventType', 'metadata', 'priority', 'source', 'timestamp']);
  });

  test('the event can be published, and handlers see it like any other', () => {
    const bus = new EventBus();
    const seen = [];
    bus.subscribe('orders.*', (e) => seen.push(e));
    const e = fromCloudEvent({ ...base, data: { id: 1 }, correlationid: 'c' });
    bus.publish(e);
    assert.deepEqual(seen, [e]);
  });
});

describe('round trips', () => {
  test('event → toCloudEvent → SDK → structured HTTP → SDK → fromCloudEvent keeps every field but metadata', () => {
    fc.assert(fc.property(eventArb, (e) => {
      const message = HTTP.structured(new CloudEvent(toCloudEvent(e)));
      assert.deepEqual(fields(fromCloudEvent(HTTP.toEvent(message))), fields(e));
    }), runs);
  });

  test('event → toCloudEvent → JSON text → fromCloudEvent', () => {
    fc.assert(fc.property(eventArb, (e) => {
      assert.deepEqual(fields(fromCloudEvent(JSON.parse(JSON.stringify(toCloudEvent(e))))), fields(e));
    }), runs);
  });

  test('event → toCloudEvent → fromCloudEvent, in memory: data is the same object', () => {
    fc.assert(fc.property(eventArb, (e) => {
      const back = fromCloudEvent(toCloudEvent(e));
      assert.equal(back.data, e.data);
      assert.deepEqual({ ...back, metadata: e.metadata }, { ...e });
    }), runs);
  });

  test('an emitter operation end event crosses with its correlation id and priority', () => {
    const bus = new EventBus();
    const seen = [];
    bus.subscribe('custom', (e) => seen.push(e));
    const emitter = new EventEmitter('worker', bus);
    assert.throws(() => emitter.operation('job').run(() => { throw new Error('boom'); }), /boom/);
    const end = seen.at(-1);
    const back = fromCloudEvent(HTTP.toEvent(HTTP.structured(new CloudEvent(toCloudEvent(end)))));
    assert.equal(back.correlationId, end.correlationId);
    assert.equal(back.priority, 2);
    assert.deepEqual(back.data, viaJSON(end.data));
  });
});

describe('refusals', () => {
  const refuses = (patch, type, pattern) => {
    assert.throws(() => fromCloudEvent({ ...base, ...patch }),
      (e) => e instanceof type && pattern.test(e.message), JSON.stringify(patch));
  };

  test('specversion other than "1.0"', () => {
    for (const v of ['0.3', '1', '1.0.0', '2.0', '']) refuses({ specversion: v }, RangeError, /cloudEvent\.specversion/);
    for (const v of [1, 1.0, null, undefined]) refuses({ specversion: v }, TypeError, /cloudEvent\.specversion/);
  });

  test('a time that is not an RFC 3339 date-time', () => {
    for (const t of ['yesterday', '', '2023-11-14', '2023-11-14T22:13:20', '2023-13-01T00:00:00Z', '2023-02-29T00:00:00Z',
      '2023-11-14T25:00:00Z', '2023-11-14T22:13:20.Z', '2023-11-14T22:13:20+0100', 'Tue, 14 Nov 2023 22:13:20 GMT']) {
      refuses({ time: t }, RangeError, /cloudEvent\.time/);
    }
    for (const t of [new Date(), 1_700_000_000_000]) refuses({ time: t }, TypeError, /cloudEvent\.time/);
  });

  test('a datacontenttype that is not JSON', () => {
    for (const t of ['text/plain', 'application/xml', 'application/octet-stream', 'text/json-ish', '']) {
      refuses({ datacontenttype: t }, RangeError, /cloudEvent\.datacontenttype/);
    }
    refuses({ datacontenttype: 5 }, TypeError, /cloudEvent\.datacontenttype/);
  });

  test('missing or empty type, source or id', () => {
    for (const key of ['type', 'source', 'id']) {
      refuses({ [key]: undefined }, TypeError, new RegExp(`cloudEvent\\.${key}`));
      refuses({ [key]: '' }, RangeError, new RegExp(`cloudEvent\\.${key}`));
      refuses({ [key]: 7 }, TypeError, new RegExp(`cloudEvent\\.${key}`));
    }
    refuses({ type: 'has space' }, RangeError, /cloudEvent\.type/);
  });

  test('a priority out of range or of the wrong type', () => {
    for (const p of [3, -1, 1.5, '3', 'high', ' 1', '01', NaN]) refuses({ priority: p }, RangeError, /cloudEvent\.priority/);
    for (const p of [true, {}, []]) refuses({ priority: p }, TypeError, /cloudEvent\.priority/);
  });

  test('data that is not an object, a correlation id that is not a string', () => {
    for (const d of ['text', 5, [1, 2], null]) refuses({ data: d }, TypeError, /cloudEvent\.data/);
    refuses({ correlationid: 5 }, TypeError, /cloudEvent\.correlationid/);
  });

  test('anything but an object', () => {
    for (const bad of [undefined, null, 'ce', 1, true]) {
      assert.throws(() => fromCloudEvent(bad), (e) => e instanceof TypeError && /cloudEvent/.test(e.message));
    }
  });
});

describe('edges of the mapping', () => {
  test('optional attributes that are null count as absent (JSON event format)', () => {
    const e = fromCloudEvent({ ...base, time: null, datacontenttype: null, priority: null, correlationid: null });
    assert.equal(e.priority, 0);
    assert.equal(e.correlationId, null);
  });

  test('every source becomes a valid CloudEvents source (a URI-reference)', () => {
    const cases = [['my service', 'my%20service'], ['café', 'caf%C3%A9'], ['100%', '100%25'], ['1:x', '1%3Ax'], ['/sensors/1', '/sensors/1']];
    for (const [source, uri] of cases) {
      const ce = toCloudEvent(createEvent('a', source));
      assert.equal(ce.source, uri);
      assert.equal(new CloudEvent(ce).validate(), true, source);
    }
    fc.assert(fc.property(fc.string({ minLength: 1, unit: 'grapheme' }), (source) => {
      assert.equal(new CloudEvent(toCloudEvent(createEvent('a', source))).validate(), true);
    }), { numRuns: 300 });
  });

  test('timestamps end with year 9999, where RFC 3339 does: the last one survives the hop, later ones are refused', () => {
    const e = createEvent('a', 's', { timestamp: MAX_RFC3339_MS });
    assert.equal(fromCloudEvent(toCloudEvent(e)).timestamp, MAX_RFC3339_MS);
    assert.throws(() => createEvent('a', 's', { timestamp: MAX_RFC3339_MS + 1 }), (err) => err instanceof RangeError && /timestamp/.test(err.message));
  });
});
