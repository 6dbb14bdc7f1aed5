// What the wasm binding needs from JavaScript: frozen event objects, handler
// calls that report how they ended, promise watching, timers, randomness and
// the logger, and the running of the core's plans of emits (at the end).
// Every rule lives in Rust; these translate, or follow what the core decided.

// The character codes of each byte's two hex digits.
const HIGH = new Uint8Array(256);
const LOW = new Uint8Array(256);
for (let i = 0; i < 256; i++) {
  HIGH[i] = "0123456789abcdef".charCodeAt(i >> 4);
  LOW[i] = "0123456789abcdef".charCodeAt(i & 15);
}
const DASH = 45;

// UUID v4 ids from randomness drawn in bulk: one getRandomValues call serves
// 4096 ids (a call per id cost more than the rest of an emit; 64 KiB is the
// most one call may fill). One fromCharCode call makes the string flat, at
// once: joining 20 pieces with "+" took half as long again.
const pool = new Uint8Array(65536);
let used = pool.length;
export function newId() {
  if (used === pool.length) {
    globalThis.crypto.getRandomValues(pool);
    used = 0;
  }
  const b = pool, i = used;
  used += 16;
  const b0 = b[i], b1 = b[i + 1], b2 = b[i + 2], b3 = b[i + 3], b4 = b[i + 4], b5 = b[i + 5];
  const b6 = (b[i + 6] & 0x0f) | 0x40, b7 = b[i + 7], b8 = (b[i + 8] & 0x3f) | 0x80, b9 = b[i + 9];
  const b10 = b[i + 10], b11 = b[i + 11], b12 = b[i + 12], b13 = b[i + 13], b14 = b[i + 14], b15 = b[i + 15];
  return String.fromCharCode(
    HIGH[b0], LOW[b0], HIGH[b1], LOW[b1], HIGH[b2], LOW[b2], HIGH[b3], LOW[b3], DASH,
    HIGH[b4], LOW[b4], HIGH[b5], LOW[b5], DASH,
    HIGH[b6], LOW[b6], HIGH[b7], LOW[b7], DASH,
    HIGH[b8], LOW[b8], HIGH[b9], LOW[b9], DASH,
    HIGH[b10], LOW[b10], HIGH[b11], LOW[b11], HIGH[b12], LOW[b12],
    HIGH[b13], LOW[b13], HIGH[b14], LOW[b14], HIGH[b15], LOW[b15],
  );
}

// An event's metadata: the defaults, then the per-call fields over them, frozen.
function merged(metadata, over) {
  return over === undefined ? metadata : Object.freeze({ ...metadata, ...over });
}

// One call builds the whole event: a fresh id, the current time, and the
// metadata {...metadata, ...over} when there is an over.
export function makeEvent(eventType, source, correlationId, data, metadata, over, priority) {
  return Object.freeze({
    eventType,
    source,
    eventId: newId(),
    timestamp: Date.now(),
    correlationId,
    data,
    metadata: merged(metadata, over),
    priority,
  });
}
// The same, with the id and the time given unless undefined (written out
// again rather than called from makeEvent, which every emit runs).
export function makeGivenEvent(eventType, source, correlationId, data, metadata, over, priority, eventId, timestamp) {
  return Object.freeze({
    eventType,
    source,
    eventId: eventId === undefined ? newId() : eventId,
    timestamp: timestamp === undefined ? Date.now() : timestamp,
    correlationId,
    data,
    metadata: merged(metadata, over),
    priority,
  });
}

// The value a call left behind: a thrown value or a promise.
let last;
export function takeLast() {
  const v = last;
  last = undefined;
  return v;
}

// Type codes for argument checks, so that one call tells the type.
export function kindOf(v) {
  switch (typeof v) {
    case "undefined":
      return 0;
    case "object":
      if (v === null) return 1;
      try {
        return Array.isArray(v) ? 3 : 2;
      } catch {
        return 2; // a revoked proxy: an object whose every use throws
      }
    case "function":
      return 4;
    case "string":
      return 5;
    case "number":
      return 6;
    case "boolean":
      return 7;
    default:
      return 8;
  }
}

// Reads an emit's correlationId, metadata and priority in one call: returns
// their kinds packed 4 bits each, plus (1 + i) << 12 when the i-th getter
// threw (see takeLast). takeField(i) then hands over a field once. The
// metadata is not copied here: it is spread once, where it is merged (by
// emitPlanned, or by the core's checked path, which copies it first).
const fields = [undefined, undefined, undefined];
export function readEmitOptions(o) {
  let i = 0;
  try {
    fields[0] = o.correlationId;
    i = 1;
    fields[1] = o.metadata;
    i = 2;
    fields[2] = o.priority;
  } catch (e) {
    fields.fill(undefined);
    last = e;
    return (1 + i) << 12;
  }
  return kindOf(fields[0]) | (kindOf(fields[1]) << 4) | (kindOf(fields[2]) << 8);
}

// All of an emit's (eventType, data, options) in one call: bits 0-3 the kind
// of data, 4-7 the kind of options, 8-21 what readEmitOptions read of an
// options object, and from bit 22 on 1 + the slot of an event type already
// checked (0: not seen before; see typeSlot).
export function readEmit(eventType, data, options) {
  const slot = slotOf(eventType);
  const optionsKind = kindOf(options);
  const read = optionsKind === 2 || optionsKind === 3 ? readEmitOptions(options) : 0;
  // Kept apart as well, for emitPlanned, which runs right after.
  readSlot = slot === undefined ? -1 : slot;
  readKinds = kindOf(data) | (optionsKind << 4) | (read << 8);
  return packRead(readSlot, readKinds);
}
const packRead = (slot, kinds) => (slot + 1) * 4194304 + kinds;
let readSlot = -1;
let readKinds = 0;
export function takeField(i) {
  const v = fields[i];
  fields[i] = undefined;
  return v;
}

// A copy of a record the host will spread, made where a getter or a proxy
// trap that throws is caught, so the copy is safe to use anywhere later; or
// undefined with readFailed() set.
export function copyRecord(v) {
  try {
    return { ...v };
  } catch (e) {
    last = e;
    failed = true;
    return undefined;
  }
}
// A plain array copy of an array (or array-like proxy), or undefined with readFailed() set.
export function copyArray(v) {
  try {
    return Array.from(v);
  } catch (e) {
    last = e;
    failed = true;
    return undefined;
  }
}
// The key of the first own value that is not a string, "" if all are, or
// undefined with readFailed() set.
export function nonStringValue(record) {
  try {
    for (const [k, v] of Object.entries(record)) if (typeof v !== "string") return k;
    return "";
  } catch (e) {
    last = e;
    failed = true;
    return undefined;
  }
}

export function isFrozen(value) {
  try {
    return Object.isFrozen(value);
  } catch {
    return false; // a proxy whose traps throw
  }
}

export function isInstance(value, Class) {
  try {
    return value instanceof Class;
  } catch {
    return false;
  }
}

export function isWellFormed(text) {
  return typeof text.isWellFormed === "function" ? text.isWellFormed() : !/[\uD800-\uDFFF]/.test(text.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, ""));
}

// Reads object[key]. A getter that throws yields undefined, and readFailed()
// then tells so (the thrown value is in takeLast).
let failed = false;
export function readField(object, key) {
  try {
    return object[key];
  } catch (e) {
    last = e;
    failed = true;
    return undefined;
  }
}
export function readFailed() {
  const f = failed;
  failed = false;
  return f;
}

// Handlers and filters are held strongly by their bus's hub, a Map that only
// JavaScript objects refer to (the bus, its emitters, pending timers); the
// wasm side holds WeakRefs. So a handler that refers to its own bus does not
// keep the bus alive through wasm, where the garbage collector cannot look.
export function newHub() {
  return new Map();
}
export function weakRef(value) {
  return new WeakRef(value);
}
export function deref(ref) {
  return ref.deref();
}
export function hubSet(hubRef, key, value) {
  const hub = hubRef.deref();
  if (hub !== undefined) hub.set(key, value);
}
// A handler may carry a function under this symbol, called (later, outside
// the bus's own bookkeeping) once its subscription is gone for any reason.
const RELEASE = Symbol.for("codomyrmex-events.release");
export function hubDelete(hubRef, key) {
  const hub = hubRef.deref();
  if (hub === undefined) return;
  const released = hub.get(key);
  hub.delete(key);
  try {
    const release = typeof released === "function" ? released[RELEASE] : undefined;
    if (typeof release === "function") queueMicrotask(release);
  } catch {
    // A handler that is a proxy whose traps throw has no release hook.
  }
}

// 0: returned, 1: returned a thenable, 2: threw (see takeLast). A thenable is
// watched at once under `token`: takeLast then hands over a promise that
// settles after the bus has recorded the outcome, and never rejects.
// `handlerRef` is a WeakRef (see the hub above).
export function invoke(handlerRef, event, token) {
  const handler = handlerRef.deref();
  if (handler === undefined) return 0;
  try {
    const r = handler(event);
    if (r === undefined || r === null || typeof r.then !== "function") return 0;
    // Throws here (a then() or constructor getter that throws) fail the call at once.
    last = Promise.resolve(r).then(
      () => done(token, true, undefined, undefined),
      (e) => done(token, false, e, event),
    );
    return 1;
  } catch (e) {
    last = e;
    return 2;
  }
}

// `event` goes back with a failure, for its dead letter.
function done(token, ok, value, event) {
  recording(settle, token, ok, value, event);
}

// Records a handler's result; a failure to do so is reported, never thrown
// into the promise chain of the handler.
function recording(record, ...args) {
  try {
    record(...args);
  } catch (e) {
    report("event bus failed to record a handler result", e);
  }
}

// 1: accepted, 0: skipped, 2: the filter threw (see takeLast). `filterRef` is a WeakRef.
export function accepts(filterRef, event) {
  const filter = filterRef.deref();
  if (filter === undefined) return 0;
  try {
    const r = filter(event);
    if (r !== null && (typeof r === "object" || typeof r === "function") && typeof r.then === "function") {
      // A promise is no answer; its rejection must not go unhandled either.
      Promise.resolve(r).catch(() => {});
      last = new TypeError("a filter must return a boolean synchronously, not a promise");
      return 2;
    }
    return r ? 1 : 0;
  } catch (e) {
    last = e;
    return 2;
  }
}

let settle = () => {};
let fire = () => {};
let aborted = () => {};
export function installCallbacks(onSettle, onFire, onAborted) {
  settle = onSettle;
  fire = onFire;
  aborted = onAborted;
}

export function isAborted(signal) {
  try {
    return Boolean(signal.aborted);
  } catch {
    return true; // a signal that cannot be read is no signal to subscribe under
  }
}

// Removes a subscription when its AbortSignal aborts. The listener holds
// only numbers and a string, never the bus itself.
export function onAbort(signal, handle, id, serial) {
  signal.addEventListener("abort", () => aborted(handle, id, serial), { once: true });
}

// One promise for the results of the handlers still running of one emit,
// each of which settles to undefined and never rejects.
export function allSettled(list) {
  return list.length === 0 ? Promise.resolve() : list.length === 1 ? list[0] : Promise.all(list).then(() => undefined);
}
export function rejected(error) {
  return Promise.reject(error);
}
export function deferred() {
  let resolve;
  const promise = new Promise((r) => (resolve = r));
  return { promise, resolve };
}

// setTimeout fires at once past 2^31-1 ms, so long delays are chained.
const MAX_TIMER_MS = 2147483647;
export function startTimer(delayMs, token) {
  const timer = { id: undefined };
  const arm = (left) => {
    timer.id = left > MAX_TIMER_MS ? setTimeout(arm, MAX_TIMER_MS, left - MAX_TIMER_MS) : setTimeout(fire, left, token);
  };
  arm(delayMs);
  return timer;
}
export function stopTimer(timer) {
  clearTimeout(timer.id);
}

export function monotonicMs() {
  return performance.now();
}

export function snapshot(value) {
  return Object.freeze({ ...value });
}
export function copy(value) {
  return { ...value };
}
// keysAndValues: [k0, v0, k1, v1, ...] with the core's own keys; spread goes
// through object spread so that a "__proto__" key stays a plain property.
export function buildObject(keysAndValues, spread) {
  const o = {};
  for (let i = 0; i < keysAndValues.length; i += 2) o[keysAndValues[i]] = keysAndValues[i + 1];
  return spread === undefined ? o : { ...o, ...spread };
}

// The message of a thrown value: its message, else String(value), else "Unknown error".
export function errorMessage(error) {
  try {
    if (error !== null && (typeof error === "object" || typeof error === "function") && typeof error.message === "string") {
      return error.message;
    }
    return String(error);
  } catch {
    return "Unknown error";
  }
}

export function jsonStringify(value) {
  return JSON.stringify(value);
}
export function jsonParse(text) {
  return JSON.parse(text);
}
// The shortest digits that read back as x, in exponent form ("1.7e+9").
export function toExponential(x) {
  return x.toExponential();
}

// Event types already checked, by value; the binding keeps the checked form at the index.
const typeSlots = new Map();
// The last type found, as emits mostly repeat one type.
let lastType, lastSlot;
// The slot of a type already checked, or undefined.
function slotOf(eventType) {
  if (eventType === lastType) return lastSlot;
  const slot = typeSlots.get(eventType);
  if (slot !== undefined) {
    lastType = eventType;
    lastSlot = slot;
  }
  return slot;
}
export function typeSlot(value) {
  return slotOf(value) ?? -1;
}
export function rememberType(value, slot) {
  typeSlots.set(value, slot);
}
export function forgetTypes() {
  typeSlots.clear();
  lastType = lastSlot = undefined;
  plansChanged(); // plans are kept by slot
}

let logger = console;
export function setLoggerObject(value) {
  logger = value;
}
export function report(message, error) {
  const l = logger;
  if (l === null) return;
  try {
    if (typeof l.error === "function") l.error(message, error);
  } catch {
    // A failing logger must not break dispatch.
  }
}

// ---- Emits run from the core's plans ----
// The core plans an emitter's emits of one event type (`__plan`: enabled,
// source, default correlation id and metadata, and the subscriptions reached
// in dispatch order). An emit whose arguments need nothing more than kind
// checks runs that plan here, without crossing into wasm, the way the core's
// own dispatch runs (Bus::publish_with): published, then each subscription's
// filter and handler, a failure recorded by the core, a promise watched. A
// plan holds until the core reports a change (plansChanged); nested emits,
// per-call priorities and anything unusual take the core's checked path.

let epoch = 0;
// Plans hold their handlers strongly (a WeakRef's deref costs more than the
// rest of a call), so each is emptied as soon as it is out of date.
const livePlans = [];
const LIVE_PLAN_LIMIT = 1024;
export function plansChanged() {
  epoch++;
  for (const plan of livePlans) plan.routes = [];
  livePlans.length = 0;
}

// The core's count of dispatches under way, in wasm memory: an emit run here
// counts itself there, so the depth limit sees every level.
let memory;
let depthIndex = 0;
let depthView = new Int32Array(0);
export function useDispatchDepth(wasmMemory, address) {
  memory = wasmMemory;
  depthIndex = address >> 2;
}
// A view of a buffer that memory.grow detached has length 0.
function depthOf() {
  if (depthView.length === 0) depthView = new Int32Array(memory.buffer);
  return depthView;
}

const PLAN = Symbol("plan");

// Whether the kinds readEmit read ask for no more than kind checks: data and
// options absent or plain objects, a correlationId string or null, metadata a
// plain object, no priority, no getter that threw.
function plainEmit(kinds) {
  const dataKind = kinds & 15, optionsKind = (kinds >> 4) & 15;
  const correlationKind = (kinds >> 8) & 15, metadataKind = (kinds >> 12) & 15;
  return (dataKind === 0 || dataKind === 2) && (optionsKind === 0 || optionsKind === 2) &&
    (correlationKind === 0 || correlationKind === 1 || correlationKind === 5) &&
    (metadataKind === 0 || metadataKind === 2) && kinds >> 16 === 0;
}

// The plan of `emitter`'s emits of the type in slot `slot`, fetched when
// missing from `planner()`, when given, else from the emitter.
function planOf(emitter, slot, eventType, planner) {
  let plan = emitter[PLAN];
  if (plan === undefined || plan.epoch !== epoch) {
    // Emitters come and go without the core hearing of it: the list of live
    // plans starts over when it grows long, so it cannot keep dead ones.
    if (livePlans.length >= LIVE_PLAN_LIMIT) plansChanged();
    plan = { epoch, enabled: false, source: undefined, correlationId: null, metadata: undefined, routes: [] };
    Object.defineProperty(emitter, PLAN, { value: plan, writable: true, configurable: true });
    livePlans.push(plan);
  }
  if (plan.routes[slot] === undefined) {
    const p = (planner === undefined ? emitter : planner()).__plan(eventType);
    plan.enabled = p[0];
    plan.source = p[1];
    plan.correlationId = p[2];
    plan.metadata = p[3];
    const route = [];
    for (let i = 4; i < p.length; i += 4) {
      route.push({ handler: p[i].deref(), filter: p[i + 1], id: p[i + 2], serial: p[i + 3] });
    }
    plan.routes[slot] = route;
  }
  return plan;
}

// What emitPlanned returns when it ran the emit.
export const RAN = -1;

// What readEmitOptions reads of options whose metadata threw (its second field).
const METADATA_UNREADABLE = (1 + 1) << 12;

// Runs the emit whose arguments readEmit has just read (`read`) from its
// plan, and returns RAN; otherwise returns what the checked path is to take:
// `read`, or, when the per-call metadata threw while merged, a read saying so
// (the thrown value in takeLast). `counts` are the bus's publications and
// processed calls not yet added to the core's (js/api.mjs adds them before
// the counters are read); `pending`, when an array, collects the promises of
// handlers still running.
export function emitPlanned(emitter, busHandle, counts, eventType, data, pending, read) {
  const kinds = readKinds, slot = readSlot;
  if (slot < 0 || !plainEmit(kinds) || depthOf()[depthIndex] !== 0) return read;
  const plan = planOf(emitter, slot, eventType);
  const route = plan.routes[slot];
  // Fields of an absent kind may be left over from an earlier read.
  const correlationId = ((kinds >> 8) & 15) === 5 ? fields[0] : plan.correlationId;
  const over = ((kinds >> 12) & 15) === 2 ? fields[1] : undefined;
  fields[0] = fields[1] = fields[2] = undefined;
  let metadata = plan.metadata;
  if (over !== undefined) {
    try {
      metadata = merged(metadata, over);
    } catch (e) {
      last = e;
      return packRead(slot, (kinds & 0xff) | (METADATA_UNREADABLE << 8));
    }
  }
  if (!plan.enabled) return RAN;
  counts.published++;
  if (route.length > 0) {
    const event = makeEvent(eventType, plan.source, correlationId, data === undefined ? {} : data, metadata, undefined, 0);
    dispatch(route, busHandle, counts, eventType, event, pending);
  }
  return RAN;
}

// Delivers `event` along `route`, as the core's dispatch would: filters,
// failures to the dead letters, counts, the promises of handlers still running.
function dispatch(route, busHandle, counts, eventType, event, pending) {
  const start = epoch;
  depthOf()[depthIndex]++;
  try {
    for (let i = 0; i < route.length; i++) {
      const s = route[i];
      // A handler changed something: the subscription may be gone.
      if (epoch !== start && !isActiveSubscription(busHandle, s.serial)) continue;
      if (s.filter !== undefined) {
        const accepted = accepts(s.filter, event);
        if (accepted === 0) continue;
        if (accepted === 2) {
          recordFailureOf(busHandle, s.id, eventType, event, takeLast());
          continue;
        }
      }
      const handler = s.handler;
      if (handler === undefined) {
        counts.processed++;
        continue;
      }
      try {
        const r = handler(event);
        if (r === undefined || r === null || typeof r.then !== "function") {
          counts.processed++;
          continue;
        }
        const watched = Promise.resolve(r).then(
          () => {
            counts.processed++;
          },
          (e) => recording(recordFailureOf, busHandle, s.id, eventType, event, e),
        );
        if (pending !== null) pending.push(watched);
      } catch (e) {
        recordFailureOf(busHandle, s.id, eventType, event, e);
      }
    }
  } finally {
    depthOf()[depthIndex]--;
  }
}

// emitBatch and emitBatchAsync from plans: every item is read once, and all
// of them are checked, before anything is published; then each is published
// as emitPlanned publishes an emit, with its emitter as it is at that item's
// turn. Returns RAN, or the array the core's checked path is to take instead:
// the items read so far as plain copies (a read that threw throws the same
// again), then those not read yet, so that no getter runs twice. `planner`
// gives what to fetch plans from (see planOf).
export function emitBatchPlanned(emitter, planner, busHandle, counts, events, pending) {
  if (kindOf(events) !== 3 || depthOf()[depthIndex] !== 0) return events;
  let items;
  try {
    items = Array.from(events);
  } catch (e) {
    return throwingAt([], 0, e);
  }
  const copies = [];
  const slots = [];
  for (let i = 0; i < items.length; i++) {
    const slot = readItem(items[i], copies);
    if (slot < 0) return copies.concat(items.slice(i + 1));
    slots.push(slot);
  }
  for (let i = 0; i < copies.length; i++) {
    const { eventType, data, correlationId, metadata } = copies[i];
    const plan = planOf(emitter, slots[i], eventType, planner);
    if (!plan.enabled) continue;
    counts.published++;
    const route = plan.routes[slots[i]];
    if (route.length === 0) continue;
    const id = typeof correlationId === "string" ? correlationId : plan.correlationId;
    const event = makeEvent(eventType, plan.source, id, data === undefined ? {} : data, plan.metadata, metadata, 0);
    dispatch(route, busHandle, counts, eventType, event, pending);
  }
  return RAN;
}

// Reads a batch item in the checked path's order (correlationId, metadata,
// priority, the metadata's copy, eventType, data) into a plain copy pushed
// onto `copies`. Returns the slot of its event type when it needs no more
// than kind checks, else -1 (the copy then stops at a read that threw).
function readItem(item, copies) {
  if (kindOf(item) !== 2) {
    copies.push(item);
    return -1;
  }
  const read = readEmitOptions(item);
  const copy = { eventType: undefined, data: undefined, correlationId: fields[0], metadata: fields[1], priority: fields[2] };
  fields[0] = fields[1] = fields[2] = undefined;
  copies.push(copy);
  if (read >> 12 !== 0) {
    throwingAt(copy, EMIT_OPTION_KEYS[(read >> 12) - 1], takeLast());
    return -1;
  }
  const correlationKind = read & 15, metadataKind = (read >> 4) & 15;
  let plain = (correlationKind === 0 || correlationKind === 1 || correlationKind === 5) && (read >> 8) === 0;
  if (metadataKind === 2 && plain) {
    try {
      copy.metadata = { ...copy.metadata };
    } catch (e) {
      copy.metadata = throwingAt({}, "metadata", e);
      return -1;
    }
  } else if (metadataKind !== 0) plain = false;
  let key = "eventType";
  try {
    copy.eventType = item.eventType;
    key = "data";
    copy.data = item.data;
  } catch (e) {
    throwingAt(copy, key, e);
    return -1;
  }
  const slot = slotOf(copy.eventType);
  const dataKind = kindOf(copy.data);
  return plain && slot !== undefined && (dataKind === 0 || dataKind === 2) ? slot : -1;
}
const EMIT_OPTION_KEYS = ["correlationId", "metadata", "priority"];

// `target` with `key` made a getter that throws `error`: a stand-in for a
// value whose reading threw, that throws the same when read again.
function throwingAt(target, key, error) {
  return Object.defineProperty(target, key, { get() { throw error; }, enumerable: true, configurable: true });
}

// The core's side of a planned emit (set by js/api.mjs: wasm exports).
let recordFailureOf = () => {};
let isActiveSubscription = () => true;
export function usePlanExports(recordFailure, isActive) {
  recordFailureOf = recordFailure;
  isActiveSubscription = isActive;
}
