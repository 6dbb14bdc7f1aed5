// setLogger: where failures inside the bus and emitters are reported.
import { test, describe, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { EventBus, EventEmitter, AsyncEventEmitter, createEvent, setLogger } from 'codomyrmex-events';
import { captureLogger } from './support/logging.mjs';
import { runChild } from './support/robustness.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Replaces the console methods while `fn` runs and returns what they received. */
async function captureConsole(fn) {
  const names = ['log', 'debug', 'info', 'warn', 'error'];
  const saved = Object.fromEntries(names.map((n) => [n, console[n]]));
  const calls = Object.fromEntries(names.map((n) => [n, []]));
  for (const n of names) console[n] = (...a) => { calls[n].push(a); };
  try {
    await fn();
  } finally {
    for (const n of names) console[n] = saved[n];
  }
  return calls;
}

function failingBus(err) {
  const bus = new EventBus();
  bus.subscribe('*', () => { throw err; });
  return bus;
}

afterEach(() => setLogger(null));

describe('setLogger arguments', () => {
  test('accepts a logger object, a partial logger, an empty object and null', () => {
    assert.equal(setLogger({ debug() {}, info() {}, warn() {}, error() {} }), undefined);
    assert.equal(setLogger({ error() {} }), undefined);
    assert.equal(setLogger({}), undefined);
    assert.equal(setLogger(null), undefined);
    assert.equal(setLogger(console), undefined);
  });

  test('anything else → TypeError naming logger', () => {
    for (const bad of [undefined, 5, 'console', true, Symbol('x')]) {
      assert.throws(() => setLogger(bad), TypeError);
      assert.throws(() => setLogger(bad), /logger/);
    }
  });

  test('a refused logger leaves the previous one in place', () => {
    const calls = captureLogger();
    assert.throws(() => setLogger(5), TypeError);
    const boom = new Error('still captured');
    failingBus(boom).publish(createEvent('a', 's'));
    assert.ok(calls.error.some(([, err]) => err === boom));
  });
});

describe('failures reach logger.error(message, err)', () => {
  test('a synchronous handler throw', () => {
    const calls = captureLogger();
    const boom = new Error('sync');
    failingBus(boom).publish(createEvent('a.b', 's'));
    const hit = calls.error.find(([, err]) => err === boom);
    assert.ok(hit);
    assert.equal(typeof hit[0], 'string');
    assert.ok(hit[0].length > 0);
  });

  test('a rejected handler promise', async () => {
    const calls = captureLogger();
    const boom = new Error('async');
    const bus = new EventBus();
    bus.subscribe('*', async () => { throw boom; });
    bus.publish(createEvent('a', 's'));
    await sleep(10);
    assert.ok(calls.error.some(([m, err]) => typeof m === 'string' && err === boom));
  });

  test('a throwing filter', () => {
    const calls = captureLogger();
    const boom = new Error('filter');
    const bus = new EventBus();
    bus.subscribe('*', () => {}, { filter: () => { throw boom; } });
    bus.publish(createEvent('a', 's'));
    assert.ok(calls.error.some(([, err]) => err === boom));
  });

  test('a handler failure behind an emitter', async () => {
    const calls = captureLogger();
    const boom = new Error('behind emitter');
    const bus = failingBus(boom);
    new EventEmitter('e', bus).emit('a');
    await new AsyncEventEmitter('e', bus).emit('b');
    assert.equal(calls.error.filter(([, err]) => err === boom).length >= 2, true);
  });

  test('successful dispatch logs no error', async () => {
    const calls = captureLogger();
    const bus = new EventBus();
    bus.subscribe('*', () => {});
    bus.subscribe('*', async () => {});
    bus.publish(createEvent('a', 's'));
    await bus.publishAsync(createEvent('a', 's'));
    new EventEmitter('e', bus).emit('x');
    assert.deepEqual(calls.error, []);
  });
});

describe('logger robustness', () => {
  test('null silences failures (nothing reaches the console)', async () => {
    const out = await captureConsole(async () => {
      setLogger(null);
      const bus = failingBus(new Error('quiet'));
      bus.subscribe('*', async () => { throw new Error('quiet async'); });
      bus.publish(createEvent('a', 's'));
      await sleep(10);
      assert.equal(bus.getStats().eventsFailed, 2);
    });
    assert.deepEqual(out.error, []);
    assert.deepEqual(out.warn, []);
  });

  test('by default, before any setLogger call, failures go to console.error', async () => {
    // A fresh process: this one has set a logger already.
    const child = fileURLToPath(new URL('./support/default-logger-child.mjs', import.meta.url));
    const report = await runChild([child], 30_000);
    assert.equal(report.exitCode, 0, report.stderr);
    assert.equal(report.sync, 2, 'a throwing handler, reached by publish and by an emitter');
    assert.equal(report.async, 1, 'a rejected handler promise');
    assert.equal(report.calls, 3);
    assert.deepEqual(report.messages, ['string', 'string', 'string']);
  });

  test('setLogger(console) routes failures to console.error', async () => {
    const boom = new Error('to console');
    const out = await captureConsole(async () => {
      setLogger(console);
      failingBus(boom).publish(createEvent('a', 's'));
    });
    assert.ok(out.error.some((args) => args.includes(boom)), 'console.error received the error');
  });

  test('a logger without error() never breaks dispatch', () => {
    setLogger({ info() {} });
    const bus = new EventBus();
    const got = [];
    bus.subscribe('*', () => { throw new Error('x'); }, { priority: 1 });
    bus.subscribe('*', (e) => got.push(e.eventType));
    assert.doesNotThrow(() => bus.publish(createEvent('a', 's')));
    assert.deepEqual(got, ['a']);
    assert.equal(bus.getStats().eventsFailed, 1);
    assert.equal(bus.getStats().eventsProcessed, 1);
  });

  test('a logger that throws never breaks dispatch', async () => {
    const seen = [];
    const listener = (r) => seen.push(r);
    process.on('unhandledRejection', listener);
    try {
      const thrower = () => { throw new Error('logger broke'); };
      setLogger({ debug: thrower, info: thrower, warn: thrower, error: thrower });
      const bus = new EventBus();
      const got = [];
      bus.subscribe('*', () => { throw new Error('x'); }, { priority: 2 });
      bus.subscribe('*', async () => { throw new Error('y'); }, { priority: 1 });
      bus.subscribe('*', (e) => got.push(e.eventType));
      assert.doesNotThrow(() => bus.publish(createEvent('a', 's')));
      await bus.publishAsync(createEvent('b', 's'));
      const em = new EventEmitter('e', bus);
      assert.doesNotThrow(() => em.emit('c'));
      await sleep(10);
      assert.deepEqual(got, ['a', 'b', 'c']);
      assert.equal(bus.getStats().eventsFailed, 6);
    } finally {
      process.off('unhandledRejection', listener);
    }
    assert.deepEqual(seen, []);
  });
});
