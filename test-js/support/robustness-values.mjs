// Arbitrary JavaScript values for the property-based robustness suites.
//
// fast-check generates *descriptions* (plain data that prints well in a
// counterexample) and build() turns them into the actual values at call
// time: proxies whose every trap throws, objects with throwing getters,
// arrays with a throwing iterator, functions that throw or re-enter the
// library, freed objects, huge strings… Primitives (numbers, bigints,
// symbols, strings) are generated as themselves.
//
// A description is a plain object with a `$` key; other plain objects and
// arrays are built member by member, so fc.record() can mix plausible
// values and hostile ones.
import fc from 'fast-check';
import {
  AsyncEventEmitter, EventBus, EventEmitter, createEvent, eventFromJSON,
} from 'codomyrmex-events';

export const SYMBOL = Symbol('fuzz');
const NOTHING = Symbol('nothing thrown');

/** Option and field names the library reads: hostile objects put throwing getters there. */
export const KNOWN_KEYS = [
  'eventType', 'source', 'eventId', 'timestamp', 'correlationId', 'data', 'metadata', 'priority',
  'subscriberId', 'filter', 'deadLetterLimit', 'progress', 'status', 'success', 'result', 'error',
  'context', 'metricType', 'labels', 'threshold', 'currentValue', 'then', 'toJSON', '__handle', 'message',
  'debug', 'info', 'warn',
];

const THROWN = ['error', 'typeError', 'string', 'undefined', 'null', 'symbol', 'object'];

// ---------------------------------------------------------------- arbitraries

const loneSurrogates = fc.string({
  unit: fc.oneof(fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)), fc.constantFrom('a', '.', '*')),
  minLength: 1,
  maxLength: 6,
});

export const primitive = fc.oneof(
  fc.constantFrom(undefined, null, true, false),
  fc.double(),
  fc.integer({ min: -2, max: 4 }),
  fc.constantFrom(-0, NaN, Infinity, -Infinity, 0.5, 2 ** 31, 2 ** 53 + 2, 1e300, -1e-300),
  fc.bigInt(),
  fc.constantFrom(SYMBOL, Symbol.iterator, Symbol.for('fuzz')),
  fc.string({ maxLength: 10 }),
  fc.constantFrom('', ' ', 'a', 'a.b', 'fuzz.x', '*', '?', '[', '[!a]', 'a b', 'x\ty', '__proto__', 'constructor',
    'gauge', 'counter', 'warning', 'critical', 'x'.repeat(257)),
  loneSurrogates,
);

/** 100,000-character strings (described, so that counterexamples stay short). */
export const huge = fc.constantFrom(
  { $: 'huge', unit: 'x', n: 100_000 },
  { $: 'huge', unit: 'a.', n: 50_000 },
  { $: 'huge', unit: '\uD800', n: 100_000 },
  { $: 'huge', unit: 'é', n: 100_000 },
);

export const FN_KINDS = [
  'noop', 'returnsTrue', 'returnsFalse', 'returnsValue',
  'throwError', 'throwTypeError', 'throwString', 'throwUndefined', 'throwNull', 'throwSymbol', 'throwObject',
  'throwNullProto', 'throwProxy',
  'rejectError', 'rejectUndefined', 'rejectString', 'asyncThrow', 'resolveLater', 'thenableResolves',
  'thenableRejects', 'reenter', 'reenterDeep', 'classCtor', 'generator', 'bound', 'fnProxy',
];
export const fn = fc.constantFrom(...FN_KINDS).map((kind) => ({ $: 'fn', kind }));

export const REFS = [
  'bus', 'emitter', 'asyncEmitter', 'context', 'enteredContext', 'exitedContext', 'scheduled', 'event',
  'wireEvent', 'freedBus', 'freedEmitter', 'freedContext', 'forgedHandle', 'forgedEmitterHandle', 'staleHandle', 'date', 'map',
  'regexp', 'error', 'promise', 'typedArray', 'boxedString', 'argumentsObject',
];
export const ref = fc.constantFrom(...REFS).map((name) => ({ $: 'ref', name }));

const OBJ_KINDS = [
  'plain', 'nullProto', 'frozen', 'getter', 'allGetters', 'proxy', 'array', 'arrayIteratorThrows',
  'arrayGetter', 'arrayProxy', 'fnProxy', 'toJSONThrows', 'toPrimitiveThrows', 'deep', 'cyclic', 'protoKey',
  'revokedProxy',
];
const key = fc.oneof(fc.constantFrom(...KNOWN_KEYS, '__proto__', 'constructor', 'x'), fc.string({ maxLength: 4 }));
const leaf = fc.oneof({ weight: 4, arbitrary: primitive }, fn, ref);

/** A hostile or ordinary object of any kind, its own values drawn from `values`. */
export const objectOf = (values) => fc.record({
  $: fc.constant('obj'),
  kind: fc.constantFrom(...OBJ_KINDS),
  entries: fc.array(fc.tuple(key, values), { maxLength: 4 }),
  thrown: fc.constantFrom(...THROWN),
});

/** Any value at all. */
export const anything = fc.oneof(
  { weight: 6, arbitrary: primitive },
  { weight: 1, arbitrary: huge },
  { weight: 2, arbitrary: fn },
  { weight: 2, arbitrary: ref },
  { weight: 5, arbitrary: objectOf(fc.oneof(leaf, objectOf(leaf))) },
);

/** A plausible value for an argument most of the time, anything else otherwise. */
export const slot = (plausible, weight = 3) => fc.oneof({ weight, arbitrary: plausible }, { weight: 2, arbitrary: anything });

/** Data or metadata: a small record (values of any kind, keys incl. __proto__), or anything. */
export const record = fc.dictionary(
  fc.constantFrom('k', 'n', '__proto__', 'constructor', 'toJSON', 'then', 'polluted'),
  leaf,
  { maxKeys: 3 },
);

// ---------------------------------------------------------------- building

function thrownValue(kind, env) {
  const v = {
    error: () => new Error('fuzz: thrown'),
    typeError: () => new TypeError('fuzz: thrown TypeError'),
    string: () => 'fuzz: a thrown string',
    undefined: () => undefined,
    null: () => null,
    symbol: () => SYMBOL,
    object: () => ({ code: 'fuzz' }),
  }[kind]();
  env.lastThrown = v;
  return v;
}

function throwingHandler(kind, env) {
  return new Proxy({}, {
    get() {
      return () => { throw thrownValue(kind, env); };
    },
  });
}

/** A proxy over `target` whose every trap throws. */
function throwingProxy(target, kind, env) {
  return new Proxy(target, throwingHandler(kind, env));
}

function makeFn(kind, env) {
  const record = (v) => { env.lastThrown = v; return v; };
  switch (kind) {
    case 'noop': return () => {};
    case 'returnsTrue': return () => true;
    case 'returnsFalse': return () => false;
    case 'returnsValue': return () => ({ value: 1 });
    case 'throwError': return () => { throw record(new Error('fuzz: handler threw')); };
    case 'throwTypeError': return () => { throw record(new TypeError('fuzz: handler threw a TypeError')); };
    case 'throwString': return () => { throw record('fuzz: handler threw a string'); };
    case 'throwUndefined': return () => { throw record(undefined); };
    case 'throwNull': return () => { throw record(null); };
    case 'throwSymbol': return () => { throw record(SYMBOL); };
    case 'throwObject': return () => { throw record({ code: 'fuzz' }); };
    case 'throwNullProto': return () => { throw record(Object.create(null)); };
    case 'throwProxy': return () => { throw record(throwingProxy({}, 'error', env)); };
    case 'rejectError': return () => Promise.reject(record(new Error('fuzz: handler rejected')));
    case 'rejectUndefined': return () => Promise.reject(record(undefined));
    case 'rejectString': return () => Promise.reject(record('fuzz: rejected string'));
    case 'asyncThrow': return async () => { throw record(new RangeError('fuzz: async handler threw')); };
    case 'resolveLater': return () => new Promise((resolve) => setTimeout(resolve, 1));
    case 'thenableResolves': return () => ({ then(resolve) { resolve(1); } });
    case 'thenableRejects': return () => ({ then(_, reject) { reject(record(new Error('fuzz: thenable rejected'))); } });
    case 'reenter': return (e) => env.reenter(e, 1);
    case 'reenterDeep': return (e) => env.reenter(e, 4);
    case 'classCtor': return class Fuzz {};
    case 'generator': return function* gen() { yield 1; };
    case 'bound': return function bound() { return this; }.bind(null);
    case 'fnProxy': return throwingProxy(() => {}, 'error', env);
    default: throw new Error(`unknown fn kind ${kind}`);
  }
}

function makeObject(d, env) {
  const entries = () => d.entries.map(([k, v]) => [k, build(v, env)]);
  const define = (o) => {
    for (const [k, v] of entries()) Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
    return o;
  };
  switch (d.kind) {
    case 'plain': return define({});
    case 'nullProto': return define(Object.create(null));
    case 'frozen': return Object.freeze(define({}));
    case 'getter': {
      const o = define({});
      const k = d.entries.length ? d.entries[0][0] : 'metadata';
      Object.defineProperty(o, k, { get: () => { throw thrownValue(d.thrown, env); }, enumerable: true, configurable: true });
      return o;
    }
    case 'allGetters': {
      const o = define({});
      for (const k of KNOWN_KEYS) {
        Object.defineProperty(o, k, { get: () => { throw thrownValue(d.thrown, env); }, enumerable: true, configurable: true });
      }
      return o;
    }
    case 'proxy': return throwingProxy(define({}), d.thrown, env);
    case 'array': return entries().map(([, v]) => v);
    case 'arrayIteratorThrows': {
      const a = entries().map(([, v]) => v);
      a[Symbol.iterator] = () => { throw thrownValue(d.thrown, env); };
      return a;
    }
    case 'arrayGetter': {
      const a = entries().map(([, v]) => v);
      Object.defineProperty(a, 0, { get: () => { throw thrownValue(d.thrown, env); }, enumerable: true, configurable: true });
      return a;
    }
    case 'arrayProxy': return throwingProxy(entries().map(([, v]) => v), d.thrown, env);
    case 'fnProxy': return throwingProxy(() => {}, d.thrown, env);
    case 'toJSONThrows': return Object.assign(define({}), { toJSON() { throw thrownValue(d.thrown, env); } });
    case 'toPrimitiveThrows': {
      const fail = () => { throw thrownValue(d.thrown, env); };
      return Object.assign(define({}), { [Symbol.toPrimitive]: fail, toString: fail, valueOf: fail });
    }
    case 'deep': {
      let o = define({});
      for (let i = 0; i < 20_000; i++) o = { o };
      return o;
    }
    case 'cyclic': {
      const o = define({});
      o.self = o;
      return o;
    }
    case 'protoKey': return define(JSON.parse('{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}}'));
    case 'revokedProxy': {
      const { proxy, revoke } = Proxy.revocable(define({}), {});
      revoke();
      return proxy;
    }
    default: throw new Error(`unknown object kind ${d.kind}`);
  }
}

/** The actual value a description stands for. */
export function build(d, env) {
  if (d === null || typeof d !== 'object') return d;
  if (Array.isArray(d)) return d.map((x) => build(x, env));
  if (!Object.hasOwn(d, '$')) {
    // A plain record: same keys (defined, so that "__proto__" stays a key), built values.
    const o = {};
    for (const [k, v] of Object.entries(d)) Object.defineProperty(o, k, { value: build(v, env), enumerable: true, writable: true, configurable: true });
    return o;
  }
  switch (d.$) {
    case 'huge': return d.unit.repeat(d.n / d.unit.length);
    case 'fn': return makeFn(d.kind, env);
    case 'ref': return env.ref(d.name);
    case 'obj': return makeObject(d, env);
    default: throw new Error(`unknown description ${d.$}`);
  }
}

// ---------------------------------------------------------------- environment

/**
 * The objects the properties work on. Long-lived: a bus (catch-all subscriber
 * counting every event), an emitter and an async emitter on it, the default
 * bus (catch-all too) and a logger. Per run: contexts in each phase, freed
 * objects and the like, made on first use.
 */
export function makeEnv() {
  const env = {
    bus: new EventBus({ deadLetterLimit: 50 }),
    emitter: null,
    asyncEmitter: null,
    count: 0,
    defaultCount: 0,
    last: null,
    logged: 0,
    lastThrown: NOTHING,
    depth: 0,
    perRun: new Map(),
  };
  env.emitter = new EventEmitter('fuzz', env.bus);
  env.asyncEmitter = new AsyncEventEmitter('fuzz-async', env.bus);
  env.catchAll = (e) => { env.count++; env.last = e; };
  env.defaultCatchAll = () => { env.defaultCount++; };
  env.logger = { error: () => { env.logged++; }, warn() {}, info() {}, debug() {} };
  env.NOTHING = NOTHING;

  const makers = {
    bus: () => env.bus,
    emitter: () => env.emitter,
    asyncEmitter: () => env.asyncEmitter,
    context: () => env.emitter.operation('fuzz-op', { run: 1 }),
    enteredContext: () => env.emitter.operation('fuzz-op').enter(),
    exitedContext: () => { const c = env.emitter.operation('fuzz-op').enter(); c.exit(); return c; },
    scheduled: () => { const s = env.asyncEmitter.emitLater('fuzz.never', {}, 1e9); s.cancel(); return s; },
    event: () => createEvent('fuzz.event', 'fuzz', { data: { k: 1 }, metadata: { m: 1 } }),
    wireEvent: () => eventFromJSON('{"event_type": "fuzz.wire", "source": "w", "data": {"__proto__": {"polluted": 1}}}'),
    freedBus: () => { const b = new EventBus(); b.free(); return b; },
    freedEmitter: () => { const e = new EventEmitter('freed', new EventBus()); e.free(); return e; },
    freedContext: () => { const c = new EventEmitter('freed', new EventBus()).operation('op'); c.free(); return c; },
    freedAsyncEmitter: () => { const a = new AsyncEventEmitter('freed', new EventBus()); a.free(); return a; },
    // Plain objects carrying the numeric handle of a live bus / emitter: not instances.
    forgedHandle: () => ({ __handle: env.bus.__handle }),
    forgedEmitterHandle: () => ({ __handle: env.emitter.__handle }),
    staleHandle: () => ({ __handle: 4_000_000_000 }),
    date: () => new Date(0),
    map: () => new Map([['k', 1]]),
    regexp: () => /fuzz/g,
    error: () => new Error('fuzz: an Error as a value'),
    promise: () => Promise.resolve(1),
    typedArray: () => new Uint8Array(4),
    boxedString: () => new String('fuzz.boxed'), // eslint-disable-line no-new-wrappers
    argumentsObject: () => (function args() { return arguments; })('fuzz.a', 1), // eslint-disable-line prefer-rest-params
  };
  env.ref = (name) => {
    if (!env.perRun.has(name)) env.perRun.set(name, makers[name]());
    return env.perRun.get(name);
  };

  /**
   * What re-entrant handlers do: a few calls back into the objects that are
   * dispatching to them, `budget` deep at most. Never shutdown() or touching
   * the catch-all subscription: the checks after each run rely on it.
   */
  let step = 0;
  env.reenter = (event, budget) => {
    if (env.depth >= budget) return undefined;
    env.depth++;
    try {
      const k = step++ % 12;
      const type = `fuzz.re.${k}`;
      switch (k) {
        case 0: env.emitter.emit(type, { depth: env.depth }); break;
        case 1: return env.emitter.emitAsync(type);
        case 2: env.bus.subscribe(['fuzz.re.*'], makeFn(step % 3 ? 'noop' : 'reenter', env), { subscriberId: `re${step % 5}` }); break;
        case 3: env.bus.unsubscribe(`re${step % 5}`); break;
        case 4: { const id = env.emitter.startOperation('re-op'); env.emitter.endOperation(id, 're-op'); break; }
        case 5: env.emitter.disable(); env.emitter.emit(type); env.emitter.enable(); break;
        case 6: env.emitter.setDefaultMetadata({ re: env.depth }); break;
        case 7: env.bus.publish(createEvent(type, 're', { data: { k } })); break;
        case 8: env.asyncEmitter.emitLater(type, {}, 0).cancel(); break;
        case 9: env.emitter.operation('re-ctx').run((c) => c.emit(type)); break;
        case 10: { const b = new EventBus(); new EventEmitter('re', b).emit(type); b.free(); break; }
        default: env.bus.getStats(); void env.bus.deadLetterQueue; break;
      }
      return undefined;
    } finally {
      env.depth--;
    }
  };
  return env;
}
