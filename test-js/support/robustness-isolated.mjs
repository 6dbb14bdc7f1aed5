// Scenarios that could leave the WebAssembly instance unusable, each run in a
// child process by the robustness suites (see isolated() in robustness.mjs).
// Usage: node robustness-isolated.mjs <scenario>. Prints one JSON line:
// { ok, scenario, iterations, error, notes }. `ok` is true when every step
// behaved and the instance still worked at the end.
import { EventBus, EventEmitter, createEvent, setLogger } from 'codomyrmex-events';

setLogger(null);

const describeError = (e) => {
  try {
    return e instanceof Error ? `${e.constructor.name}: ${e.message}` : `non-Error ${typeof e}: ${String(e)}`;
  } catch {
    return 'unprintable';
  }
};

/** An emit on an untouched bus is delivered and counted; objects can be freed. */
function instanceWorks() {
  const bus = new EventBus();
  const emitter = new EventEmitter('check', bus);
  const got = [];
  bus.subscribe('check.*', (e) => { got.push(e.data.n); });
  emitter.emit('check.ping', { n: 1 });
  const s = bus.getStats();
  if (got.length !== 1 || got[0] !== 1 || s.eventsPublished !== 1 || s.eventsProcessed !== 1) {
    throw new Error(`check bus: got ${JSON.stringify(got)}, stats ${JSON.stringify(s)}`);
  }
  emitter.free();
  bus.free();
}

const getterThrows = () => ({ get boom() { throw new Error('getter'); } });
const proxyThrows = (target = {}) =>
  new Proxy(target, new Proxy({}, { get: () => () => { throw new Error('trap'); } }));

/** Refused calls, each made `REPEAT` times: every one must throw a TypeError/RangeError. */
const REFUSALS = {
  'emit-metadata-getter': (t) => t.emitter.emit('r.x', {}, { metadata: getterThrows() }),
  'emit-metadata-proxy': (t) => t.emitter.emit('r.x', {}, { metadata: proxyThrows() }),
  'set-default-metadata-getter': (t) => t.emitter.setDefaultMetadata(getterThrows()),
  'update-operation-data-getter': (t) => t.emitter.updateOperation('id', 'op', { data: getterThrows() }),
  'emit-metric-labels-proxy': (t) => t.emitter.emitMetric('m', 1, { labels: proxyThrows() }),
  'subscribe-patterns-proxy': (t) => t.bus.subscribe(proxyThrows([]), () => {}),
  'create-event-metadata-getter': () => createEvent('r.x', 's', { metadata: getterThrows() }),
  // Controls: refusals made entirely by the binding's own checks.
  'emit-bad-priority': (t) => t.emitter.emit('r.x', {}, { priority: 7 }),
  'subscribe-bad-pattern': (t) => t.bus.subscribe(42, () => {}),
};
const REPEAT = 5000;

const scenarios = {
  /**
   * A handler that emits its own event type until the JS stack overflows, on
   * every event of a long-lived bus: 500 events. Then both objects are freed.
   */
  recursion(report) {
    const bus = new EventBus();
    const emitter = new EventEmitter('rec', bus);
    bus.subscribe('rec', () => { emitter.emit('rec'); });
    for (let i = 0; i < 500; i++, report.iterations = i) {
      const failed = bus.getStats().eventsFailed;
      emitter.emit('rec'); // the overflow is a handler failure: isolated, never thrown here
      if (bus.getStats().eventsFailed <= failed) throw new Error(`overflow ${i + 1} was not counted as a handler failure`);
    }
    try {
      emitter.free();
      bus.free();
    } catch (e) {
      report.notes.push(`free() after the overflows: ${describeError(e)}`);
    }
  },
};
for (const [name, call] of Object.entries(REFUSALS)) {
  scenarios[`refusal:${name}`] = (report) => {
    const target = { bus: new EventBus(), emitter: null };
    target.emitter = new EventEmitter('r', target.bus);
    let published = 0;
    target.bus.subscribe('*', () => { published++; });
    const wrong = new Map();
    for (let i = 0; i < REPEAT; i++, report.iterations = i) {
      let refusal;
      try {
        call(target);
      } catch (e) {
        refusal = e;
      }
      if (refusal instanceof TypeError || refusal instanceof RangeError) continue;
      const what = refusal === undefined ? 'was not refused' : `threw ${describeError(refusal)}`;
      wrong.set(what, (wrong.get(what) ?? 0) + 1);
      // A WebAssembly trap: the instance is gone, nothing more to learn.
      if (refusal instanceof WebAssembly.RuntimeError) throw new Error(`call ${i} ${what}`);
    }
    for (const [what, n] of wrong) report.notes.push(`${n} of ${REPEAT} calls ${what} instead of a TypeError/RangeError`);
    if (published !== 0) report.notes.push(`${published} events reached a subscriber`);
    const s = target.bus.getStats();
    if (s.eventsPublished !== 0) report.notes.push(`eventsPublished is ${s.eventsPublished} after refused calls only`);
    target.emitter.free();
    target.bus.free();
  };
}

const name = process.argv[2];
const report = { scenario: name, ok: false, iterations: 0, error: null, notes: [] };
try {
  const scenario = scenarios[name];
  if (!scenario) throw new Error(`unknown scenario ${name}`);
  scenario(report);
  instanceWorks();
  report.ok = report.notes.length === 0;
} catch (e) {
  report.error = describeError(e);
  try {
    instanceWorks();
  } catch (after) {
    report.notes.push(`afterwards the instance is broken: ${describeError(after)}`);
  }
}
console.log(JSON.stringify(report));
