// The JavaScript side of the wasm module's plain ABI (src/js/abi.rs,
// value.rs, ffi.rs): the table of values the module refers to by slot, its
// imports (host.js, translated), its classes and functions, and loading.
import * as host from "../src/js/host.js";

let wasm;
let memory;

// ---- The table of values ----
// Slots 0-3 hold undefined, null, true and false for good; a free slot holds
// the index of the next free one.
const values = [undefined, null, true, false];
let nextFree = values.length;
function add(v) {
  if (v === undefined) return 0;
  if (v === null) return 1;
  if (v === true) return 2;
  if (v === false) return 3;
  if (nextFree === values.length) values.push(values.length + 1);
  const slot = nextFree;
  nextFree = values[slot];
  values[slot] = v;
  return slot;
}
function release(slot) {
  if (slot < 4) return;
  values[slot] = nextFree;
  nextFree = slot;
}
function take(slot) {
  const v = values[slot];
  release(slot);
  return v;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { ignoreBOM: true, fatal: true });
const bytes = () => new Uint8Array(memory.buffer);
const text = (ptr, len) => decoder.decode(bytes().subarray(ptr, ptr + len));

// ---- Failures ----
// An export that fails hands its error to `fail` and returns; the call's
// wrapper throws it then (see `done`).
let failed = false;
let failure;
function done(result) {
  if (failed) {
    failed = false;
    const e = failure;
    failure = undefined;
    throw e;
  }
  return result;
}
// What an import that catches threw, for take_thrown.
let thrown;
const catching = (f) => (...a) => {
  try {
    return f(...a);
  } catch (e) {
    thrown = e;
    return -1;
  }
};

// ---- Imports ----
// The build shortens the keys of `imports` that hold an underscore, and the
// module's import names with them (scripts/build.mjs): such a key is named
// nowhere else in js/ and src/js/host.js.
const v = (slot) => values[slot];
const ERRORS = [Error, TypeError, RangeError, SyntaxError];
const classes = [];
const imports = {
  clone_value: (s) => add(values[s]),
  drop_value: release,
  string_from: (ptr, len) => add(text(ptr, len)),
  string_of(s, out) {
    const value = values[s];
    if (typeof value !== "string") return 0;
    // Room for the longest UTF-8 form, written in place (the Rust String owns it).
    const room = Math.max(value.length * 3, 1);
    const ptr = wasm.alloc(room);
    const { written } = encoder.encodeInto(value, bytes().subarray(ptr, ptr + room));
    new Uint32Array(memory.buffer, out, 3).set([ptr, written, room]);
    return 1;
  },
  string_length: (s) => values[s].length,
  number_from: add,
  number_of: v,
  array_new: () => add([]),
  array_push: (a, s) => void values[a].push(values[s]),
  array_length: (a) => values[a].length,
  array_get: (a, i) => add(values[a][i]),
  object_new: () => add({}),
  object_from_entries(e, freeze) {
    const o = Object.fromEntries(values[e]);
    return add(freeze ? Object.freeze(o) : o);
  },
  object_set: (o, k, s) => void (values[o][values[k]] = values[s]),
  get(o, k) {
    try {
      return add(values[o][values[k]]);
    } catch {
      return 0;
    }
  },
  error_new: (kind, ptr, len) => add(new ERRORS[kind](text(ptr, len))),
  fail(e) {
    failure = take(e);
    failed = true;
  },
  wrap: (c, ptr) => add(classes[c].__wrap(ptr)),
  take_thrown() {
    const e = thrown;
    thrown = undefined;
    return add(e);
  },
  call1: catching((f, a) => void values[f](values[a])),

  make_event: (t, s, c, d, m, o, p) => add(host.makeEvent(v(t), v(s), v(c), v(d), v(m), v(o), p)),
  make_given_event: (t, s, c, d, m, o, p, id, ts) =>
    add(host.makeGivenEvent(v(t), v(s), v(c), v(d), v(m), v(o), p, v(id), v(ts))),
  new_id: () => add(host.newId()),
  take_last: () => add(host.takeLast()),
  kind_of: (s) => host.kindOf(values[s]),
  read_emit_options: (s) => host.readEmitOptions(values[s]),
  plans_changed: host.plansChanged,
  read_emit: (t, d, o) => host.readEmit(values[t], values[d], values[o]),
  take_field: (i) => add(host.takeField(i)),
  copy_record: (s) => add(host.copyRecord(values[s])),
  copy_array: (s) => add(host.copyArray(values[s])),
  non_string_value: (s) => add(host.nonStringValue(values[s])),
  is_frozen: (s) => host.isFrozen(values[s]),
  is_instance: (s, c) => host.isInstance(values[s], values[c]),
  is_well_formed: (s) => host.isWellFormed(values[s]),
  read_field: (o, k) => add(host.readField(values[o], values[k])),
  read_failed: host.readFailed,
  new_hub: () => add(host.newHub()),
  weak_ref: (s) => add(host.weakRef(values[s])),
  deref: (s) => add(host.deref(values[s])),
  hub_set: (h, k, s) => host.hubSet(values[h], values[k], values[s]),
  hub_delete: (h, k) => host.hubDelete(values[h], values[k]),
  invoke: (h, e, token) => host.invoke(values[h], values[e], token),
  accepts: (f, e) => host.accepts(values[f], values[e]),
  is_aborted: (s) => host.isAborted(values[s]),
  on_abort: catching((s, handle, id, serial) => void host.onAbort(values[s], handle, values[id], serial)),
  all_settled: (s) => add(host.allSettled(values[s])),
  rejected: (s) => add(host.rejected(values[s])),
  deferred: () => add(host.deferred()),
  start_timer: (delay, token) => add(host.startTimer(delay, token)),
  stop_timer: (s) => host.stopTimer(values[s]),
  monotonic_ms: host.monotonicMs,
  snapshot: (s) => add(host.snapshot(values[s])),
  copy: (s) => add(host.copy(values[s])),
  build_object: (kv, s) => add(host.buildObject(values[kv], values[s])),
  error_message: (s) => add(host.errorMessage(values[s])),
  json_stringify: catching((s) => add(host.jsonStringify(values[s]))),
  json_parse: catching((s) => add(host.jsonParse(values[s]))),
  to_exponential: (x) => add(host.toExponential(x)),
  show_number: (x) => add(String(x)),
  type_slot: (s) => host.typeSlot(values[s]),
  remember_type: (s, slot) => host.rememberType(values[s], slot),
  forget_types: host.forgetTypes,
  set_logger_object: (s) => host.setLoggerObject(values[s]),
  report: (m, e) => host.report(values[m], values[e]),
};

// ---- Exports ----
// A member's arguments: "v" a value (passed by slot), "n" a number. Its
// result: "v" a value, "b" a boolean, "n" a number or nothing, or a class
// whose new object stands for the address returned.
const result = (kind) =>
  kind === "v" ? (r) => take(done(r))
  : kind === "b" ? (r) => done(r) !== 0
  : kind === "n" ? done
  : (r) => kind.__wrap(done(r));
// The slots of the arguments of the exports under way, innermost call last.
// An export only borrows its arguments (src/js/abi.rs): each call releases
// its own once the export has returned or thrown, so they stay valid while
// it runs, through any call of another export from a handler it runs.
const held = [];
const pass = (spec, x) => (spec === "v" ? held[held.push(add(x)) - 1] : x);
function unwind(mark) {
  while (held.length > mark) release(held.pop());
}

// The exports the classes and functions below call, by their names in
// src/js. The build renames each of them in the module to its position in
// this list (base 36), the name the glue then asks for: the download
// carries no long export names.
export const exportNames = [];
const exported = (name) => (exportNames.push(name) - 1).toString(36);

// A function calling export `name` (by its code, see above) with `args`, on
// `this`'s address when `self`, which releases the slots of its arguments
// once the export has returned or thrown. One per arity: only the arguments
// declared are passed.
function member(name, args, kind, self) {
  const code = exported(name);
  const out = result(kind);
  const [a, b, c, d, e] = args;
  if (self) {
    switch (args.length) {
      case 0: return function () { return out(wasm[code](this.__wbg_ptr)); };
      case 1: return function (x0) { const m = held.length; try { return out(wasm[code](this.__wbg_ptr, pass(a, x0))); } finally { unwind(m); } };
      case 2: return function (x0, x1) { const m = held.length; try { return out(wasm[code](this.__wbg_ptr, pass(a, x0), pass(b, x1))); } finally { unwind(m); } };
      case 3: return function (x0, x1, x2) { const m = held.length; try { return out(wasm[code](this.__wbg_ptr, pass(a, x0), pass(b, x1), pass(c, x2))); } finally { unwind(m); } };
      default: return function (x0, x1, x2, x3) { const m = held.length; try { return out(wasm[code](this.__wbg_ptr, pass(a, x0), pass(b, x1), pass(c, x2), pass(d, x3))); } finally { unwind(m); } };
    }
  }
  switch (args.length) {
    case 0: return () => out(wasm[code]());
    case 1: return (x0) => { const m = held.length; try { return out(wasm[code](pass(a, x0))); } finally { unwind(m); } };
    case 2: return (x0, x1) => { const m = held.length; try { return out(wasm[code](pass(a, x0), pass(b, x1))); } finally { unwind(m); } };
    case 3: return (x0, x1, x2) => { const m = held.length; try { return out(wasm[code](pass(a, x0), pass(b, x1), pass(c, x2))); } finally { unwind(m); } };
    case 4: return (x0, x1, x2, x3) => { const m = held.length; try { return out(wasm[code](pass(a, x0), pass(b, x1), pass(c, x2), pass(d, x3))); } finally { unwind(m); } };
    default: return (x0, x1, x2, x3, x4) => { const m = held.length; try { return out(wasm[code](pass(a, x0), pass(b, x1), pass(c, x2), pass(d, x3), pass(e, x4))); } finally { unwind(m); } };
  }
}

// A class whose objects stand for Rust objects at `__wbg_ptr` (0 once
// freed); `members` maps each JavaScript name ("get x", "set x", "static x")
// to [args, result].
function define(Class, prefix, id, members) {
  const free = exported(`${prefix}_free`);
  const finalization = typeof FinalizationRegistry === "undefined"
    ? { register() {}, unregister() {} }
    : new FinalizationRegistry((ptr) => {
      wasm[free](ptr);
      failed = false; // an object still busy cannot be unreachable
    });
  Class.__construct = function (object, ptr) {
    object.__wbg_ptr = ptr;
    finalization.register(object, ptr, object);
    return object;
  };
  Class.__wrap = (ptr) => Class.__construct(Object.create(Class.prototype), ptr);
  const proto = Class.prototype;
  const methods = {
    __destroy_into_raw() {
      const ptr = this.__wbg_ptr;
      this.__wbg_ptr = 0;
      finalization.unregister(this);
      return ptr;
    },
    free() {
      wasm[free](this.__destroy_into_raw());
      done();
    },
  };
  for (const [key, fn] of Object.entries(methods)) {
    Object.defineProperty(proto, key, { value: fn, writable: true, configurable: true });
  }
  for (const [key, [args, kind]] of Object.entries(members)) {
    const [word, name] = key.includes(" ") ? key.split(" ") : ["", key];
    if (word === "static") {
      Class[name] = member(`${prefix}_${name}`, args, kind, false);
    } else if (word === "") {
      Object.defineProperty(proto, name, { value: member(`${prefix}_${name}`, args, kind, true), writable: true, configurable: true });
    } else {
      const d = Object.getOwnPropertyDescriptor(proto, name) ?? { configurable: true };
      d[word] = member(`${prefix}_${word}_${name}`, args, kind, true);
      Object.defineProperty(proto, name, d);
    }
  }
  if (typeof Symbol.dispose === "symbol") proto[Symbol.dispose] = proto.free;
  classes[id] = Class;
}

// Constructors: the address of the new Rust object.
const newBus = member("eventbus_new", "v", "n", false);
const newContext = member("eventoperationcontext_new", "vvv", "n", false);
const newEmitter = member("eventemitter_new", "vv", "n", false);
const newAsyncEmitter = member("asynceventemitter_new", "vv", "n", false);

export class EventBus {
  constructor(options) {
    EventBus.__construct(this, newBus(options));
  }
}
export class EventOperationContext {
  constructor(emitter, operationName, operationData) {
    EventOperationContext.__construct(this, newContext(emitter, operationName, operationData));
  }
}
export class ScheduledEmit {}
export class EventEmitter {
  constructor(source, eventBus) {
    EventEmitter.__construct(this, newEmitter(source, eventBus));
  }
}
export class AsyncEventEmitter {
  constructor(source, bus) {
    AsyncEventEmitter.__construct(this, newAsyncEmitter(source, bus));
  }
}

define(EventBus, "eventbus", 0, {
  "get __handle": ["", "n"],
  __takeHub: ["", "v"],
  subscribe: ["vvv", "v"],
  unsubscribe: ["v", "b"],
  publish: ["v", "n"],
  publishAsync: ["v", "v"],
  getStats: ["", "v"],
  resetStats: ["", "n"],
  "get deadLetterQueue": ["", "v"],
  shutdown: ["", "n"],
  __count: ["nn", "n"],
});
define(EventOperationContext, "eventoperationcontext", 1, {
  "static __ended": ["vvv", EventOperationContext],
  "get correlationId": ["", "v"],
  "get operationName": ["", "v"],
  __enter: ["", "n"],
  exit: ["v", "n"],
  update: ["v", "n"],
  emit: ["vvv", "n"],
  __dispose: ["", "n"],
});
define(ScheduledEmit, "scheduledemit", 2, {
  "get done": ["", "v"],
  cancel: ["", "b"],
});
define(EventEmitter, "eventemitter", 3, {
  "get __handle": ["", "n"],
  "get source": ["", "v"],
  "get enabled": ["", "b"],
  "set enabled": ["v", "n"],
  "get defaultCorrelationId": ["", "v"],
  "get defaultMetadata": ["", "v"],
  __emit: ["nvv", "n"],
  __emitAsync: ["nvv", "v"],
  __plan: ["v", "v"],
  emitBatch: ["v", "n"],
  emitBatchAsync: ["v", "v"],
  startOperation: ["vv", "v"],
  updateOperation: ["vvv", "n"],
  endOperation: ["vvv", "n"],
  emitError: ["vvv", "n"],
  emitMetric: ["vvv", "n"],
  emitAlert: ["vvvv", "n"],
  setCorrelationContext: ["v", "n"],
  clearCorrelationContext: ["", "n"],
  setDefaultMetadata: ["v", "n"],
  enable: ["", "n"],
  disable: ["", "n"],
});
define(AsyncEventEmitter, "asynceventemitter", 4, {
  "get source": ["", "v"],
  __plan: ["v", "v"],
  emit: ["vvv", "v"],
  emitLater: ["vvv", ScheduledEmit],
});

const fn = (name, args, kind) => member(`fn_${name}`, args, kind, false);
export const __dispatchDepthAddress = fn("__dispatchDepthAddress", "", "n");
export const __isActive = fn("__isActive", "nn", "b");
export const __recordFailure = fn("__recordFailure", "nvvvv", "n");
export const createEvent = fn("createEvent", "vvv", "v");
export const emitEvent = fn("emitEvent", "vvvv", "n");
export const eventFromJSON = fn("eventFromJSON", "v", "v");
export const eventToJSON = fn("eventToJSON", "v", "v");
export const eventTypeConstants = fn("eventTypeConstants", "", "v");
export const fromCloudEvent = fn("fromCloudEvent", "v", "v");
export const getEventBus = fn("getEventBus", "", "v");
export const priorityConstants = fn("priorityConstants", "", "v");
export const registerClasses = fn("registerClasses", "vv", "n");
export const setDefaultBus = fn("setDefaultBus", "v", "n");
export const setLogger = fn("setLogger", "v", "n");
export const toCloudEvent = fn("toCloudEvent", "v", "v");

// ---- Loading ----
function ready(instance) {
  wasm = instance.exports;
  memory = wasm.memory;
  // Callbacks hand their values over: Rust releases them (see `owned` in
  // src/js/abi.rs), unlike the arguments of the exports above.
  host.installCallbacks(
    (token, ok, value, event) => done(wasm.cb_settle(token, ok, add(value), add(event))),
    (token) => done(wasm.cb_fire(token)),
    (handle, id, serial) => done(wasm.cb_aborted(handle, add(id), serial)),
  );
  return wasm;
}

/** Instantiates the module from its bytes or a compiled `WebAssembly.Module`. */
export function initSync(module) {
  if (wasm !== undefined) return wasm;
  if (!(module instanceof WebAssembly.Module)) module = new WebAssembly.Module(module);
  return ready(new WebAssembly.Instance(module, { h: imports }));
}

/**
 * Fetches and instantiates the module: from `input` (a URL, a path, a
 * Request, a Response or a promise of one, bytes, or a compiled module), by
 * default the .wasm file next to this script.
 */
export default async function init(input) {
  if (wasm !== undefined) return wasm;
  input ??= new URL("codomyrmex_events_bg.wasm", import.meta.url);
  if (typeof input === "string" || (typeof Request === "function" && input instanceof Request) || input instanceof URL) {
    input = fetch(input);
  }
  input = await input;
  const imported = { h: imports };
  if (typeof Response === "function" && input instanceof Response) {
    if (!input.ok) throw new Error(`failed to fetch Wasm: ${input.status} ${input.statusText} fetching '${input.url}'`);
    if (typeof WebAssembly.instantiateStreaming === "function" && input.headers.get("Content-Type") === "application/wasm") {
      return ready((await WebAssembly.instantiateStreaming(input, imported)).instance);
    }
    input = await input.arrayBuffer();
  }
  const made = await WebAssembly.instantiate(input, imported);
  return ready(made instanceof WebAssembly.Instance ? made : made.instance);
}
