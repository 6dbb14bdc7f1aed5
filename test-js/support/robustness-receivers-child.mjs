// Methods of one class of the package called on wrong receivers, run in a
// child process by robustness-receivers.test.mjs (calling through the wrong
// type can corrupt the WebAssembly memory, or hang what comes after).
// Usage: node robustness-receivers-child.mjs <ClassName> <runs>. Prints one
// JSON line: { className, runs, error }; error is null when every call was
// refused and the live objects still worked afterwards.
import fc from 'fast-check';
import {
  AsyncEventEmitter, EventBus, EventEmitter, EventOperationContext, ScheduledEmit, createEvent, setLogger,
} from 'codomyrmex-events';
import { show } from './robustness.mjs';

setLogger(null);

/** Live objects of every class, checked after each run. */
const bus = new EventBus();
let delivered = 0;
bus.subscribe('*', () => { delivered++; });
const emitter = new EventEmitter('recv', bus);
const asyncEmitter = new AsyncEventEmitter('recv-async', bus);
const context = emitter.operation('recv-op');
const scheduled = asyncEmitter.emitLater('recv.never', {}, 1e9);
scheduled.cancel();

const CLASSES = { EventBus, EventEmitter, EventOperationContext, AsyncEventEmitter, ScheduledEmit };

/** Arguments that are valid for each member, so that only `this` is wrong. */
const VALID_ARGS = {
  subscribe: ['recv.x', () => {}], unsubscribe: ['nobody'], publish: [createEvent('recv.x', 's')],
  publishAsync: [createEvent('recv.x', 's')], emit: ['recv.x', {}], emitSync: ['recv.x', {}], emitAsync: ['recv.x', {}],
  emitBatch: [[{ eventType: 'recv.x' }]], emitBatchAsync: [[{ eventType: 'recv.x' }]], startOperation: ['op'],
  updateOperation: ['id', 'op'], endOperation: ['id', 'op'], operation: ['op'], emitError: ['t', 'm'],
  emitMetric: ['m', 1], emitAlert: ['a', 'info', 'm'], setCorrelationContext: ['c'], setDefaultMetadata: [{}],
  update: [{}], emitLater: ['recv.x', {}, 1e9], exit: [], run: [() => 1],
};

/** Every public member of a prototype: [name, kind] with kind 'method', 'get' or 'set'. */
function members(Class) {
  const out = [];
  const seen = new Set(['constructor']);
  // The class's own members and those it inherits from the classes it extends.
  for (let proto = Class.prototype; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const key of Reflect.ownKeys(proto)) {
      if (seen.has(key) || (typeof key === 'string' && key.startsWith('__'))) continue; // __*: binding internals
      seen.add(key);
      const d = Object.getOwnPropertyDescriptor(proto, key);
      if (typeof d.value === 'function') out.push([key, 'method']);
      if (d.get) out.push([key, 'get']);
      if (d.set) out.push([key, 'set']);
    }
  }
  return out;
}

const RECEIVERS = {
  EventBus: () => new EventBus(),
  EventEmitter: () => new EventEmitter('other', new EventBus()),
  EventOperationContext: () => new EventEmitter('other', new EventBus()).operation('op'),
  AsyncEventEmitter: () => new AsyncEventEmitter('other', new EventBus()),
  ScheduledEmit: () => { const s = new AsyncEventEmitter('other', new EventBus()).emitLater('x', {}, 1e9); s.cancel(); return s; },
  freedSameClass: null, // filled per class
  fromPrototype: null,
  // Objects of the class's prototype with a Rust address they were not given:
  // another class's live object's, one out of bounds, a copy's (of a live or
  // a freed object: own properties copied, as a deep-clone helper would).
  forgedAddress: null,
  addressOutOfBounds: null,
  copy: null,
  copyOfFreed: null,
  plainObject: () => ({}),
  objectWithHandle: () => ({ __handle: 1 }),
  nullPrototype: () => Object.create(null),
  undefined: () => undefined,
  null: () => null,
  number: () => 42,
  string: () => 'bus',
  array: () => [],
  func: () => function f() {},
};

function outcome(fn) {
  try {
    const r = fn();
    if (r !== null && typeof r === 'object' && typeof r.then === 'function') r.then(() => {}, () => {});
    return { ok: true, value: r };
  } catch (error) {
    return { ok: false, error };
  }
}

const [className, runsArg] = process.argv.slice(2);
const Class = CLASSES[className];
const report = { className, runs: 0, error: null };
const freedRejections = [];

function check() {
  const list = members(Class);
  const receiverKinds = Object.keys(RECEIVERS).filter((k) => k !== className);
  const prop = fc.property(fc.constantFrom(...list), fc.constantFrom(...receiverKinds), ([key, kind], receiverKind) => {
    let receiver;
    if (receiverKind === 'freedSameClass') {
      receiver = RECEIVERS[className]();
      receiver.free();
    } else if (receiverKind === 'fromPrototype') {
      receiver = Object.create(Class.prototype);
    } else if (receiverKind === 'forgedAddress' || receiverKind === 'addressOutOfBounds') {
      const other = className === 'EventBus' ? emitter : bus;
      const address = receiverKind === 'forgedAddress' ? other.__wbg_ptr : 2 ** 31 + 8;
      receiver = Object.assign(Object.create(Class.prototype), { __wbg_ptr: address });
    } else if (receiverKind === 'copy' || receiverKind === 'copyOfFreed') {
      const original = RECEIVERS[className]();
      receiver = Object.assign(Object.create(Class.prototype), original);
      if (receiverKind === 'copyOfFreed') original.free();
    } else {
      receiver = RECEIVERS[receiverKind]();
    }
    let d;
    for (let proto = Class.prototype; !d && proto; proto = Object.getPrototypeOf(proto)) d = Object.getOwnPropertyDescriptor(proto, key);
    const name = typeof key === 'symbol' ? `[${String(key)}]` : key;
    const where = `${className}.prototype.${name} (${kind}) called on ${receiverKind}`;
    const r = outcome(() => {
      if (kind === 'get') return d.get.call(receiver);
      if (kind === 'set') return d.set.call(receiver, true);
      return d.value.apply(receiver, VALID_ARGS[key] ?? []);
    });
    const freed = receiverKind === 'freedSameClass';
    const disposal = key === 'free' || typeof key === 'symbol';
    if (r.ok) {
      if (freed && disposal) return; // freeing a freed object again may quietly do nothing
      // A promise-returning method reports a freed object as a rejection (checked below).
      if (freed && r.value instanceof Promise) {
        freedRejections.push([where, r.value]);
        return;
      }
      throw new Error(`${where} did not refuse the receiver (returned ${show(r.value)})`);
    }
    const e = r.error;
    if (freed) {
      if (e?.constructor !== Error || !/has been freed/.test(e.message)) {
        throw new Error(`${where} threw ${show(e)}, expected an Error saying the object has been freed`);
      }
      return;
    }
    if (e?.constructor !== TypeError) throw new Error(`${where} threw ${show(e)}, expected a TypeError`);
  });
  const out = fc.check(prop, { numRuns: Number(runsArg), endOnFailure: true });
  report.runs = out.numRuns;
  if (out.failed) {
    const e = out.errorInstance;
    throw new Error(`${e instanceof Error ? e.message : show(e)}\n\n${fc.defaultReportMessage(out)}`);
  }
}

/** The live objects still work, their memory untouched. */
function liveObjectsWork() {
  const before = delivered;
  emitter.emit('recv.check');
  bus.publish(createEvent('recv.check', 's'));
  if (delivered !== before + 2) throw new Error(`the live bus delivered ${delivered - before} of 2 events`);
  const s = bus.getStats();
  if (s.eventsFailed !== 0) throw new Error(`the live bus's stats changed: ${JSON.stringify(s)}`);
  if (emitter.source !== 'recv' || asyncEmitter.source !== 'recv-async' || context.operationName !== 'recv-op') {
    throw new Error('a live object lost its fields');
  }
  if (scheduled.cancel() !== false) throw new Error('a cancelled ScheduledEmit could be cancelled again');
}

/** Every promise a freed object returned rejected with an Error saying so. */
async function freedPromisesRejected() {
  for (const [where, promise] of freedRejections) {
    const e = await promise.then(() => undefined, (error) => error);
    if (e?.constructor !== Error || !/has been freed/.test(e.message)) {
      throw new Error(`${where} settled with ${show(e)}, expected a rejection saying the object has been freed`);
    }
  }
}

try {
  check();
  await freedPromisesRejected();
  liveObjectsWork();
} catch (e) {
  report.error = e instanceof Error ? e.message : show(e);
  try {
    liveObjectsWork();
  } catch (after) {
    report.error += `\nafterwards, the live objects no longer work: ${show(after)}`;
  }
}
console.log(JSON.stringify(report));
process.exit(0);
