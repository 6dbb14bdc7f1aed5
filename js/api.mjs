// The public JavaScript API: the classes and functions of the wasm module, plus the
// few pieces that need the JavaScript object itself (EventOperationContext's
// run, enter's return value and Symbol.dispose) and the constants.
import wasmInit, {
  initSync as wasmInitSync,
  AsyncEventEmitter as WasmAsyncEventEmitter,
  EventBus as WasmEventBus,
  EventEmitter as WasmEventEmitter,
  EventOperationContext as WasmEventOperationContext,
  ScheduledEmit,
  __dispatchDepthAddress as dispatchDepthAddress,
  __isActive as isActive,
  __recordFailure as recordFailure,
  eventTypeConstants,
  getEventBus,
  priorityConstants,
  registerClasses,
  setDefaultBus,
} from "./glue.mjs";
import { RAN, allSettled, emitBatchPlanned, emitPlanned, readEmit, useDispatchDepth, usePlanExports } from "../src/js/host.js";

export {
  ScheduledEmit,
  createEvent,
  emitEvent,
  eventFromJSON,
  eventToJSON,
  fromCloudEvent,
  getEventBus,
  setLogger,
  toCloudEvent,
} from "./glue.mjs";

/** Every standard Codomyrmex event type, by constant name. Set once initialised. */
export let EventType;
/** Event priorities: NORMAL 0, HIGH 1, CRITICAL 2. Set once initialised. */
export let Priority;

// The wasm side holds handlers only weakly; these JavaScript links keep them
// alive for as long as anything that can publish to them is reachable: a bus
// holds its hub of handlers, and emitters, contexts and pending delayed emits
// hold their bus. All of it is visible to the garbage collector, so a handler
// that refers to its own bus no longer keeps everything alive forever.
const HUB = Symbol("hub");
const OWNER = Symbol("owner");
// Publications and processed handler calls of emits run in host.js, not yet
// added to the core's counters (see addCounts), and the bus's handle.
const COUNTS = Symbol("counts");
// What an operation context released when it ended still keeps (see releaseWhenEnded).
const ENDED = Symbol("codomyrmex-events.ended");
// Freed: no Rust side, and not an ended context either (which was released, not freed).
const isFreed = (object) => object.__wbg_ptr === 0 && object[ENDED] === undefined;
const keep = (object, key, value) => Object.defineProperty(object, key, { value });
// The objects this module made, as opposed to proxies of them (a reactive
// store's, say). free() (js/glue.mjs) unregisters an object's finalizer by
// identity: freed through a proxy, the object would be freed a second time
// by its finalizer, corrupting the WebAssembly memory. Only these are freed.
const instances = new WeakSet();
// The address of each object's Rust side, as this module gave it, where
// copies do not reach (a symbol, not enumerable). The glue trusts
// `__wbg_ptr`, a plain property: through a copy that outlived its original,
// or an object given a made-up address, other memory would be read as this
// class's. Methods are refused to an object whose address is not its own.
const PTR = Symbol("ptr");
const made = (object) => {
  instances.add(object);
  return keep(object, PTR, object.__wbg_ptr);
};
const ownAddress = (object) => object.__wbg_ptr === 0 || object[PTR] === object.__wbg_ptr;
// Objects whose Rust side host.js uses while it runs a planned batch: a
// free() from one of its handlers waits until the batch ends, as it does when
// the Rust side itself is busy.
const inUse = new Set();
// An object of `proto` for the Rust side at `ptr`, not registered anywhere:
// to reach an object's Rust side after the object was marked freed.
const atAddress = (proto, ptr) => keep(Object.assign(Object.create(proto), { __wbg_ptr: ptr }), PTR, ptr);
// A method as classes define them: writable, configurable, not enumerable.
const define = (proto, key, fn) => Object.defineProperty(proto, key, { value: fn, writable: true, configurable: true });

/** An event bus (see the README). */
export class EventBus extends WasmEventBus {
  constructor(options) {
    super(options);
    made(this);
    keep(this, HUB, this.__takeHub());
    keep(this, COUNTS, { published: 0, processed: 0, handle: this.__handle });
  }
}

/** An emitter of events on a bus (the default bus when none is given). */
export class EventEmitter extends WasmEventEmitter {
  constructor(source, eventBus) {
    super(source, eventBus);
    made(this);
    keep(this, OWNER, eventBus === undefined ? getEventBus() : eventBus);
  }

  /** The bus this emitter publishes on. */
  get eventBus() {
    return this[OWNER];
  }

  /** A context for one operation of this emitter. */
  operation(operationName, operationData) {
    return new EventOperationContext(this, operationName, operationData);
  }
}

/** An operation context (see the README). */
export class EventOperationContext extends WasmEventOperationContext {
  constructor(emitter, operationName, operationData) {
    super(emitter, operationName, operationData);
    made(this);
    keep(this, OWNER, emitter);
  }
}

// Delayed emits under way keep their emitter (and so its handlers) alive.
const scheduled = new Set();

/** A light emitter whose emits return promises, with delayed emission. */
export class AsyncEventEmitter extends WasmAsyncEventEmitter {
  constructor(source, bus) {
    super(source, bus);
    made(this);
    keep(this, OWNER, bus === undefined ? getEventBus() : bus);
  }

  /** The bus this emitter publishes on. */
  get eventBus() {
    return this[OWNER];
  }

  /** Publishes after `delayMs` milliseconds; returns a handle to cancel it. */
  emitLater(eventType, data, delayMs) {
    const handle = super.emitLater(eventType, data, delayMs);
    const entry = [handle, this];
    scheduled.add(entry);
    handle.done.then(() => scheduled.delete(entry));
    return handle;
  }
}

// What the Rust side makes and hands out (a delayed emit's handle, an ended
// context's stand-in) is made here as well.
for (const Class of [WasmEventBus, WasmEventOperationContext, ScheduledEmit]) {
  const wrap = Class.__wrap;
  Class.__wrap = (ptr) => made(wrap.call(Class, ptr));
}

/** An emitter on the default bus. */
export function createEmitter(source) {
  return new EventEmitter(source);
}

const proto = WasmEventOperationContext.prototype;

/** Starts the operation and returns the context. */
proto.enter = function enter() {
  this.__enter();
  return this;
};

const isThenable = (v) => v !== null && (typeof v === "object" || typeof v === "function") && typeof v.then === "function";

// A thrown undefined or null still ends the operation as failed.
const failure = (error) => (error === undefined || error === null ? "Unknown error" : error);

/**
 * Enters, calls fn(ctx), and exits with success or with what fn threw or
 * rejected with, which is then rethrown: the context never swallows an error.
 */
proto.run = function run(fn) {
  if (typeof fn !== "function") throw new TypeError(`fn must be a function, got ${fn === null ? "null" : typeof fn}`);
  this.enter();
  let result;
  try {
    result = fn(this);
  } catch (error) {
    this.exit(failure(error));
    throw error;
  }
  if (!isThenable(result)) {
    this.exit();
    return result;
  }
  return Promise.resolve(result).then(
    (value) => {
      this.exit();
      return value;
    },
    (error) => {
      this.exit(failure(error));
      throw error;
    },
  );
};

const dispose = function dispose() {
  if (isFreed(this)) throw new Error("EventOperationContext[Symbol.dispose]: the object has been freed");
  this.__dispose();
};
// Symbol.dispose where the runtime has it; Node 20 also knows nodejs.dispose.
for (const key of [Symbol.dispose, Symbol.for("nodejs.dispose")]) {
  if (typeof key === "symbol") define(proto, key, dispose);
}

/**
 * An async iterator of the events matching `patterns`, for `for await`.
 * Events wait in a buffer of `bufferSize` (default 1024) until read; when a
 * slow reader lets it fill up, the oldest waiting event is dropped and
 * counted in `dropped`. Aborting `signal` or calling `return()` (as `break`
 * does) unsubscribes and ends the iteration; events still waiting are discarded.
 * The iteration also ends when the subscription is removed otherwise
 * (`shutdown()`, `unsubscribe(id)`).
 */
WasmEventBus.prototype.events = function events(patterns, options) {
  if (options !== undefined && (options === null || typeof options !== "object")) {
    throw new TypeError("options must be an object");
  }
  const { signal, bufferSize = 1024 } = options ?? {};
  if (typeof bufferSize !== "number") throw new TypeError("options.bufferSize must be a number");
  if (!Number.isSafeInteger(bufferSize) || bufferSize < 1) {
    throw new RangeError(`options.bufferSize must be an integer >= 1, got ${bufferSize}`);
  }
  if (signal !== undefined && (signal === null || typeof signal.addEventListener !== "function")) {
    throw new TypeError("options.signal must be an AbortSignal");
  }
  const buffered = [];
  const readers = [];
  let finished = false;
  let dropped = 0;
  const onEvent = (event) => {
    if (readers.length > 0) readers.shift()({ value: event, done: false });
    else if (buffered.push(event) > bufferSize) {
      buffered.shift();
      dropped++;
    }
  };
  // Ends the iteration when the subscription goes by other means (shutdown(), unsubscribe()).
  onEvent[Symbol.for("codomyrmex-events.release")] = () => finish();
  const id = this.subscribe(patterns, onEvent);
  const finish = () => {
    if (finished) return;
    finished = true;
    this.unsubscribe(id);
    buffered.length = 0;
    for (const resolve of readers.splice(0)) resolve({ value: undefined, done: true });
  };
  if (signal !== undefined) {
    if (signal.aborted) finish();
    else signal.addEventListener("abort", finish, { once: true });
  }
  return {
    get dropped() {
      return dropped;
    },
    next() {
      if (buffered.length > 0) return Promise.resolve({ value: buffered.shift(), done: false });
      if (finished) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => readers.push(resolve));
    },
    return(value) {
      finish();
      return Promise.resolve({ value, done: true });
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
};

// A freed object (free(), or `using`) has no Rust side any more: say so,
// instead of the module's "null pointer passed to rust". `promising`
// methods return a promise, and report a freed object as its rejection.
function guardFreed(Class, name, { ownsFree = true, promising = [] } = {}) {
  const proto = Class.prototype;
  // The glue trusts `this` blindly: another class's object would have its
  // memory read as this one's. So the receiver is checked on every call.
  const checkReceiver = (self, key) => {
    if (!(self instanceof Class) || typeof self.__wbg_ptr !== "number" || !ownAddress(self)) {
      throw new TypeError(`${name}.${key}: this is not a ${name}`);
    }
  };
  const freed = (key) => new Error(`${name}.${key}: the object has been freed`);
  const check = (self, key) => {
    checkReceiver(self, key);
    if (isFreed(self)) throw freed(key);
  };
  for (const key of Reflect.ownKeys(proto)) {
    if (key === "constructor" || key === "free" || typeof key === "symbol") continue;
    const d = Object.getOwnPropertyDescriptor(proto, key);
    if (typeof d.value === "function" && promising.includes(key)) {
      const fn = d.value;
      d.value = function (a, b, c) {
        checkReceiver(this, key);
        if (this.__wbg_ptr === 0) return Promise.reject(freed(key));
        return fn.call(this, a, b, c);
      };
    } else if (typeof d.value === "function") {
      const fn = d.value;
      d.value = function (a, b, c, e) {
        check(this, key);
        return fn.call(this, a, b, c, e);
      };
    } else {
      if (d.get) {
        const get = d.get;
        d.get = function () {
          check(this, key);
          return get.call(this);
        };
      }
      if (d.set) {
        const set = d.set;
        d.set = function (v) {
          check(this, key);
          set.call(this, v);
        };
      }
    }
    Object.defineProperty(proto, key, d);
  }
  if (ownsFree) freeWhenIdle(proto, Class, name);
}

// free() may be called from a handler while the object is still busy: further
// up the stack (an emitter freed during its own emit), which the module
// refuses, or in a planned batch host.js runs (inUse). The object is marked
// freed at once (its finalizer unregistered), and its Rust side is released
// as soon as it is idle. A second free() does nothing.
function freeWhenIdle(proto, Class, name) {
  const free = proto.free;
  const release = (ptr) => {
    try {
      free.call(atAddress(proto, ptr));
    } catch {
      setTimeout(release, 0, ptr);
    }
  };
  proto.free = function () {
    if (!(this instanceof Class) || typeof this.__wbg_ptr !== "number") {
      throw new TypeError(`${name}.free: this is not a ${name}`);
    }
    if (!instances.has(this)) {
      throw new TypeError(`${name}.free: not called on the ${name} itself (a proxy of it cannot free it)`);
    }
    const ptr = this.__wbg_ptr;
    if (!ptr) return;
    if (inUse.has(this)) {
      this.__destroy_into_raw();
    } else {
      try {
        free.call(this);
        return;
      } catch {
        this.__wbg_ptr = 0; // busy further up the stack
      }
    }
    queueMicrotask(() => release(ptr));
  };
  if (typeof Symbol.dispose === "symbol" && proto !== WasmEventOperationContext.prototype) {
    define(proto, Symbol.dispose, proto.free);
  }
}
// An operation context gives its wasm memory back as soon as its operation
// ends: a loop of operations would otherwise hold every one of them until
// the garbage collector finalizes it, which it does not do while the loop
// runs. The name and id stay readable; what else an ended context does (emit,
// update, ignore a second exit, refuse a second enter) a stand-in rebuilt by
// the core in its ended state does.
function releaseWhenEnded() {
  const endedOf = (self) => (self instanceof WasmEventOperationContext && self.__wbg_ptr === 0 ? self[ENDED] : undefined);
  const release = (ctx) => {
    // A proxy cannot be freed (see instances), and a frozen or sealed context
    // cannot note what it keeps: the garbage collector releases those.
    // Nor is one its handlers freed already.
    if (!instances.has(ctx) || !Object.isExtensible(ctx) || ctx.__wbg_ptr === 0) return;
    ctx[ENDED] = [ctx.operationName, ctx.correlationId];
    ctx.free();
  };
  for (const [key, at] of [["operationName", 0], ["correlationId", 1]]) {
    const { get } = Object.getOwnPropertyDescriptor(proto, key);
    Object.defineProperty(proto, key, { get() {
      const ended = endedOf(this);
      return ended === undefined ? get.call(this) : ended[at];
    }, configurable: true });
  }
  for (const key of ["__enter", "exit", "update", "emit", "__dispose"]) {
    const live = proto[key];
    define(proto, key, { [key](a, b, c) {
      const ended = endedOf(this);
      if (ended === undefined) {
        const result = live.call(this, a, b, c);
        // exit() returned: the operation has ended; __dispose ends one that was entered.
        if (key === "exit" || (key === "__dispose" && this.correlationId !== null)) release(this);
        return result;
      }
      if (this[OWNER].__wbg_ptr === 0) {
        // Its emitter was freed since: nothing to end, nothing to publish with.
        if (key === "exit" || key === "__dispose") return undefined;
        throw new Error(`EventOperationContext.${key === "__enter" ? "enter" : key}: its emitter has been freed`);
      }
      const standIn = WasmEventOperationContext.__ended(this[OWNER], ended[0], ended[1]);
      try {
        return live.call(standIn, a, b, c);
      } finally {
        standIn.free();
      }
    } }[key]);
  }
  const { free } = proto;
  define(proto, "free", function () {
    if (endedOf(this) !== undefined) this[ENDED] = undefined;
    free.call(this);
  });
}

// emit, emitSync and emitAsync: readEmit reads the arguments once; an emit
// that needs only kind checks runs from the core's plan in host.js
// (emitPlanned), any other takes the core's checked path with what was read.
// guardFreed (below) checks the receiver first.
const { __emit: checkedEmit, __emitAsync: checkedEmitAsync } = WasmEventEmitter.prototype;
// Returns RAN, or what the checked path is to take (see emitPlanned). A bus
// freed since only loses counts no one can read any more.
const planned = (emitter, eventType, data, pending, read) => {
  const counts = emitter[OWNER]?.[COUNTS];
  return counts === undefined ? read : emitPlanned(emitter, counts.handle, counts, eventType, data, pending, read);
};
function emitUnguarded(eventType, data, options) {
  const read = planned(this, eventType, data, null, readEmit(eventType, data, options));
  if (read !== RAN) checkedEmit.call(this, read, eventType, data);
}
define(WasmEventEmitter.prototype, "emit", emitUnguarded);
define(WasmEventEmitter.prototype, "emitSync", emitUnguarded);
// An awaited emit: from the plan when it can run, else by `checked` (the
// core's checked path, given what readEmit read), which returns its promise.
function awaitedEmit(emitter, eventType, data, options, checked) {
  const pending = [];
  try {
    const read = planned(emitter, eventType, data, pending, readEmit(eventType, data, options));
    if (read === RAN) return allSettled(pending);
    return checked.call(emitter, read, eventType, data);
  } catch (e) {
    return Promise.reject(e);
  }
}
define(WasmEventEmitter.prototype, "emitAsync", function emitAsync(eventType, data, options) {
  return awaitedEmit(this, eventType, data, options, checkedEmitAsync);
});
// AsyncEventEmitter#emit takes a priority, not options; plans do not carry
// one, so an emit with a priority takes the core's checked path at once.
const { emit: checkedAsyncEmit } = WasmAsyncEventEmitter.prototype;
// Its checked path reads the arguments itself: without options, no getter runs twice.
function checkedAsyncEmitOf(read, eventType, data) {
  return checkedAsyncEmit.call(this, eventType, data, undefined);
}
define(WasmAsyncEventEmitter.prototype, "emit", function emit(eventType, data, priority) {
  if (priority === undefined) return awaitedEmit(this, eventType, data, undefined, checkedAsyncEmitOf);
  return checkedAsyncEmit.call(this, eventType, data, priority);
});

// emitBatch and emitBatchAsync: from plans (emitBatchPlanned in host.js)
// when every item needs only kind checks, else by the core's checked path,
// given copies of what was read.
const { emitBatch: checkedBatch, emitBatchAsync: checkedBatchAsync } = WasmEventEmitter.prototype;
// Returns RAN, or the events the checked path is to take.
function plannedBatch(emitter, events, pending) {
  const counts = emitter[OWNER]?.[COUNTS];
  // Through a proxy, free() of the emitter itself could not be held back.
  if (counts === undefined || inUse.has(emitter) || !instances.has(emitter)) return events;
  const ptr = emitter.__wbg_ptr;
  // Plans are fetched through an object at its address once a handler has freed the emitter.
  const planner = () => (emitter.__wbg_ptr !== 0 ? emitter : atAddress(WasmEventEmitter.prototype, ptr));
  inUse.add(emitter);
  try {
    return emitBatchPlanned(emitter, planner, counts.handle, counts, events, pending);
  } finally {
    inUse.delete(emitter);
  }
}
define(WasmEventEmitter.prototype, "emitBatch", function emitBatch(events) {
  const rest = plannedBatch(this, events, null);
  if (rest !== RAN) checkedBatch.call(this, rest);
});
define(WasmEventEmitter.prototype, "emitBatchAsync", function emitBatchAsync(events) {
  const pending = [];
  try {
    const rest = plannedBatch(this, events, pending);
    if (rest === RAN) return allSettled(pending);
    return checkedBatchAsync.call(this, rest);
  } catch (e) {
    return Promise.reject(e);
  }
});

guardFreed(WasmAsyncEventEmitter, "AsyncEventEmitter", { promising: ["emit"] });
guardFreed(WasmEventBus, "EventBus", { promising: ["publishAsync"] });
guardFreed(WasmEventEmitter, "EventEmitter", { promising: ["emitAsync", "emitBatchAsync"] });
guardFreed(WasmEventOperationContext, "EventOperationContext");
releaseWhenEnded();
// The members the JavaScript classes add.
guardFreed(EventEmitter, "EventEmitter", { ownsFree: false });
guardFreed(AsyncEventEmitter, "AsyncEventEmitter", { ownsFree: false });
guardFreed(ScheduledEmit, "ScheduledEmit");
// The browser bundle is minified without keeping every name (that costs a
// tenth of its JavaScript): the public classes say their own.
for (const [name, cls] of Object.entries({ AsyncEventEmitter, EventBus, EventEmitter, EventOperationContext, ScheduledEmit })) {
  Object.defineProperty(cls, "name", { value: name, configurable: true });
}

// emit and emitSync, run on every event, check their receiver (its class and
// its own address) here, without the guard's extra call; the guarded methods
// still report a wrong or freed one.
for (const key of ["emit", "emitSync"]) {
  const guarded = WasmEventEmitter.prototype[key];
  define(WasmEventEmitter.prototype, key, { [key](eventType, data, options) {
    const ptr = this instanceof WasmEventEmitter ? this.__wbg_ptr : 0;
    if (ptr > 0 && this[PTR] === ptr) emitUnguarded.call(this, eventType, data, options);
    else guarded.call(this, eventType, data, options);
  } }[key]);
}

// The counters of a bus include what host.js counted.
{
  const addCounts = (bus) => {
    const counts = bus instanceof WasmEventBus && bus.__wbg_ptr !== 0 ? bus[COUNTS] : undefined;
    if (counts !== undefined && (counts.published !== 0 || counts.processed !== 0)) {
      bus.__count(counts.published, counts.processed);
      counts.published = counts.processed = 0;
    }
  };
  const checked = { getStats: WasmEventBus.prototype.getStats, resetStats: WasmEventBus.prototype.resetStats };
  function getStats() {
    addCounts(this);
    return checked.getStats.call(this);
  }
  function resetStats() {
    checked.resetStats.call(this);
    const counts = this[COUNTS];
    if (counts !== undefined) counts.published = counts.processed = 0;
  }
  define(WasmEventBus.prototype, "getStats", getStats);
  define(WasmEventBus.prototype, "resetStats", resetStats);
}
usePlanExports(recordFailure, isActive);

function ready() {
  if (EventType === undefined) {
    registerClasses(WasmEventBus, WasmEventEmitter);
    setDefaultBus(new EventBus());
    EventType = eventTypeConstants();
    Priority = priorityConstants();
  }
}

/** Loads the WebAssembly module (browsers: await before use; Node.js: already done). */
export default async function init(input) {
  const exports = await wasmInit(input);
  useDispatchDepth(exports.memory, dispatchDepthAddress());
  ready();
}

/** Loads the WebAssembly module synchronously from its bytes or a compiled module. */
export function initSync(input) {
  const exports = wasmInitSync(input && input.module !== undefined ? input.module : input);
  useDispatchDepth(exports.memory, dispatchDepthAddress());
  ready();
}
