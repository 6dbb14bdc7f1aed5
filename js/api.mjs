// The public JavaScript API: the wasm-bindgen classes and functions, plus the
// few pieces that need the JavaScript object itself (EventOperationContext's
// run, enter's return value and Symbol.dispose) and the constants.
import wasmInit, {
  initSync as wasmInitSync,
  AsyncEventEmitter,
  EventBus,
  EventEmitter,
  EventOperationContext,
  ScheduledEmit,
  eventTypeConstants,
  priorityConstants,
} from "../target/wasm-web/codomyrmex_events.js";

export {
  AsyncEventEmitter,
  EventBus,
  EventEmitter,
  EventOperationContext,
  ScheduledEmit,
  createEmitter,
  createEvent,
  emitEvent,
  eventFromJSON,
  eventToJSON,
  fromCloudEvent,
  getEventBus,
  setLogger,
  toCloudEvent,
} from "../target/wasm-web/codomyrmex_events.js";

/** Every standard Codomyrmex event type, by constant name. Set once initialised. */
export let EventType;
/** Event priorities: NORMAL 0, HIGH 1, CRITICAL 2. Set once initialised. */
export let Priority;

const proto = EventOperationContext.prototype;

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
  this.__dispose();
};
// Symbol.dispose where the runtime has it; Node 20 also knows nodejs.dispose.
for (const key of [Symbol.dispose, Symbol.for("nodejs.dispose")]) {
  if (typeof key === "symbol") Object.defineProperty(proto, key, { value: dispose, writable: true, configurable: true });
}

// A freed object (free(), or `using`) has no Rust side any more: say so,
// instead of wasm-bindgen's "null pointer passed to rust".
function guardFreed(Class, name) {
  const proto = Class.prototype;
  const check = (self, key) => {
    const ptr = self == null ? undefined : self.__wbg_ptr;
    if (ptr === 0) throw new Error(`${name}.${key}: the object has been freed`);
    if (typeof ptr !== "number") throw new TypeError(`${name}.${key}: this is not a ${name}`);
  };
  for (const key of Reflect.ownKeys(proto)) {
    if (key === "constructor" || key === "free" || typeof key === "symbol") continue;
    const d = Object.getOwnPropertyDescriptor(proto, key);
    if (typeof d.value === "function") {
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
}
guardFreed(AsyncEventEmitter, "AsyncEventEmitter");
guardFreed(EventBus, "EventBus");
guardFreed(EventEmitter, "EventEmitter");
guardFreed(EventOperationContext, "EventOperationContext");
guardFreed(ScheduledEmit, "ScheduledEmit");

function ready() {
  if (EventType === undefined) {
    EventType = eventTypeConstants();
    Priority = priorityConstants();
  }
}

/** Loads the WebAssembly module (browsers: await before use; Node.js: already done). */
export default async function init(input) {
  await wasmInit(input === undefined ? undefined : { module_or_path: input });
  ready();
}

/** Loads the WebAssembly module synchronously from its bytes or a compiled module. */
export function initSync(input) {
  wasmInitSync({ module: input && input.module !== undefined ? input.module : input });
  ready();
}
