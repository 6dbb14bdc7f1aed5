// AbortSignal on subscribe, and bus.events(): the async iterator of events,
// its buffer (drop-oldest, counted in `dropped`), return(), break and abort.
import { test, describe, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { EventBus, EventEmitter, createEvent, setLogger } from 'codomyrmex-events';

const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));
const publish = (bus, type, n) => bus.publish(createEvent(type, 'test', { data: { n } }));
const subscriberIds = (bus) => Object.keys(bus.getStats().subscribers).sort();

/** Settles with `p`, or with 'pending' if it has not settled after `ms`. */
const settledWithin = (p, ms = 50) => Promise.race([p, tick(ms).then(() => 'pending')]);

/** A minimal AbortSignal look-alike: what the library needs and nothing more. */
function fakeSignal() {
  const listeners = [];
  return {
    aborted: false,
    addEventListener(type, listener) {
      if (type === 'abort') listeners.push(listener);
    },
    abort() {
      this.aborted = true;
      for (const l of listeners.splice(0)) l();
    },
    get listenerCount() {
      return listeners.length;
    },
  };
}

beforeEach(() => setLogger(null));
afterEach(() => setLogger(null));

describe('subscribe(patterns, handler, { signal })', () => {
  test('aborting the signal removes exactly that subscription', () => {
    const bus = new EventBus();
    const got = [];
    const controller = new AbortController();
    bus.subscribe('job.*', (e) => got.push(`aborted:${e.data.n}`), { subscriberId: 'a', signal: controller.signal });
    bus.subscribe('job.*', (e) => got.push(`kept:${e.data.n}`), { subscriberId: 'b' });
    bus.subscribe('job.*', (e) => got.push(`other:${e.data.n}`), { subscriberId: 'c', signal: new AbortController().signal });
    publish(bus, 'job.run', 1);
    controller.abort();
    publish(bus, 'job.run', 2);
    assert.deepEqual(got, ['aborted:1', 'kept:1', 'other:1', 'kept:2', 'other:2']);
    assert.deepEqual(subscriberIds(bus), ['b', 'c']);
  });

  test('a later subscription under the same id survives the abort', () => {
    const bus = new EventBus();
    const got = [];
    const controller = new AbortController();
    bus.subscribe('x', () => got.push('first'), { subscriberId: 'same', signal: controller.signal });
    bus.subscribe('x', () => got.push('second'), { subscriberId: 'same' });
    controller.abort();
    publish(bus, 'x', 0);
    assert.deepEqual(got, ['second']);
    assert.deepEqual(subscriberIds(bus), ['same']);
  });

  test('a later subscription with its own signal is removed by that signal only', () => {
    const bus = new EventBus();
    const got = [];
    const first = new AbortController();
    const second = new AbortController();
    bus.subscribe('x', () => got.push('first'), { subscriberId: 'same', signal: first.signal });
    bus.subscribe('x', () => got.push('second'), { subscriberId: 'same', signal: second.signal });
    first.abort();
    publish(bus, 'x', 0);
    second.abort();
    publish(bus, 'x', 0);
    assert.deepEqual(got, ['second']);
    assert.deepEqual(subscriberIds(bus), []);
  });

  test('unsubscribing first, then aborting, changes nothing else', () => {
    const bus = new EventBus();
    const controller = new AbortController();
    const id = bus.subscribe('x', () => {}, { signal: controller.signal });
    assert.equal(bus.unsubscribe(id), true);
    bus.subscribe('x', () => {}, { subscriberId: 'other' });
    controller.abort();
    controller.abort();
    assert.deepEqual(subscriberIds(bus), ['other']);
  });

  test('an already-aborted signal subscribes nothing', () => {
    const bus = new EventBus();
    let calls = 0;
    const id = bus.subscribe('x', () => calls++, { signal: AbortSignal.abort() });
    assert.equal(typeof id, 'string');
    assert.deepEqual(subscriberIds(bus), []);
    publish(bus, 'x', 0);
    assert.equal(calls, 0);
    const fake = fakeSignal();
    fake.aborted = true;
    bus.subscribe('x', () => calls++, { signal: fake });
    publish(bus, 'x', 0);
    assert.equal(calls, 0);
    assert.deepEqual(subscriberIds(bus), []);
  });

  test('an already-aborted signal leaves an existing subscription under the same id in place', () => {
    const bus = new EventBus();
    const got = [];
    bus.subscribe('x', () => got.push('existing'), { subscriberId: 'same' });
    bus.subscribe('x', () => got.push('never'), { subscriberId: 'same', signal: AbortSignal.abort() });
    publish(bus, 'x', 0);
    assert.deepEqual(got, ['existing']);
  });

  test('any object with aborted and addEventListener is a signal', () => {
    const bus = new EventBus();
    const signal = fakeSignal();
    let calls = 0;
    bus.subscribe('x', () => calls++, { signal });
    assert.equal(signal.listenerCount, 1);
    publish(bus, 'x', 0);
    signal.abort();
    publish(bus, 'x', 0);
    assert.equal(calls, 1);
    assert.deepEqual(subscriberIds(bus), []);
  });

  test('aborting from inside a dispatch: that handler is not called again, the others still are', () => {
    const bus = new EventBus();
    const got = [];
    const controller = new AbortController();
    bus.subscribe('x', () => {
      got.push('aborter');
      controller.abort();
    }, { priority: 2 });
    bus.subscribe('x', () => got.push('victim'), { priority: 1, signal: controller.signal });
    bus.subscribe('x', () => got.push('bystander'));
    publish(bus, 'x', 0);
    publish(bus, 'x', 0);
    assert.deepEqual(got, ['aborter', 'bystander', 'aborter', 'bystander']);
  });

  test('AbortSignal.timeout() removes the subscription when it fires', async () => {
    const bus = new EventBus();
    bus.subscribe('x', () => {}, { subscriberId: 'timed', signal: AbortSignal.timeout(5) });
    assert.deepEqual(subscriberIds(bus), ['timed']);
    await tick(50);
    assert.deepEqual(subscriberIds(bus), []);
  });

  test('a signal that is not an AbortSignal is a TypeError naming options.signal; nothing is subscribed', () => {
    const bus = new EventBus();
    for (const bad of [null, {}, 'signal', 1, true, { aborted: true }, { addEventListener: 'no' }, () => {}, []]) {
      assert.throws(() => bus.subscribe('x', () => {}, { subscriberId: 'bad', signal: bad }),
        (e) => e instanceof TypeError && /options\.signal/.test(e.message), String(bad));
    }
    assert.deepEqual(subscriberIds(bus), []);
    bus.subscribe('x', () => {}, { signal: undefined, subscriberId: 'ok' });
    assert.deepEqual(subscriberIds(bus), ['ok']);
  });
});

describe('events(patterns, { signal, bufferSize })', () => {
  test('yields the matching events in publication order, from every publishing path', async () => {
    const bus = new EventBus();
    const stream = bus.events(['order.*', 'audit']);
    assert.equal(stream[Symbol.asyncIterator](), stream);
    publish(bus, 'order.created', 1);
    publish(bus, 'user.created', 2);
    await bus.publishAsync(createEvent('audit', 'test', { data: { n: 3 } }));
    new EventEmitter('shop', bus).emit('order.paid', { n: 4 });
    const got = [];
    for (let i = 0; i < 3; i++) {
      const { value, done } = await stream.next();
      assert.equal(done, false);
      got.push([value.eventType, value.data.n]);
    }
    assert.deepEqual(got, [['order.created', 1], ['audit', 3], ['order.paid', 4]]);
    assert.equal(stream.dropped, 0);
    await stream.return();
  });

  test('the events are the very objects the bus delivers', async () => {
    const bus = new EventBus();
    const stream = bus.events('x');
    const event = createEvent('x', 'test', { data: { n: 1 } });
    bus.publish(event);
    assert.equal((await stream.next()).value, event);
    await stream.return();
  });

  test('a slow reader: when the buffer is full the oldest waiting event is dropped and counted', async () => {
    const bus = new EventBus();
    const stream = bus.events('x', { bufferSize: 3 });
    for (let n = 1; n <= 5; n++) publish(bus, 'x', n);
    assert.equal(stream.dropped, 2);
    assert.equal((await stream.next()).value.data.n, 3);
    // Reading made room for one more: nothing else is dropped.
    publish(bus, 'x', 6);
    assert.equal(stream.dropped, 2);
    publish(bus, 'x', 7);
    assert.equal(stream.dropped, 3);
    const rest = [];
    for (let i = 0; i < 3; i++) rest.push((await stream.next()).value.data.n);
    assert.deepEqual(rest, [5, 6, 7]);
    assert.equal(stream.dropped, 3);
    await stream.return();
  });

  test('bufferSize 1 keeps only the newest waiting event', async () => {
    const bus = new EventBus();
    const stream = bus.events('x', { bufferSize: 1 });
    for (let n = 1; n <= 10; n++) publish(bus, 'x', n);
    assert.equal(stream.dropped, 9);
    assert.equal((await stream.next()).value.data.n, 10);
    await stream.return();
  });

  test('the default buffer holds 1024 events', async () => {
    const bus = new EventBus();
    const stream = bus.events('x');
    for (let n = 0; n < 1024; n++) publish(bus, 'x', n);
    assert.equal(stream.dropped, 0);
    for (let n = 1024; n < 1030; n++) publish(bus, 'x', n);
    assert.equal(stream.dropped, 6);
    assert.equal((await stream.next()).value.data.n, 6);
    await stream.return();
  });

  test('dropped is read-only', async () => {
    const bus = new EventBus();
    const stream = bus.events('x', { bufferSize: 1 });
    publish(bus, 'x', 1);
    publish(bus, 'x', 2);
    assert.throws(() => { stream.dropped = 0; }, TypeError);
    assert.equal(stream.dropped, 1);
    await stream.return();
  });

  test('concurrent next() calls are resolved in order, and waiting readers never drop', async () => {
    const bus = new EventBus();
    const stream = bus.events('x', { bufferSize: 1 });
    const reads = [stream.next(), stream.next(), stream.next()];
    assert.equal(await settledWithin(reads[0]), 'pending');
    for (let n = 1; n <= 4; n++) publish(bus, 'x', n);
    const results = await Promise.all(reads);
    assert.deepEqual(results.map((r) => [r.done, r.value.data.n]), [[false, 1], [false, 2], [false, 3]]);
    assert.equal(stream.dropped, 0);
    assert.equal((await stream.next()).value.data.n, 4);
    await stream.return();
  });

  test('concurrent next() calls still waiting when the iteration ends resolve as done', async () => {
    const bus = new EventBus();
    const stream = bus.events('x');
    const reads = [stream.next(), stream.next()];
    publish(bus, 'x', 1);
    const end = await stream.return('bye');
    assert.deepEqual(end, { value: 'bye', done: true });
    assert.deepEqual((await reads[0]).value.data.n, 1);
    assert.deepEqual(await reads[1], { value: undefined, done: true });
  });

  test('for await + break unsubscribes', async () => {
    const bus = new EventBus();
    bus.subscribe('x', () => {}, { subscriberId: 'other' });
    const stream = bus.events('x');
    assert.equal(subscriberIds(bus).length, 2);
    for (let n = 1; n <= 3; n++) publish(bus, 'x', n);
    const seen = [];
    for await (const event of stream) {
      seen.push(event.data.n);
      if (event.data.n === 2) break;
    }
    assert.deepEqual(seen, [1, 2]);
    assert.deepEqual(subscriberIds(bus), ['other']);
    // The event still waiting was discarded, and nothing more is collected.
    publish(bus, 'x', 4);
    assert.deepEqual(await stream.next(), { value: undefined, done: true });
    assert.equal(stream.dropped, 0);
  });

  test('a throw inside for await also unsubscribes', async () => {
    const bus = new EventBus();
    const stream = bus.events('x');
    publish(bus, 'x', 1);
    await assert.rejects(async () => {
      for await (const event of stream) throw new Error(`stop at ${event.data.n}`);
    }, /stop at 1/);
    assert.deepEqual(subscriberIds(bus), []);
  });

  test('return() unsubscribes, discards waiting events and is idempotent', async () => {
    const bus = new EventBus();
    const stream = bus.events('x');
    publish(bus, 'x', 1);
    publish(bus, 'x', 2);
    assert.deepEqual(await stream.return(), { value: undefined, done: true });
    assert.deepEqual(subscriberIds(bus), []);
    assert.deepEqual(await stream.next(), { value: undefined, done: true });
    assert.deepEqual(await stream.return(), { value: undefined, done: true });
    assert.deepEqual(subscriberIds(bus), []);
  });

  test('aborting the signal mid-iteration ends it and unsubscribes', async () => {
    const bus = new EventBus();
    const controller = new AbortController();
    const stream = bus.events('x', { signal: controller.signal });
    const seen = [];
    const loop = (async () => {
      for await (const event of stream) seen.push(event.data.n);
      return 'ended';
    })();
    publish(bus, 'x', 1);
    await tick();
    assert.deepEqual(seen, [1]);
    assert.equal(await settledWithin(loop), 'pending');
    controller.abort();
    assert.equal(await settledWithin(loop), 'ended');
    assert.deepEqual(subscriberIds(bus), []);
    publish(bus, 'x', 2);
    assert.deepEqual(seen, [1]);
  });

  test('aborting discards the events still waiting', async () => {
    const bus = new EventBus();
    const signal = fakeSignal();
    const stream = bus.events('x', { signal });
    publish(bus, 'x', 1);
    publish(bus, 'x', 2);
    signal.abort();
    assert.deepEqual(await stream.next(), { value: undefined, done: true });
    assert.deepEqual(subscriberIds(bus), []);
  });

  test('an already-aborted signal gives an iteration that is over, with no subscription', async () => {
    const bus = new EventBus();
    const stream = bus.events('x', { signal: AbortSignal.abort() });
    assert.deepEqual(subscriberIds(bus), []);
    publish(bus, 'x', 1);
    assert.deepEqual(await stream.next(), { value: undefined, done: true });
    const seen = [];
    for await (const event of stream) seen.push(event);
    assert.deepEqual(seen, []);
  });

  test('two iterations of one bus are independent', async () => {
    const bus = new EventBus();
    const a = bus.events('x', { bufferSize: 1 });
    const b = bus.events('*', { bufferSize: 4 });
    publish(bus, 'x', 1);
    publish(bus, 'y', 2);
    publish(bus, 'x', 3);
    assert.equal(a.dropped, 1);
    assert.equal(b.dropped, 0);
    await a.return();
    assert.deepEqual([(await b.next()).value.data.n, (await b.next()).value.data.n, (await b.next()).value.data.n], [1, 2, 3]);
    await b.return();
    assert.deepEqual(subscriberIds(bus), []);
  });

  test('ending the iteration after abort, or aborting after return(), is harmless', async () => {
    const bus = new EventBus();
    const controller = new AbortController();
    const first = bus.events('x', { signal: controller.signal });
    const second = bus.events('x', { signal: controller.signal });
    await first.return();
    controller.abort();
    assert.deepEqual(await second.return(), { value: undefined, done: true });
    assert.deepEqual(subscriberIds(bus), []);
  });

  test('bufferSize that is not a number is a TypeError; not an integer >= 1 a RangeError; nothing is subscribed', () => {
    const bus = new EventBus();
    for (const bad of ['8', null, true, {}, 8n]) {
      assert.throws(() => bus.events('x', { bufferSize: bad }),
        (e) => e instanceof TypeError && /options\.bufferSize/.test(e.message), String(bad));
    }
    for (const bad of [0, -1, 1.5, NaN, Infinity, -Infinity, 2 ** 53]) {
      assert.throws(() => bus.events('x', { bufferSize: bad }),
        (e) => e instanceof RangeError && /options\.bufferSize/.test(e.message), String(bad));
    }
    assert.deepEqual(subscriberIds(bus), []);
  });

  test('a signal that is not an AbortSignal, options that are not an object, bad patterns: refused, nothing subscribed', () => {
    const bus = new EventBus();
    for (const bad of [null, {}, 'signal', 1, { aborted: false }]) {
      assert.throws(() => bus.events('x', { signal: bad }),
        (e) => e instanceof TypeError && /options\.signal/.test(e.message), String(bad));
    }
    for (const bad of [null, 'options', 5]) {
      assert.throws(() => bus.events('x', bad), (e) => e instanceof TypeError && /options/.test(e.message));
    }
    for (const bad of [undefined, 5, [], ['a', 7], {}]) {
      assert.throws(() => bus.events(bad), (e) => e instanceof TypeError || e instanceof RangeError);
    }
    assert.deepEqual(subscriberIds(bus), []);
  });

  test('bus.shutdown() ends the iterations still open', async () => {
    const bus = new EventBus();
    const stream = bus.events('x');
    const read = stream.next();
    bus.shutdown();
    assert.deepEqual(await settledWithin(read), { value: undefined, done: true });
  });
});
