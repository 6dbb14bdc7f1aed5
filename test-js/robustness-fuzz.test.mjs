// No panic reachable from JavaScript: every public constructor, method and
// function is called with arbitrary values of every JS type (see
// support/robustness-values.mjs), with handlers that throw, reject, throw
// non-Errors and re-enter. A call either works or is refused with a
// documented error — a TypeError or RangeError naming an argument (a
// SyntaxError too for eventFromJSON, an Error for operation-context state
// misuse, an Error saying so for a freed object) — and async methods reject
// instead of throwing. A refused call publishes nothing, and after every run
// the same objects still work: a sentinel bus that nothing else touches, and
// the bus and emitters under test.
import { test, describe, beforeEach, afterEach, after } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  AsyncEventEmitter, EventBus, EventEmitter, EventOperationContext, ScheduledEmit,
  createEmitter, createEvent, emitEvent, eventFromJSON, eventToJSON, getEventBus, setLogger,
} from 'codomyrmex-events';
import { exitIfStuck, isolated, sentinel, show, watchProcess } from './support/robustness.mjs';
import { anything, build, makeEnv, record, slot } from './support/robustness-values.mjs';

/** The descriptor of `key` on `proto` or on a prototype it inherits from. */
function memberOf(proto, key) {
  for (let p = proto; p; p = Object.getPrototypeOf(p)) {
    const d = Object.getOwnPropertyDescriptor(p, key);
    if (d) return d;
  }
  return undefined;
}

/** Runs per property: 43 entry points × 240, plus 480 sequences: 10,800 runs in this file. */
const RUNS = Number(process.env.ROBUSTNESS_RUNS ?? 240);
const SEQUENCE_RUNS = Math.ceil(RUNS * 2);

const env = makeEnv();
const guard = sentinel();
const defaultBus = getEventBus();
let proc;
let totalRuns = 0;

beforeEach(() => {
  setLogger(env.logger);
  proc = watchProcess();
  try {
    guard.check('before the test');
  } catch (e) {
    throw new Error(`the WebAssembly instance was already unusable before this test (see the first failure above): ${show(e)}`);
  }
});
afterEach(async () => {
  try {
    await proc.assertNone('no unhandledRejection or uncaughtException');
  } finally {
    proc.stop();
  }
});
after(() => {
  setLogger(null);
  console.log(`# robustness-fuzz: ${totalRuns} runs`);
  exitIfStuck();
});

// ---------------------------------------------------------------- argument arbitraries

const eventType = fc.constantFrom('fuzz.a', 'fuzz.b.c', 'custom', 'system.error', 'fuzz.re.1', 'x'.repeat(256));
const name = fc.constantFrom('op', 'fuzz-op', '__proto__', 'x'.repeat(300));
const text = fc.constantFrom('t', 'x'.repeat(1000), '__proto__', 'message');
const corrId = fc.oneof(fc.uuid(), fc.constantFrom('c', 'corr'));
const priority = fc.integer({ min: -1, max: 3 });
const emitOptions = fc.record({
  correlationId: slot(fc.oneof(fc.constant(null), corrId)),
  metadata: slot(record),
  priority: slot(priority),
}, { requiredKeys: [] });
const data = slot(record);
const options = (fields) => slot(fc.record(fields, { requiredKeys: [] }));
const batchItem = fc.record({
  eventType: slot(eventType), data, correlationId: slot(corrId), metadata: slot(record), priority: slot(priority),
}, { requiredKeys: [] });
const eventLike = fc.oneof(
  fc.constant({ $: 'ref', name: 'event' }),
  fc.constant({ $: 'ref', name: 'wireEvent' }),
  fc.record({
    eventType: slot(eventType), source: slot(fc.constantFrom('s', '')), eventId: slot(fc.uuid()),
    timestamp: slot(fc.double({ min: -1, max: 2e12 })), correlationId: slot(fc.oneof(fc.constant(null), corrId)),
    data: slot(record), metadata: slot(record), priority: slot(priority),
  }, { requiredKeys: [] }),
);
const handler = slot(fc.constantFrom(
  'noop', 'throwError', 'throwString', 'throwUndefined', 'throwSymbol', 'throwNullProto', 'throwProxy',
  'rejectError', 'rejectUndefined', 'asyncThrow', 'resolveLater', 'thenableRejects', 'reenter', 'reenterDeep',
  'classCtor', 'fnProxy',
).map((kind) => ({ $: 'fn', kind })), 4);
const wireText = fc.oneof(
  fc.constantFrom(
    '{"event_type": "fuzz.wire", "source": "s"}',
    '{"event_type": "fuzz.wire", "source": "s", "data": {"__proto__": {"polluted": 1}}, "metadata": {"constructor": {}}}',
    '[[[[', '{"event_type": 1}', '',
  ),
  fc.json(),
  fc.string(),
);
/** Whether a method runs on the live object or on a freed one (sync methods only). */
const liveOrFreed = fc.constantFrom('live', 'live', 'live', 'freed');

// ---------------------------------------------------------------- the surface

const FREED = { bus: 'freedBus', emitter: 'freedEmitter', asyncEmitter: 'freedAsyncEmitter' };
/** The object a method is called on: the live one under test, or a freed one. */
const target = (kind, which) => (which === 'freed' ? env.ref(FREED[kind]) : env[kind]);

const ARGS = {
  eventBus: ['options', 'deadLetterLimit'],
  emit: ['eventType', 'data', 'options'],
};

/**
 * Every entry: name, argument arbitraries, call(args, target), the argument
 * names a refusal may mention, and flags: async (returns a promise, never
 * throws), freeable (also called on a freed object), state (Error allowed for
 * operation-context state misuse), syntax (SyntaxError allowed), rethrows
 * (run: rethrows what its function threw), after(result, args) for more checks.
 */
const SURFACE = [
  // EventBus
  { name: 'new EventBus(options)', args: [options({ deadLetterLimit: slot(fc.integer({ min: -1, max: 2 ** 24 + 1 })) })],
    call: ([o]) => new EventBus(o), names: ARGS.eventBus,
    after: (bus) => assert.ok(bus instanceof EventBus) },
  { name: 'EventBus#subscribe', freeable: 'bus',
    args: [slot(fc.oneof(fc.constantFrom('fuzz.*', '*', 'fuzz.[ab]', 'fuzz.?', '[', '[!', '[]]', ''), fc.array(fc.constantFrom('fuzz.*', 'a', ''), { maxLength: 3 }))),
      handler, options({ subscriberId: slot(fc.constantFrom('s1', 's2', '', '__proto__')), filter: handler, priority: slot(fc.integer({ min: -3, max: 3 })) })],
    call: ([p, h, o], bus) => bus.subscribe(p, h, o), names: ['patterns', 'handler', 'options'],
    after: (id) => assert.equal(typeof id, 'string') },
  { name: 'EventBus#unsubscribe', freeable: 'bus', args: [slot(fc.constantFrom('s1', 's2', 're1', 'nobody', ''))],
    call: ([id], bus) => bus.unsubscribe(id), names: ['subscriberId'],
    after: (r) => assert.equal(typeof r, 'boolean') },
  { name: 'EventBus#publish', freeable: 'bus', args: [slot(eventLike, 4)],
    call: ([e], bus) => bus.publish(e), names: ['event'] },
  { name: 'EventBus#publishAsync', async: true, args: [slot(eventLike, 4)],
    call: ([e]) => env.bus.publishAsync(e), names: ['event'] },
  { name: 'EventBus#getStats/resetStats/deadLetterQueue/shutdown', freeable: 'bus',
    args: [fc.constantFrom('getStats', 'resetStats', 'deadLetterQueue', 'shutdown'), anything],
    call: ([m, extra], bus) => (m === 'deadLetterQueue' ? bus.deadLetterQueue : bus[m](extra)),
    names: [] },
  { name: 'EventBus#free/Symbol.dispose', args: [fc.constantFrom('free', 'dispose')],
    call: ([m]) => {
      const bus = new EventBus();
      const emitter = new EventEmitter('tmp', bus);
      if (m === 'free') bus.free(); else bus[Symbol.dispose]();
      emitter.emit('fuzz.after.free');
      assert.throws(() => bus.getStats(), /has been freed/);
    },
    names: [] },

  // EventEmitter
  { name: 'new EventEmitter(source, eventBus)', args: [slot(fc.constantFrom('src', '')), slot(fc.constantFrom({ $: 'ref', name: 'bus' }, undefined))],
    call: ([s, b]) => new EventEmitter(s, b), names: ['source', 'eventBus'],
    after: (e, [, b]) => {
      assert.ok(e instanceof EventEmitter);
      assert.ok(b === undefined || b instanceof EventBus, `accepted ${show(b)} as its eventBus, which is not an EventBus`);
    } },
  ...['emit', 'emitSync'].map((m) => ({
    name: `EventEmitter#${m}`, freeable: 'emitter', args: [slot(eventType), data, slot(emitOptions)],
    call: ([t, d, o], emitter) => emitter[m](t, d, o), names: ARGS.emit })),
  { name: 'EventEmitter#emitAsync', async: true, args: [slot(eventType), data, slot(emitOptions)],
    call: ([t, d, o]) => env.emitter.emitAsync(t, d, o), names: ARGS.emit },
  { name: 'EventEmitter#emitBatch', freeable: 'emitter', args: [slot(fc.array(slot(batchItem), { maxLength: 3 }))],
    call: ([events], emitter) => emitter.emitBatch(events), names: ['events'] },
  { name: 'EventEmitter#emitBatchAsync', async: true, args: [slot(fc.array(slot(batchItem), { maxLength: 3 }))],
    call: ([events]) => env.emitter.emitBatchAsync(events), names: ['events'] },
  { name: 'EventEmitter#startOperation', freeable: 'emitter', args: [slot(name), data],
    call: ([n, d], emitter) => emitter.startOperation(n, d), names: ['operationName', 'operationData'],
    after: (id) => assert.match(id, /^[0-9a-f-]{36}$/) },
  { name: 'EventEmitter#updateOperation', freeable: 'emitter',
    args: [slot(corrId), slot(name), options({ progress: slot(fc.double()), status: slot(text), data })],
    call: ([c, n, o], emitter) => emitter.updateOperation(c, n, o), names: ['correlationId', 'operationName', 'options'] },
  { name: 'EventEmitter#endOperation', freeable: 'emitter',
    args: [slot(corrId), slot(name), options({ success: slot(fc.boolean()), result: anything, error: slot(text) })],
    call: ([c, n, o], emitter) => emitter.endOperation(c, n, o), names: ['correlationId', 'operationName', 'options'] },
  { name: 'EventEmitter#operation', freeable: 'emitter', args: [slot(name), data],
    call: ([n, d], emitter) => emitter.operation(n, d), names: ['operationName', 'operationData'],
    after: (ctx) => assert.ok(ctx instanceof EventOperationContext) },
  { name: 'EventEmitter#emitError', freeable: 'emitter',
    args: [slot(text), slot(text), options({ context: slot(record), correlationId: slot(fc.oneof(fc.constant(null), corrId)) })],
    call: ([t, m, o], emitter) => emitter.emitError(t, m, o), names: ['errorType', 'errorMessage', 'options'] },
  { name: 'EventEmitter#emitMetric', freeable: 'emitter',
    args: [slot(text), slot(fc.oneof(fc.double(), fc.boolean(), text)),
      options({ metricType: slot(fc.constantFrom('gauge', 'counter', 'histogram', 'summary', 'rate')), labels: slot(fc.dictionary(fc.constantFrom('a', '__proto__'), slot(text))) })],
    call: ([n, v, o], emitter) => emitter.emitMetric(n, v, o), names: ['metricName', 'value', 'options'] },
  { name: 'EventEmitter#emitAlert', freeable: 'emitter',
    args: [slot(text), slot(fc.constantFrom('info', 'warning', 'error', 'critical', 'fatal')), slot(text), options({ threshold: anything, currentValue: anything })],
    call: ([n, l, m, o], emitter) => emitter.emitAlert(n, l, m, o), names: ['alertName', 'level', 'message', 'options'] },
  { name: 'EventEmitter#setCorrelationContext', freeable: 'emitter', args: [slot(corrId)],
    call: ([c], emitter) => emitter.setCorrelationContext(c), names: ['correlationId'] },
  { name: 'EventEmitter#setDefaultMetadata', freeable: 'emitter', args: [slot(record, 2)],
    call: ([m], emitter) => emitter.setDefaultMetadata(m), names: ['metadata'] },
  { name: 'EventEmitter#enabled = value', freeable: 'emitter', args: [slot(fc.boolean())],
    call: ([v], emitter) => { emitter.enabled = v; }, names: ['enabled'] },
  { name: 'EventEmitter#clearCorrelationContext/enable/disable/getters', freeable: 'emitter',
    args: [fc.constantFrom('clearCorrelationContext', 'enable', 'disable', 'source', 'eventBus', 'enabled', 'defaultCorrelationId', 'defaultMetadata'), anything],
    call: ([m, extra], emitter) => (typeof memberOf(EventEmitter.prototype, m).value === 'function'
      ? emitter[m](extra)
      : emitter[m]),
    names: [] },
  { name: 'EventEmitter#free/Symbol.dispose', args: [fc.constantFrom('free', 'dispose')],
    call: ([m]) => {
      const e = new EventEmitter('tmp', env.bus);
      if (m === 'free') e.free(); else e[Symbol.dispose]();
    },
    names: [] },

  // EventOperationContext
  { name: 'new EventOperationContext(emitter, operationName, operationData)',
    args: [slot(fc.constantFrom({ $: 'ref', name: 'emitter' }, { $: 'ref', name: 'freedEmitter' }, { $: 'ref', name: 'bus' })), slot(name), data],
    call: ([e, n, d]) => new EventOperationContext(e, n, d), names: ['emitter', 'operationName', 'operationData'],
    after: (c, [e]) => assert.ok(e instanceof EventEmitter, `accepted ${show(e)} as its emitter, which is not an EventEmitter`) },
  ...[
    ['enter', [], (c) => c.enter()],
    ['exit', [anything], (c, [err]) => c.exit(err)],
    ['update', [options({ progress: slot(fc.double()), status: slot(text), data })], (c, [o]) => c.update(o)],
    ['emit', [slot(eventType), data, slot(emitOptions)], (c, [t, d, o]) => c.emit(t, d, o)],
    ['Symbol.dispose', [], (c) => c[Symbol.dispose]()],
    ['getters', [], (c) => [c.correlationId, c.operationName]],
  ].map(([m, args, call]) => ({
    name: `EventOperationContext#${m}`, state: true,
    args: [fc.constantFrom('context', 'enteredContext', 'exitedContext', 'freedContext'), ...args],
    prepare: ([phase]) => env.ref(phase),
    call: ([phase, ...rest]) => call(env.ref(phase), rest),
    freedWhen: ([phase]) => phase === 'freedContext',
    names: ['options', 'eventType', 'data', 'operation'],
  })),
  { name: 'EventOperationContext#run', state: true, rethrows: true,
    args: [fc.constantFrom('context', 'enteredContext', 'exitedContext'), handler],
    prepare: ([phase]) => env.ref(phase),
    // fn is wrapped so that what it throws or rejects with is known exactly: run() must rethrow that.
    call: ([phase, fn]) => env.ref(phase).run(typeof fn !== 'function' ? fn : (ctx) => {
      let r;
      try {
        r = fn(ctx);
      } catch (e) {
        env.fnThrew = e;
        throw e;
      }
      if (r === null || (typeof r !== 'object' && typeof r !== 'function') || typeof r.then !== 'function') return r;
      return Promise.resolve(r).catch((e) => {
        env.fnThrew = e;
        throw e;
      });
    }),
    names: ['fn', 'operation'] },

  // AsyncEventEmitter
  { name: 'new AsyncEventEmitter(source, bus)',
    args: [slot(fc.constantFrom('src', '', undefined)), slot(fc.constantFrom({ $: 'ref', name: 'bus' }, undefined, { $: 'ref', name: 'emitter' }))],
    call: ([s, b]) => new AsyncEventEmitter(s, b), names: ['source', 'bus'],
    after: (a, [, b]) => assert.ok(b === undefined || b instanceof EventBus, `accepted ${show(b)} as its bus, which is not an EventBus`) },
  { name: 'AsyncEventEmitter#emit', async: true, args: [slot(eventType), data, slot(priority)],
    call: ([t, d, p]) => env.asyncEmitter.emit(t, d, p), names: ['eventType', 'data', 'priority'] },
  { name: 'AsyncEventEmitter#emitLater (cancelled)', freeable: 'asyncEmitter',
    args: [slot(eventType), data, slot(fc.constantFrom(0, 1, 1e9, 2 ** 31, 2 ** 40, 0.5))],
    call: ([t, d, ms], asyncEmitter) => asyncEmitter.emitLater(t, d, ms),
    names: ['eventType', 'data', 'delayMs'],
    after: async (scheduled) => {
      assert.ok(scheduled instanceof ScheduledEmit);
      assert.equal(scheduled.cancel(), true, 'cancel() of a pending emit');
      assert.equal(scheduled.cancel(), false, 'a second cancel()');
      assert.equal(await scheduled.done, false, 'done resolves false once cancelled');
    } },

  // Functions
  { name: 'createEvent', args: [slot(eventType), slot(fc.constantFrom('src', '')),
    options({ data, metadata: slot(record), correlationId: slot(fc.oneof(fc.constant(null), corrId)), priority: slot(priority),
      eventId: slot(fc.uuid()), timestamp: slot(fc.double({ min: -1, max: 2e12 })) })],
  call: ([t, s, o]) => createEvent(t, s, o), names: ['eventType', 'source', 'options'],
  after: (e) => assert.ok(Object.isFrozen(e)) },
  { name: 'eventToJSON', args: [slot(eventLike, 4)], call: ([e]) => eventToJSON(e), names: ['event'],
    after: (s) => assert.equal(typeof s, 'string') },
  { name: 'eventFromJSON', syntax: true, args: [slot(wireText, 4)], call: ([s]) => eventFromJSON(s),
    names: ['json', 'event_type', 'source', 'event_id', 'timestamp', 'correlation_id', 'data', 'metadata', 'priority'],
    after: (e) => {
      assert.ok(Object.isFrozen(e));
      assert.equal(Object.getPrototypeOf(e.data), Object.prototype);
      assert.equal({}.polluted, undefined);
    } },
  { name: 'createEmitter', args: [slot(fc.constantFrom('src', ''))], call: ([s]) => createEmitter(s), names: ['source'],
    after: (e) => assert.equal(e.eventBus, defaultBus) },
  { name: 'emitEvent', args: [slot(eventType), slot(fc.constantFrom('src', '')), data, slot(emitOptions)],
    call: ([t, s, d, o]) => emitEvent(t, s, d, o), names: ['eventType', 'source', 'data', 'options'] },
  { name: 'setLogger (restored after)', args: [slot(fc.constantFrom({ $: 'ref', name: 'error' }, null))],
    call: ([l]) => {
      setLogger(l);
      env.emitter.emit('fuzz.logger', {});
    },
    names: ['logger'] },
  { name: 'getEventBus', args: [anything], call: ([x]) => getEventBus(x), names: [],
    after: (b) => assert.equal(b, defaultBus) },
];

// ---------------------------------------------------------------- checking one call

const word = (n) => new RegExp(`(^|[^A-Za-z0-9_])${n.replace(/[$()*+.?[\\\]^{|}]/g, '\\$&')}([^A-Za-z0-9_]|$)`);
const ctorOf = (v) => {
  try {
    return v?.constructor;
  } catch {
    return undefined;
  }
};

function counts() {
  return {
    seen: env.count,
    published: env.bus.getStats().eventsPublished,
    defaultSeen: env.defaultCount,
    defaultPublished: defaultBus.getStats().eventsPublished,
    sentinel: guard.bus.getStats().eventsPublished,
  };
}

/** Asserts `error` is a documented refusal for `entry`. */
function assertRefusal(entry, error, freed, where) {
  const Class = ctorOf(error);
  let message;
  try {
    message = error.message;
  } catch {
    message = undefined;
  }
  if (freed) {
    if (Class !== Error || !/has been freed/.test(message)) throw new Error(`${where} on a freed object threw ${show(error)}, not an Error saying it has been freed`);
    return;
  }
  const allowed = [TypeError, RangeError];
  if (entry.syntax) allowed.push(SyntaxError);
  if (entry.state) allowed.push(Error);
  if (!allowed.includes(Class)) {
    throw new Error(`${where} threw ${show(error)}: not a documented refusal (${allowed.map((c) => c.name).join(', ')})`);
  }
  if (typeof message !== 'string' || message.length === 0) throw new Error(`${where} threw a ${Class.name} without a message`);
  if (Class === Error) {
    if (!/operation/.test(message)) throw new Error(`${where} threw an Error that is not about the operation's state: ${message}`);
    return;
  }
  if (entry.names.length === 0) throw new Error(`${where} takes no argument that could be refused, yet threw ${show(error)}`);
  if (!entry.names.some((n) => word(n).test(message))) {
    throw new Error(`${where} threw ${Class.name} "${message}", which names none of ${entry.names.join(', ')}`);
  }
}

/** Makes one call as described; throws (failing the property) if anything is wrong. */
async function exercise(entry, argsDesc, which = 'live') {
  env.perRun.clear();
  const args = build(argsDesc, env);
  const on = entry.freeable ? target(entry.freeable, which) : undefined;
  entry.prepare?.(argsDesc);
  env.lastThrown = env.NOTHING;
  env.fnThrew = env.NOTHING;
  const freed = which === 'freed' || Boolean(entry.freedWhen?.(argsDesc));
  const where = `${entry.name}${freed ? ' (freed)' : ''}`;
  const before = counts();
  let result;
  let error;
  let failed = false;
  try {
    result = entry.call(args, on);
  } catch (e) {
    failed = true;
    error = e;
  }
  if (entry.async && failed) {
    throw new Error(`${where} threw ${show(error)} synchronously: an async method must return a rejected promise`);
  }
  if (!failed && (entry.async || entry.rethrows) && result !== null && typeof result?.then === 'function') {
    if (entry.async) assert.ok(result instanceof Promise, `${where} returns a Promise`);
    try {
      result = await result;
    } catch (e) {
      failed = true;
      error = e;
    }
  }
  if (failed) {
    if (entry.rethrows && env.fnThrew !== env.NOTHING && Object.is(error, env.fnThrew)) return; // run() rethrows fn's error
    if (env.lastThrown !== env.NOTHING && Object.is(error, env.lastThrown)) {
      throw new Error(`${where}: a value thrown by the caller's own code (a getter, a proxy trap, a handler) escaped as is: ${show(error)}; ` +
        'expected a TypeError/RangeError naming the argument, or no error at all');
    }
    assertRefusal(entry, error, freed, where);
    const now = counts();
    assert.deepEqual(now, before, `${where} was refused (${show(error)}) but published something`);
    return;
  }
  if (freed) throw new Error(`${where} worked on a freed object`);
  if (entry.after) await entry.after(result, args);
}

/** After every run: put the objects back in shape and check that they (and the sentinel) work. */
async function invariants(isAsync) {
  setLogger(env.logger);
  env.emitter.enable();
  env.emitter.enabled = true;
  if (Object.keys(env.bus.getStats().subscribers).length > 40) env.bus.shutdown();
  env.bus.subscribe('*', env.catchAll, { subscriberId: 'catch-all', priority: Number.MAX_SAFE_INTEGER });
  defaultBus.subscribe('*', env.defaultCatchAll, { subscriberId: 'fuzz-catch-all', priority: Number.MAX_SAFE_INTEGER });
  guard.check('after the run');

  const payload = { check: true };
  const seen = env.count;
  env.emitter.emit('fuzz.check', payload);
  assert.ok(env.count > seen, 'the emitter under test still delivers');
  let checked = false;
  env.bus.subscribe('fuzz.check', (e) => { checked = e.data === payload && e.source === 'fuzz'; }, { subscriberId: 'checker' });
  env.emitter.emit('fuzz.check', payload);
  env.bus.unsubscribe('checker');
  assert.ok(checked, 'the emitter under test still delivers its data intact');

  const s = env.bus.getStats();
  for (const k of ['eventsPublished', 'eventsProcessed', 'eventsFailed', 'deadLetterCount']) {
    assert.ok(Number.isSafeInteger(s[k]) && s[k] >= 0, `stats.${k} = ${s[k]}`);
  }
  const dead = env.bus.deadLetterQueue;
  assert.equal(dead.length, s.deadLetterCount, 'deadLetterQueue length matches deadLetterCount');
  assert.ok(dead.length <= 50, 'the dead-letter queue stays within its bound');
  assert.ok(dead.every((e) => Object.isFrozen(e) && typeof e.eventType === 'string'), 'dead letters are events');

  const defaultSeen = env.defaultCount;
  emitEvent('fuzz.default.check', 'fuzz');
  assert.equal(env.defaultCount, defaultSeen + 1, 'the default bus still delivers');

  if (isAsync) {
    const before = env.count;
    await env.asyncEmitter.emit('fuzz.check.async', { k: 1 });
    assert.ok(env.count > before, 'the async emitter still delivers');
  }
  assert.equal({}.polluted, undefined, 'Object.prototype is untouched');
}

/** fast-check's report, led by what went wrong. */
function failure(out) {
  const e = out.errorInstance;
  const what = e instanceof Error ? e.message : show(e);
  return new Error(`${what}\n\n${fc.defaultReportMessage(out)}`, { cause: e });
}

async function property(entry, numRuns) {
  const arbs = [fc.tuple(...entry.args)];
  if (entry.freeable) arbs.push(liveOrFreed);
  const prop = fc.asyncProperty(...arbs, async (args, which = 'live') => {
    await exercise(entry, args, which);
    await invariants(Boolean(entry.async || entry.rethrows || entry.after));
  });
  const out = await fc.check(prop, { numRuns, endOnFailure: true });
  totalRuns += out.numRuns;
  if (out.failed) throw failure(out);
  return out.numRuns;
}

// ---------------------------------------------------------------- the tests

describe(`every entry point, arbitrary arguments (${RUNS} runs each)`, () => {
  for (const entry of SURFACE) {
    test(entry.name, { timeout: 120_000 }, async (t) => {
      const n = await property(entry, RUNS);
      t.diagnostic(`${n} runs`);
    });
  }
});

describe('sequences of calls', () => {
  test(`random sequences of up to 8 calls across the whole surface (${SEQUENCE_RUNS} runs)`, { timeout: 120_000 }, async (t) => {
    const step = fc.oneof(...SURFACE.map((entry, i) => fc.tuple(fc.constant(i), fc.tuple(...entry.args),
      entry.freeable ? liveOrFreed : fc.constant('live'))));
    const prop = fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 8 }), async (steps) => {
      for (const [i, args, which] of steps) await exercise(SURFACE[i], args, which);
      await invariants(true);
    });
    const out = await fc.check(prop, { numRuns: SEQUENCE_RUNS, endOnFailure: true });
    totalRuns += out.numRuns;
    if (out.failed) throw failure(out);
    t.diagnostic(`${out.numRuns} runs`);
  });
});

describe('look-alike arguments', () => {
  // The binding finds the Rust side of a bus or emitter argument by a numeric
  // handle property; an object that merely carries such a number is not an
  // EventBus / EventEmitter and must be refused like any other wrong type.
  test('a plain object with the __handle of a live bus or emitter is refused', () => {
    const refused = (fn, arg) => assert.throws(fn, (e) => e.constructor === TypeError && word(arg).test(e.message), arg);
    refused(() => new EventEmitter('s', { __handle: env.bus.__handle }), 'eventBus');
    refused(() => new AsyncEventEmitter('s', { __handle: env.bus.__handle }), 'bus');
    refused(() => new EventOperationContext({ __handle: env.emitter.__handle }, 'op'), 'emitter');
    refused(() => new EventEmitter('s', Object.create(EventBus.prototype)), 'eventBus');
  });
});

describe('refused calls, many times over (child process)', () => {
  // A refusal must leave nothing behind, however often it happens: each of
  // these is made 5,000 times, then the instance must still work.
  for (const scenario of [
    'emit-metadata-getter', 'emit-metadata-proxy', 'set-default-metadata-getter', 'update-operation-data-getter',
    'emit-metric-labels-proxy', 'subscribe-patterns-proxy', 'create-event-metadata-getter', 'emit-bad-priority',
    'subscribe-bad-pattern',
  ]) {
    test(scenario, async () => {
      const report = await isolated(`refusal:${scenario}`);
      assert.equal(report.error, null, `after ${report.iterations} calls: ${report.error}\n${report.notes.join('\n')}`);
      assert.deepEqual(report.notes, []);
      assert.equal(report.iterations, 5000);
    });
  }
});
