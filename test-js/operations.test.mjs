// Operations: startOperation / updateOperation / endOperation, nesting, EventOperationContext.
import { test, describe, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import vm from 'node:vm';
import { EventBus, EventEmitter, EventOperationContext, setLogger } from 'codomyrmex-events';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function setup(source = 'worker') {
  const bus = new EventBus();
  const events = [];
  bus.subscribe('*', (e) => { events.push(e); });
  const emitter = new EventEmitter(source, bus);
  return { bus, emitter, events };
}

const phases = (events) => events.map((e) => `${e.data.operation}:${e.data.phase}`);

beforeEach(() => setLogger(null));
afterEach(() => setLogger(null));

describe('startOperation / endOperation', () => {
  test('startOperation returns a UUID v4 that becomes the default correlation id', () => {
    const { emitter, events } = setup();
    const id = emitter.startOperation('sync');
    assert.match(id, UUID_V4);
    assert.equal(emitter.defaultCorrelationId, id);
    emitter.emit('inside');
    assert.equal(events[1].correlationId, id);
  });

  test('each startOperation returns a new id', () => {
    const { emitter } = setup();
    const ids = new Set();
    for (let i = 0; i < 20; i++) {
      const id = emitter.startOperation('op');
      ids.add(id);
      emitter.endOperation(id, 'op');
    }
    assert.equal(ids.size, 20);
  });

  test('endOperation removes the id again: the only operation leaves null', () => {
    const { emitter, events } = setup();
    const id = emitter.startOperation('sync');
    emitter.endOperation(id, 'sync');
    assert.equal(emitter.defaultCorrelationId, null);
    assert.equal(events[1].correlationId, id);
    emitter.emit('after');
    assert.equal(events[2].correlationId, null);
  });

  test('updateOperation carries the operation id', () => {
    const { emitter, events } = setup();
    const id = emitter.startOperation('sync');
    emitter.updateOperation(id, 'sync', { progress: 25.5, status: 'copying' });
    assert.equal(events[1].correlationId, id);
    assert.deepEqual(events[1].data, {
      operation: 'sync', phase: 'progress', correlation_id: id, progress: 25.5, status: 'copying',
    });
  });

  test('operations nest: inner start carries parent_correlation_id; ending inner restores outer', () => {
    const { emitter, events } = setup();
    const outer = emitter.startOperation('outer');
    const inner = emitter.startOperation('inner', { n: 1 });
    assert.notEqual(inner, outer);
    assert.equal(emitter.defaultCorrelationId, inner);
    assert.deepEqual(events[0].metadata, { operation_type: 'start' });
    assert.deepEqual(events[1].metadata, { operation_type: 'start', parent_correlation_id: outer });
    assert.equal(events[1].correlationId, inner);
    assert.deepEqual(events[1].data, { operation: 'inner', phase: 'start', operation_data: { n: 1 } });
    emitter.endOperation(inner, 'inner');
    assert.equal(emitter.defaultCorrelationId, outer);
    emitter.emit('between');
    assert.equal(events[3].correlationId, outer);
    emitter.endOperation(outer, 'outer');
    assert.equal(emitter.defaultCorrelationId, null);
    assert.deepEqual(phases(events.filter((e) => e.eventType === 'custom')),
      ['outer:start', 'inner:start', 'inner:end', 'outer:end']);
  });

  test('three levels deep unwind one by one', () => {
    const { emitter, events } = setup();
    const a = emitter.startOperation('a');
    const b = emitter.startOperation('b');
    const c = emitter.startOperation('c');
    assert.equal(events[2].metadata.parent_correlation_id, b);
    assert.equal(events[1].metadata.parent_correlation_id, a);
    emitter.endOperation(c, 'c');
    assert.equal(emitter.defaultCorrelationId, b);
    emitter.endOperation(b, 'b');
    assert.equal(emitter.defaultCorrelationId, a);
    emitter.endOperation(a, 'a');
    assert.equal(emitter.defaultCorrelationId, null);
  });

  test('after the outer operation has ended, a new start has no parent_correlation_id', () => {
    const { emitter, events } = setup();
    const outer = emitter.startOperation('outer');
    emitter.endOperation(outer, 'outer');
    emitter.startOperation('fresh');
    assert.deepEqual(events[2].metadata, { operation_type: 'start' });
  });

  test('ending an unknown correlation id publishes the end event and leaves the default unchanged', () => {
    const { emitter, events } = setup();
    const id = emitter.startOperation('real');
    emitter.endOperation('not-an-operation', 'ghost', { success: false, error: 'x' });
    assert.equal(emitter.defaultCorrelationId, id);
    const end = events[1];
    assert.equal(end.correlationId, 'not-an-operation');
    assert.deepEqual(end.data, { operation: 'ghost', phase: 'end', success: false, error: 'x' });
    assert.equal(end.priority, 2);
  });

  test('argument checks', () => {
    const { emitter, events } = setup();
    const cases = [
      [() => emitter.startOperation(5), TypeError, /operationName/],
      [() => emitter.startOperation('op', 5), TypeError, /operationData/],
      [() => emitter.startOperation('op', null), TypeError, /operationData/],
      [() => emitter.updateOperation(5, 'op'), TypeError, /correlationId/],
      [() => emitter.updateOperation('c', 5), TypeError, /operationName/],
      [() => emitter.updateOperation('c', 'op', 5), TypeError, /options/],
      [() => emitter.updateOperation('c', 'op', { progress: '50' }), TypeError, /progress/],
      [() => emitter.updateOperation('c', 'op', { progress: NaN }), RangeError, /progress/],
      [() => emitter.updateOperation('c', 'op', { progress: Infinity }), RangeError, /progress/],
      [() => emitter.updateOperation('c', 'op', { status: 5 }), TypeError, /status/],
      [() => emitter.updateOperation('c', 'op', { data: 5 }), TypeError, /data/],
      [() => emitter.endOperation(5, 'op'), TypeError, /correlationId/],
      [() => emitter.endOperation('c', 5), TypeError, /operationName/],
      [() => emitter.endOperation('c', 'op', 'opts'), TypeError, /options/],
      [() => emitter.endOperation('c', 'op', { success: 'yes' }), TypeError, /success/],
      [() => emitter.endOperation('c', 'op', { error: 5 }), TypeError, /error/],
      [() => emitter.operation(5), TypeError, /operationName/],
      [() => emitter.operation('op', 5), TypeError, /operationData/],
    ];
    for (const [fn, cls, re] of cases) {
      assert.throws(fn, cls, String(fn));
      assert.throws(fn, re, String(fn));
    }
    assert.equal(events.length, 0);
    assert.equal(emitter.defaultCorrelationId, null);
  });
});

describe('EventOperationContext', () => {
  test('emitter.operation() builds a context that is not yet entered', () => {
    const { emitter, events } = setup();
    const ctx = emitter.operation('load', { file: 'x' });
    assert.ok(ctx instanceof EventOperationContext);
    assert.equal(ctx.operationName, 'load');
    assert.equal(ctx.correlationId, null);
    assert.equal(events.length, 0);
  });

  test('the constructor can be used directly', () => {
    const { emitter, events } = setup();
    const ctx = new EventOperationContext(emitter, 'direct', { a: 1 });
    assert.equal(ctx.operationName, 'direct');
    ctx.enter();
    assert.deepEqual(events[0].data, { operation: 'direct', phase: 'start', operation_data: { a: 1 } });
    ctx.exit();
  });

  test('constructor checks', () => {
    const { emitter } = setup();
    assert.throws(() => new EventOperationContext({}, 'op'), TypeError);
    assert.throws(() => new EventOperationContext({}, 'op'), /emitter/);
    assert.throws(() => new EventOperationContext(null, 'op'), TypeError);
    assert.throws(() => new EventOperationContext(emitter, 5), TypeError);
    assert.throws(() => new EventOperationContext(emitter, 5), /operationName/);
    assert.throws(() => new EventOperationContext(emitter, 'op', 5), TypeError);
    assert.throws(() => new EventOperationContext(emitter, 'op', 5), /operationData/);
  });

  test('enter() returns this, starts the operation and sets correlationId', () => {
    const { emitter, events } = setup();
    const ctx = emitter.operation('load', { file: 'x' });
    assert.equal(ctx.enter(), ctx);
    assert.match(ctx.correlationId, UUID_V4);
    assert.equal(emitter.defaultCorrelationId, ctx.correlationId);
    assert.equal(events.length, 1);
    assert.equal(events[0].correlationId, ctx.correlationId);
    assert.deepEqual(events[0].data, { operation: 'load', phase: 'start', operation_data: { file: 'x' } });
    assert.deepEqual(events[0].metadata, { operation_type: 'start' });
  });

  test('exit() ends with success and result { duration }', () => {
    const { emitter, events } = setup();
    const ctx = emitter.operation('load').enter();
    ctx.exit();
    const end = events[1];
    assert.equal(end.eventType, 'custom');
    assert.equal(end.correlationId, ctx.correlationId);
    assert.deepEqual(Object.keys(end.data).sort(), ['operation', 'phase', 'result', 'success']);
    assert.equal(end.data.operation, 'load');
    assert.equal(end.data.phase, 'end');
    assert.equal(end.data.success, true);
    assert.deepEqual(Object.keys(end.data.result), ['duration']);
    assert.equal(typeof end.data.result.duration, 'number');
    assert.ok(end.data.result.duration >= 0 && end.data.result.duration < 5);
    assert.deepEqual(end.metadata, { operation_type: 'end', success: true });
    assert.equal(end.priority, 0);
    assert.equal(emitter.defaultCorrelationId, null);
  });

  test('exit(null) and exit(undefined) are successes', () => {
    for (const arg of [null, undefined]) {
      const { emitter, events } = setup();
      const ctx = emitter.operation('op').enter();
      ctx.exit(arg);
      assert.equal(events[1].data.success, true);
      assert.ok(!('error' in events[1].data));
      assert.equal(events[1].priority, 0);
    }
  });

  test('exit(error) ends with success false, the message, result { duration }, priority 2', () => {
    const { emitter, events } = setup();
    const ctx = emitter.operation('load').enter();
    ctx.exit(new TypeError('bad input'));
    const end = events[1];
    assert.deepEqual(Object.keys(end.data).sort(), ['error', 'operation', 'phase', 'result', 'success']);
    assert.equal(end.data.success, false);
    assert.equal(end.data.error, 'bad input');
    assert.equal(typeof end.data.result.duration, 'number');
    assert.deepEqual(end.metadata, { operation_type: 'end', success: false });
    assert.equal(end.priority, 2);
  });

  test('error message: the error\'s message, else String(error), else "Unknown error"', () => {
    const messages = [];
    for (const err of [new Error('msg'), 'plain text', 42, false, Object.create(null)]) {
      const { emitter, events } = setup();
      const ctx = emitter.operation('op').enter();
      ctx.exit(err);
      messages.push(events[1].data.error);
      assert.equal(events[1].data.success, false);
      assert.equal(events[1].priority, 2);
    }
    assert.deepEqual(messages, ['msg', 'plain text', '42', 'false', 'Unknown error']);
  });

  test('a second exit() is ignored', () => {
    const { emitter, events } = setup();
    const ctx = emitter.operation('op').enter();
    ctx.exit();
    ctx.exit(new Error('late'));
    assert.equal(events.length, 2);
  });

  test('a second enter() throws an Error', () => {
    const { emitter, events } = setup();
    const ctx = emitter.operation('op').enter();
    assert.throws(() => ctx.enter(), Error);
    assert.equal(events.length, 1);
    ctx.exit();
    assert.throws(() => ctx.enter(), Error);
  });

  test('exit(), update() and emit() before enter() throw an Error', () => {
    const { emitter, events } = setup();
    const ctx = emitter.operation('op');
    assert.throws(() => ctx.exit(), Error);
    assert.throws(() => ctx.update({ progress: 1 }), Error);
    assert.throws(() => ctx.emit('x'), Error);
    assert.equal(events.length, 0);
    ctx.enter();
    ctx.exit();
    assert.equal(events.length, 2);
  });

  test('update() publishes progress with this operation\'s id', () => {
    const { emitter, events } = setup();
    const ctx = emitter.operation('load').enter();
    ctx.update({ progress: 40, status: 'reading', data: { bytes: 9 } });
    ctx.update();
    assert.equal(events[1].correlationId, ctx.correlationId);
    assert.deepEqual(events[1].data, {
      operation: 'load', phase: 'progress', correlation_id: ctx.correlationId, progress: 40, status: 'reading', bytes: 9,
    });
    assert.deepEqual(events[1].metadata, { operation_type: 'progress' });
    assert.deepEqual(events[2].data, { operation: 'load', phase: 'progress', correlation_id: ctx.correlationId });
    ctx.exit();
  });

  test('emit() publishes an event carrying this operation\'s id, even inside a nested operation', () => {
    const { emitter, events } = setup();
    const outer = emitter.operation('outer').enter();
    const inner = emitter.operation('inner').enter();
    assert.equal(emitter.defaultCorrelationId, inner.correlationId);
    const data = { d: 1 };
    outer.emit('outer.note', data, { priority: 1, metadata: { m: 1 } });
    const note = events.find((e) => e.eventType === 'outer.note');
    assert.equal(note.correlationId, outer.correlationId);
    assert.equal(note.data, data);
    assert.equal(note.priority, 1);
    assert.deepEqual(note.metadata, { m: 1 });
    inner.exit();
    outer.exit();
    assert.equal(emitter.defaultCorrelationId, null);
  });

  test('nested contexts: inner start has parent_correlation_id = outer id', () => {
    const { emitter, events } = setup();
    const outer = emitter.operation('outer').enter();
    const inner = emitter.operation('inner').enter();
    assert.equal(events[1].metadata.parent_correlation_id, outer.correlationId);
    inner.exit();
    assert.equal(emitter.defaultCorrelationId, outer.correlationId);
    outer.exit();
    assert.equal(emitter.defaultCorrelationId, null);
  });

  test('[Symbol.dispose] exits unless already exited', () => {
    assert.equal(typeof Symbol.dispose, 'symbol');
    const { emitter, events } = setup();
    const ctx = emitter.operation('op').enter();
    assert.equal(typeof ctx[Symbol.dispose], 'function');
    ctx[Symbol.dispose]();
    assert.equal(events.length, 2);
    assert.equal(events[1].data.phase, 'end');
    assert.equal(events[1].data.success, true);
    ctx[Symbol.dispose]();
    assert.equal(events.length, 2);

    const ctx2 = emitter.operation('op2').enter();
    ctx2.exit(new Error('e'));
    ctx2[Symbol.dispose]();
    assert.equal(events.length, 4);
    assert.equal(events[3].data.success, false);
  });
});

describe('an ended EventOperationContext', () => {
  // It gives its wasm memory back when the operation ends; what it still
  // does is the same however the operation ended.
  const endings = {
    'run()': (ctx) => ctx.run(() => 1),
    'exit()': (ctx) => ctx.enter().exit(),
    'exit(error)': (ctx) => ctx.enter().exit(new Error('e')),
    '[Symbol.dispose]': (ctx) => ctx.enter()[Symbol.dispose](),
    'a throwing run()': (ctx) => assert.throws(() => ctx.run(() => { throw new Error('e'); })),
  };
  for (const [how, end] of Object.entries(endings)) {
    test(`after ${how}: name and id stay, exit is ignored, enter refused, update and emit carry the id`, () => {
      const { emitter, events } = setup();
      const ctx = emitter.operation('load', { n: 1 });
      end(ctx);
      const id = events[0].correlationId;
      assert.match(id, UUID_V4);
      assert.equal(ctx.correlationId, id);
      assert.equal(ctx.operationName, 'load');
      assert.equal(events.length, 2);

      ctx.exit();
      ctx.exit(new Error('again'));
      ctx[Symbol.dispose]();
      assert.equal(events.length, 2);
      assert.throws(() => ctx.enter(), { name: 'Error', message: 'operation "load" was already entered' });
      assert.throws(() => ctx.run(() => assert.fail('not called')), { message: 'operation "load" was already entered' });

      ctx.update({ progress: 50 });
      ctx.emit('after', { k: 1 }, { priority: 1 });
      ctx.emit('other', undefined, { correlationId: 'mine' });
      assert.deepEqual(events.slice(2).map((e) => [e.eventType, e.correlationId]),
        [['custom', id], ['after', id], ['other', 'mine']]);
      assert.deepEqual(events[2].data, { operation: 'load', phase: 'progress', correlation_id: id, progress: 50 });
      assert.deepEqual([events[3].data, events[3].priority], [{ k: 1 }, 1]);
      assert.throws(() => ctx.update({ progress: 'x' }), TypeError);
      assert.throws(() => ctx.emit(''), { name: 'RangeError' });
      assert.equal(events.length, 5);

      ctx.free();
      ctx.free();
      for (const call of [() => ctx.exit(), () => ctx.update(), () => ctx.emit('x'), () => ctx.correlationId, () => ctx[Symbol.dispose]()]) {
        assert.throws(call, /has been freed/);
      }
      assert.equal(events.length, 5);
    });
  }

  test('gives its wasm memory back when it ends, without waiting for the garbage collector', () => {
    // Finalizers cannot run inside one synchronous loop: contexts kept until
    // then held 15 MiB of WebAssembly memory per 100,000 (measured).
    const emitter = new EventEmitter('worker', new EventBus());
    const ends = [(ctx) => ctx.run(() => 1), (ctx) => ctx.enter().exit(), (ctx) => ctx.enter()[Symbol.dispose]()];
    for (let i = 0; i < 3000; i++) ends[i % 3](emitter.operation('warm', { i }));
    const before = process.memoryUsage().external;
    for (let i = 0; i < 100_000; i++) ends[i % 3](emitter.operation('op', { i }));
    const grown = process.memoryUsage().external - before;
    assert.ok(grown < 2 * 1024 * 1024, `WebAssembly memory grew by ${(grown / 1048576).toFixed(1)} MiB`);
  });

  test('once its emitter is freed, exit is still ignored and the rest says why it fails', () => {
    const { emitter, events } = setup();
    const ctx = emitter.operation('load');
    ctx.run(() => {});
    emitter.free();
    ctx.exit();
    ctx[Symbol.dispose]();
    assert.equal(ctx.operationName, 'load');
    assert.equal(ctx.correlationId, events[0].correlationId);
    for (const [name, call] of [['enter', () => ctx.enter()], ['update', () => ctx.update()], ['emit', () => ctx.emit('x')]]) {
      assert.throws(call, { name: 'Error', message: `EventOperationContext.${name}: its emitter has been freed` });
    }
    assert.equal(events.length, 2);
  });

  test('a frozen or sealed context ends as any other, and is left to the garbage collector', () => {
    for (const lock of [Object.freeze, Object.seal, Object.preventExtensions]) {
      const { emitter, events } = setup();
      const ctx = lock(emitter.operation('locked'));
      assert.equal(ctx.run(() => 7), 7);
      ctx.exit();
      ctx.update({ progress: 1 });
      assert.deepEqual(phases(events), ['locked:start', 'locked:end', 'locked:progress']);
      assert.equal(ctx.correlationId, events[0].correlationId);
    }
  });

  test('a context used through a proxy ends as any other, and is released once, by the garbage collector', async () => {
    // A release through the proxy would leave the context's finalizer to free
    // its memory a second time: the WebAssembly instance trapped soon after.
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc');
    const { emitter, events } = setup();
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 200; i++) {
        const proxy = new Proxy(emitter.operation('proxied', { i }), {});
        assert.equal(proxy.run(() => i), i);
        proxy.update({ progress: 100 });
      }
      gc();
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    assert.equal(events.length, 20 * 200 * 3);
    for (let i = 0; i < 20_000; i++) emitter.emit('after.proxies', { i }, { priority: i % 3 });
    assert.equal(events.length, 20 * 200 * 3 + 20_000);
  });

  test('a context freed by a handler of its own end event: exit() returns, then the context says it was freed', () => {
    const { bus, emitter, events } = setup();
    const ctx = emitter.operation('short');
    bus.subscribe('custom', (e) => { if (e.data.phase === 'end') ctx.free(); });
    ctx.enter();
    assert.doesNotThrow(() => ctx.exit());
    assert.deepEqual(phases(events), ['short:start', 'short:end']);
    assert.throws(() => ctx.update(), /has been freed/);
    assert.throws(() => ctx.correlationId, /has been freed/);
  });

  test('an operation ended from its own start handler ends once', () => {
    const { bus, emitter, events } = setup();
    const ctx = emitter.operation('quick');
    bus.subscribe('custom', (e) => { if (e.data.phase === 'start') ctx.exit(); });
    ctx.enter();
    assert.deepEqual(phases(events), ['quick:start', 'quick:end']);
    ctx.exit();
    ctx.update({ progress: 1 });
    assert.deepEqual(phases(events), ['quick:start', 'quick:end', 'quick:progress']);
    assert.equal(events[2].correlationId, events[0].correlationId);
  });
});

describe('EventOperationContext.run', () => {
  test('synchronous fn: enters, passes ctx, returns the value, exits with success', () => {
    const { emitter, events } = setup();
    const ctx = emitter.operation('sum');
    let seen;
    const value = ctx.run((c) => {
      seen = c;
      assert.equal(events.length, 1);
      assert.equal(c.correlationId, events[0].correlationId);
      return 42;
    });
    assert.equal(value, 42);
    assert.equal(seen, ctx);
    assert.deepEqual(phases(events), ['sum:start', 'sum:end']);
    assert.equal(events[1].data.success, true);
    assert.equal(typeof events[1].data.result.duration, 'number');
    assert.equal(emitter.defaultCorrelationId, null);
  });

  test('synchronous throw: exits with the error and rethrows the same error', () => {
    const { emitter, events } = setup();
    const boom = new RangeError('sync failure');
    assert.throws(() => emitter.operation('op').run(() => { throw boom; }), (err) => err === boom);
    assert.deepEqual(phases(events), ['op:start', 'op:end']);
    assert.equal(events[1].data.success, false);
    assert.equal(events[1].data.error, 'sync failure');
    assert.equal(events[1].priority, 2);
    assert.equal(emitter.defaultCorrelationId, null);
  });

  test('thrown non-Error values are rethrown as they are', () => {
    const { emitter, events } = setup();
    assert.throws(() => emitter.operation('op').run(() => { throw 'text'; }), (err) => err === 'text');
    assert.equal(events[1].data.error, 'text');
  });

  test('a thrown or rejected undefined or null still ends the operation as failed, and is rethrown', async () => {
    const { emitter, events } = setup();
    for (const reason of [undefined, null]) {
      let caught = 'nothing';
      try {
        emitter.operation('sync').run(() => { throw reason; });
      } catch (err) {
        caught = err;
      }
      assert.equal(caught, reason);
      caught = 'nothing';
      await emitter.operation('async').run(async () => { throw reason; }).catch((err) => { caught = err; });
      assert.equal(caught, reason);
    }
    const ends = events.filter((e) => e.data.phase === 'end');
    assert.deepEqual(ends.map((e) => e.data.operation), ['sync', 'async', 'sync', 'async']);
    for (const end of ends) {
      assert.equal(end.data.success, false);
      assert.equal(typeof end.data.error, 'string');
      assert.ok(end.data.error.length > 0);
      assert.equal(end.priority, 2);
      assert.equal(end.metadata.success, false);
    }
    assert.equal(emitter.defaultCorrelationId, null);
  });

  test('async fn: the promise is awaited, then the operation ends', async () => {
    const { emitter, events } = setup();
    const ctx = emitter.operation('fetch');
    const p = ctx.run(async (c) => {
      await sleep(5);
      c.update({ progress: 50 });
      return 'payload';
    });
    assert.equal(typeof p.then, 'function');
    assert.deepEqual(phases(events), ['fetch:start']);
    assert.equal(await p, 'payload');
    assert.deepEqual(phases(events), ['fetch:start', 'fetch:progress', 'fetch:end']);
    assert.equal(events[2].data.success, true);
  });

  test('async rejection: ends with the reason and the returned promise rejects with it', async () => {
    const { emitter, events } = setup();
    const boom = new Error('async failure');
    const p = emitter.operation('fetch').run(async () => { await sleep(5); throw boom; });
    await assert.rejects(p, (err) => err === boom);
    assert.deepEqual(phases(events), ['fetch:start', 'fetch:end']);
    assert.equal(events[1].data.success, false);
    assert.equal(events[1].data.error, 'async failure');
    assert.equal(events[1].priority, 2);
  });

  test('duration is in seconds: a 20 ms operation measures ≥ 0.015 and < 5', async () => {
    const { emitter, events } = setup();
    await emitter.operation('sleepy').run(() => sleep(20));
    const d = events[1].data.result.duration;
    assert.ok(d >= 0.015 && d < 5, `duration ${d}`);
  });

  test('duration runs from enter() to exit(): an operation entered 40 ms later measures 40 ms less', async () => {
    const { emitter, events } = setup();
    const early = emitter.operation('early').enter();
    await sleep(40);
    const late = emitter.operation('late').enter();
    late.exit();
    early.exit();
    const duration = (name) => events.find((e) => e.data.operation === name && e.data.phase === 'end').data.result.duration;
    assert.ok(duration('late') >= 0 && duration('late') < 0.5, `late: ${duration('late')} s`);
    assert.ok(duration('early') - duration('late') >= 0.03, `early ${duration('early')} s, late ${duration('late')} s`);
  });

  test('run requires a function', () => {
    const { emitter, events } = setup();
    for (const bad of [undefined, 5, 'fn', {}]) {
      assert.throws(() => emitter.operation('op').run(bad), TypeError);
      assert.throws(() => emitter.operation('op').run(bad), /fn/);
    }
    assert.equal(events.length, 0);
  });

  test('handler failures during the operation do not break it', () => {
    const { bus, emitter, events } = setup();
    bus.subscribe('*', () => { throw new Error('handler'); });
    assert.equal(emitter.operation('op').run(() => 'ok'), 'ok');
    assert.deepEqual(phases(events), ['op:start', 'op:end']);
    assert.equal(bus.getStats().eventsFailed, 2);
  });
});
