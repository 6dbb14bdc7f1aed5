// The package entry: the same names through ESM import and CJS require, init() as a no-op in Node.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esm from 'codomyrmex-events';
import init, { initSync, EventBus, EventEmitter, createEvent } from 'codomyrmex-events';

const require = createRequire(import.meta.url);

const NAMED = [
  'AsyncEventEmitter', 'EventBus', 'EventEmitter', 'EventOperationContext', 'EventType', 'Priority',
  'createEmitter', 'createEvent', 'emitEvent', 'eventFromJSON', 'eventToJSON', 'getEventBus',
  'initSync', 'setLogger',
];
const CLASSES = ['AsyncEventEmitter', 'EventBus', 'EventEmitter', 'EventOperationContext'];

describe('ESM entry', () => {
  test('exports every documented name', () => {
    for (const name of NAMED) assert.ok(name in esm, `missing export ${name}`);
    assert.equal(typeof esm.default, 'function');
    for (const name of CLASSES) assert.equal(typeof esm[name], 'function', name);
    for (const name of ['createEmitter', 'createEvent', 'emitEvent', 'eventFromJSON', 'eventToJSON',
      'getEventBus', 'initSync', 'setLogger']) {
      assert.equal(typeof esm[name], 'function', name);
    }
    assert.equal(typeof esm.EventType, 'object');
    assert.equal(typeof esm.Priority, 'object');
  });

  test('the default export init() is an already-initialised no-op that resolves', async () => {
    const p = init();
    assert.equal(typeof p?.then, 'function');
    assert.equal(await p, undefined);
    await init();
    const bus = new EventBus();
    const got = [];
    bus.subscribe('*', (e) => got.push(e.eventType));
    new EventEmitter('s', bus).emit('after.init');
    assert.deepEqual(got, ['after.init']);
  });

  test('initSync is a function', () => {
    assert.equal(typeof initSync, 'function');
  });

  test('classes carry free() (early release of the native side)', () => {
    const bus = new EventBus();
    const emitter = new EventEmitter('s', bus);
    const instances = [
      bus, emitter, emitter.operation('op'), new esm.AsyncEventEmitter('s', bus),
    ];
    for (const obj of instances) assert.equal(typeof obj.free, 'function', obj.constructor.name);
  });

  test('instanceof works for objects the library hands out', () => {
    assert.ok(esm.getEventBus() instanceof EventBus);
    assert.ok(esm.createEmitter('s') instanceof EventEmitter);
    assert.ok(new EventEmitter('s', new EventBus()).operation('x') instanceof esm.EventOperationContext);
  });
});

describe('CommonJS entry', () => {
  test('require() gives the same names', () => {
    const cjs = require('codomyrmex-events');
    for (const name of NAMED) assert.ok(name in cjs, `missing CJS export ${name}`);
    assert.deepEqual({ ...cjs.EventType }, { ...esm.EventType });
    assert.deepEqual({ ...cjs.Priority }, { ...esm.Priority });
  });

  test('the CJS build works end to end', () => {
    const cjs = require('codomyrmex-events');
    cjs.setLogger(null);
    const bus = new cjs.EventBus();
    const got = [];
    bus.subscribe('cjs.*', (e) => got.push(e));
    const em = new cjs.EventEmitter('cjs-src', bus);
    const data = { from: 'cjs' };
    em.emit('cjs.works', data, { priority: 1 });
    bus.subscribe('*', () => { throw new Error('isolated'); });
    em.emit('cjs.again');
    assert.equal(got.length, 2);
    assert.equal(got[0].data, data);
    assert.equal(got[0].priority, 1);
    assert.equal(bus.getStats().eventsFailed, 1);
    assert.throws(() => cjs.createEvent('', 's'), RangeError);
    const e = cjs.eventFromJSON(cjs.eventToJSON(cjs.createEvent('a.b', 's', { timestamp: 1700000000123 })));
    assert.equal(e.timestamp, 1700000000123);
  });

  test('events from one entry are accepted by the other', () => {
    const cjs = require('codomyrmex-events');
    const fromEsm = createEvent('x.y', 's', { data: { a: 1 } });
    assert.equal(JSON.parse(cjs.eventToJSON(fromEsm)).event_type, 'x.y');
    const bus = new cjs.EventBus();
    const got = [];
    bus.subscribe('*', (e) => got.push(e.eventType));
    bus.publish(fromEsm);
    assert.deepEqual(got, ['x.y']);
  });
});

describe('web entry', () => {
  test('exports the same names as the main entry', async () => {
    const web = await import('codomyrmex-events/web');
    assert.deepEqual(Object.keys(web).sort(), Object.keys(esm).sort());
    assert.equal(typeof web.default, 'function');
    assert.equal(typeof web.initSync, 'function');
  });

  test('its classes keep their names, minified as it is', async () => {
    const web = await import('codomyrmex-events/web');
    for (const name of [...CLASSES, 'ScheduledEmit']) {
      assert.equal(web[name].name, name);
      assert.equal(esm[name].name, name);
    }
  });

  test('works once init() has been awaited with the module bytes', async () => {
    const web = await import('codomyrmex-events/web');
    const dir = dirname(fileURLToPath(import.meta.resolve('codomyrmex-events/web')));
    const wasm = readdirSync(dir).filter((f) => f.endsWith('.wasm'));
    assert.equal(wasm.length, 1, `one .wasm file next to the web entry: ${wasm}`);
    const result = web.default(readFileSync(join(dir, wasm[0])));
    assert.equal(typeof result?.then, 'function');
    assert.equal(await result, undefined);
    assert.deepEqual({ ...web.EventType }, { ...esm.EventType });
    assert.deepEqual({ ...web.Priority }, { ...esm.Priority });
    web.setLogger(null);
    const bus = new web.EventBus();
    const got = [];
    bus.subscribe('web.*', (e) => got.push(e));
    new web.EventEmitter('web-src', bus).emitMetric('m', 1);
    new web.EventEmitter('web-src', bus).emit('web.ok', { a: 1 }, { priority: 2 });
    assert.equal(got.length, 1);
    assert.deepEqual(got[0].data, { a: 1 });
    assert.equal(got[0].priority, 2);
    await web.default();
  });
});
