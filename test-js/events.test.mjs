// Events: EventType, Priority, createEvent, frozen events, UUID v4 ids, validation.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { EventType, Priority, createEvent } from 'codomyrmex-events';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const STANDARD_TYPES = JSON.parse(
  readFileSync(new URL('./event-types.json', import.meta.url), 'utf8'),
);

describe('EventType', () => {
  test('has exactly the standard Codomyrmex event types', () => {
    assert.equal(Object.keys(STANDARD_TYPES).length, 37);
    assert.deepEqual({ ...EventType }, STANDARD_TYPES);
  });

  test('constant names are the values upper-cased with dots turned into underscores', () => {
    for (const [name, value] of Object.entries(EventType)) {
      assert.equal(typeof value, 'string', name);
      assert.equal(name, value.toUpperCase().replaceAll('.', '_'));
    }
  });

  test('spot checks of a few constants', () => {
    assert.equal(EventType.SYSTEM_STARTUP, 'system.startup');
    assert.equal(EventType.SYSTEM_CONFIG_CHANGE, 'system.config_change');
    assert.equal(EventType.FUNCTION_CALL_START, 'function.call.start');
    assert.equal(EventType.DATA_PROCESSING_END, 'data.processing.end');
    assert.equal(EventType.METRIC_UPDATE, 'metric.update');
    assert.equal(EventType.ALERT_TRIGGERED, 'alert.triggered');
    assert.equal(EventType.CUSTOM, 'custom');
  });

  test('every standard type is accepted by createEvent', () => {
    for (const value of Object.values(EventType)) {
      assert.equal(createEvent(value, 'src').eventType, value);
    }
  });
});

describe('Priority', () => {
  test('is { NORMAL: 0, HIGH: 1, CRITICAL: 2 }', () => {
    assert.deepEqual({ ...Priority }, { NORMAL: 0, HIGH: 1, CRITICAL: 2 });
  });

  test('each priority is accepted by createEvent and kept', () => {
    for (const p of [Priority.NORMAL, Priority.HIGH, Priority.CRITICAL]) {
      assert.equal(createEvent('x.y', 'src', { priority: p }).priority, p);
    }
  });
});

describe('createEvent defaults', () => {
  test('fills every field', () => {
    const before = Date.now();
    const e = createEvent('user.login', 'auth');
    const after = Date.now();
    assert.equal(e.eventType, 'user.login');
    assert.equal(e.source, 'auth');
    assert.match(e.eventId, UUID_V4);
    assert.ok(Number.isInteger(e.timestamp), `timestamp ${e.timestamp} is an integer`);
    assert.ok(e.timestamp >= before && e.timestamp <= after, 'timestamp is Date.now()-like');
    assert.equal(e.correlationId, null);
    assert.deepEqual(e.data, {});
    assert.deepEqual(e.metadata, {});
    assert.equal(e.priority, 0);
  });

  test('has exactly the eight documented fields', () => {
    const e = createEvent('custom', 's');
    assert.deepEqual(Object.keys(e).sort(), [
      'correlationId', 'data', 'eventId', 'eventType', 'metadata', 'priority', 'source', 'timestamp',
    ]);
  });

  test('undefined options are accepted', () => {
    assert.equal(createEvent('custom', 's', undefined).eventType, 'custom');
  });

  test('custom dotted names with punctuation are valid event types', () => {
    for (const t of ['my.custom.event', 'a', 'orders.v2:created', 'x-y_z.9', 'ünïcödé.evént']) {
      assert.equal(createEvent(t, 's').eventType, t);
    }
  });

  test('an event type of exactly 256 characters is accepted', () => {
    const t = 'a'.repeat(256);
    assert.equal(createEvent(t, 's').eventType, t);
  });
});

describe('createEvent options', () => {
  test('every option is taken as given', () => {
    const data = { user: 'ann' };
    const e = createEvent('user.login', 'auth', {
      eventId: '1b4e28ba-2fa1-41d2-883f-0016d3cca427',
      timestamp: 1700000000123,
      correlationId: 'corr-1',
      priority: 2,
      data,
      metadata: { region: 'eu' },
    });
    assert.equal(e.eventId, '1b4e28ba-2fa1-41d2-883f-0016d3cca427');
    assert.equal(e.timestamp, 1700000000123);
    assert.equal(e.correlationId, 'corr-1');
    assert.equal(e.priority, 2);
    assert.equal(e.data, data);
    assert.deepEqual(e.metadata, { region: 'eu' });
  });

  test('a fractional or zero timestamp is kept', () => {
    assert.equal(createEvent('a', 's', { timestamp: 1700000000123.5 }).timestamp, 1700000000123.5);
    assert.equal(createEvent('a', 's', { timestamp: 0 }).timestamp, 0);
  });

  test('correlationId null is accepted', () => {
    assert.equal(createEvent('a', 's', { correlationId: null }).correlationId, null);
  });

  test('data is the caller\'s own object (identity preserved, not frozen, not copied)', () => {
    const data = { nested: { n: 1 }, list: [1, 2] };
    const e = createEvent('a', 's', { data });
    assert.equal(e.data, data);
    assert.equal(Object.isFrozen(data), false);
    data.added = true;
    assert.equal(e.data.added, true);
  });
});

describe('frozen events', () => {
  test('the event object is frozen', () => {
    const e = createEvent('a.b', 's', { data: { x: 1 } });
    assert.ok(Object.isFrozen(e));
  });

  test('assigning a field throws in strict mode and changes nothing', () => {
    const e = createEvent('a.b', 's');
    assert.throws(() => { e.eventType = 'changed'; }, TypeError);
    assert.throws(() => { e.priority = 2; }, TypeError);
    assert.throws(() => { e.data = {}; }, TypeError);
    assert.throws(() => { e.extra = 1; }, TypeError);
    assert.throws(() => { delete e.source; }, TypeError);
    assert.equal(e.eventType, 'a.b');
    assert.equal(e.priority, 0);
    assert.equal(e.source, 's');
  });

  test('the metadata object the library builds is frozen', () => {
    const e = createEvent('a.b', 's');
    assert.ok(Object.isFrozen(e.metadata));
    assert.throws(() => { e.metadata.k = 'v'; }, TypeError);
  });
});

describe('event ids', () => {
  test('are lower-case hyphenated UUID v4', () => {
    for (let i = 0; i < 200; i++) {
      assert.match(createEvent('a', 's').eventId, UUID_V4);
    }
  });

  test('are unique', () => {
    const ids = new Set();
    for (let i = 0; i < 2000; i++) ids.add(createEvent('a', 's').eventId);
    assert.equal(ids.size, 2000);
  });
});

describe('createEvent validation', () => {
  test('event type that is not a string → TypeError naming eventType', () => {
    for (const bad of [undefined, null, 42, {}, ['a'], Symbol('a'), true]) {
      assert.throws(() => createEvent(bad, 's'), (err) => {
        assert.ok(err instanceof TypeError, `${String(bad)}: ${err}`);
        assert.match(err.message, /eventType/);
        return true;
      });
    }
  });

  test('empty event type → RangeError naming eventType', () => {
    assert.throws(() => createEvent('', 's'), RangeError);
    assert.throws(() => createEvent('', 's'), /eventType/);
  });

  test('event type with whitespace → RangeError', () => {
    for (const bad of ['a b', ' a', 'a ', 'a\tb', 'a\nb', 'a\u00a0b', 'a\u2003b']) {
      assert.throws(() => createEvent(bad, 's'), RangeError, JSON.stringify(bad));
      assert.throws(() => createEvent(bad, 's'), /eventType/);
    }
  });

  test('event type longer than 256 characters → RangeError', () => {
    assert.throws(() => createEvent('a'.repeat(257), 's'), RangeError);
    assert.throws(() => createEvent('a'.repeat(257), 's'), /eventType/);
  });

  test('source not a string → TypeError naming source', () => {
    for (const bad of [undefined, null, 1, {}]) {
      assert.throws(() => createEvent('a', bad), TypeError);
      assert.throws(() => createEvent('a', bad), /source/);
    }
  });

  test('empty source → RangeError naming source', () => {
    assert.throws(() => createEvent('a', ''), RangeError);
    assert.throws(() => createEvent('a', ''), /source/);
  });

  test('options that are not an object → TypeError naming options', () => {
    for (const bad of [5, 'x', true]) {
      assert.throws(() => createEvent('a', 's', bad), TypeError);
      assert.throws(() => createEvent('a', 's', bad), /options/);
    }
  });

  test('data that is not a non-null object → TypeError naming data', () => {
    for (const bad of [null, 5, 'x', true]) {
      assert.throws(() => createEvent('a', 's', { data: bad }), TypeError);
      assert.throws(() => createEvent('a', 's', { data: bad }), /data/);
    }
  });

  test('metadata that is not a non-null object → TypeError naming metadata', () => {
    for (const bad of [null, 5, 'x', false]) {
      assert.throws(() => createEvent('a', 's', { metadata: bad }), TypeError);
      assert.throws(() => createEvent('a', 's', { metadata: bad }), /metadata/);
    }
  });

  test('priority not a number → TypeError naming priority', () => {
    for (const bad of ['1', null, {}, true]) {
      assert.throws(() => createEvent('a', 's', { priority: bad }), TypeError);
      assert.throws(() => createEvent('a', 's', { priority: bad }), /priority/);
    }
  });

  test('priority not an integer 0..2 → RangeError naming priority', () => {
    for (const bad of [NaN, 1.5, 3, -1, Infinity]) {
      assert.throws(() => createEvent('a', 's', { priority: bad }), RangeError, String(bad));
      assert.throws(() => createEvent('a', 's', { priority: bad }), /priority/);
    }
  });

  test('eventId not a string → TypeError naming eventId', () => {
    assert.throws(() => createEvent('a', 's', { eventId: 5 }), TypeError);
    assert.throws(() => createEvent('a', 's', { eventId: 5 }), /eventId/);
  });

  test('timestamp not a number → TypeError naming timestamp', () => {
    assert.throws(() => createEvent('a', 's', { timestamp: '1' }), TypeError);
    assert.throws(() => createEvent('a', 's', { timestamp: '1' }), /timestamp/);
  });

  test('timestamp not finite or negative → RangeError naming timestamp', () => {
    for (const bad of [NaN, Infinity, -Infinity, -1]) {
      assert.throws(() => createEvent('a', 's', { timestamp: bad }), RangeError, String(bad));
      assert.throws(() => createEvent('a', 's', { timestamp: bad }), /timestamp/);
    }
  });

  test('correlationId neither string nor null → TypeError naming correlationId', () => {
    for (const bad of [5, {}, true]) {
      assert.throws(() => createEvent('a', 's', { correlationId: bad }), TypeError);
      assert.throws(() => createEvent('a', 's', { correlationId: bad }), /correlationId/);
    }
  });

  test('createEvent keeps working after a refusal', () => {
    assert.throws(() => createEvent('', 's'), RangeError);
    assert.equal(createEvent('ok', 's').eventType, 'ok');
  });
});
