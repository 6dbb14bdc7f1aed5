// Compile-time checks of index.d.ts: `tsc --noEmit --strict` must pass on this file.
// Lines marked @ts-expect-error must fail to type-check.
import init, {
  AsyncEventEmitter, EventBus, EventEmitter, EventOperationContext, EventType, Priority,
  createEmitter, createEvent, emitEvent, eventFromJSON, eventToJSON, getEventBus, initSync, setLogger,
} from 'codomyrmex-events';
import type {
  CodomyrmexEvent, EventBusStats, MetricEventData, OperationEndData, ScheduledEmit,
} from 'codomyrmex-events';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;
function expectType<T extends true>(_: T): void {}

// EventType and Priority are const objects of literal types.
expectType<Equal<typeof EventType.SYSTEM_STARTUP, 'system.startup'>>(true);
expectType<Equal<typeof EventType.FUNCTION_CALL_START, 'function.call.start'>>(true);
expectType<Equal<typeof EventType.CUSTOM, 'custom'>>(true);
expectType<Equal<typeof Priority.CRITICAL, 2>>(true);
// @ts-expect-error EventType is read-only
EventType.CUSTOM = 'other';

// Events are generic in their data and read-only.
const e = createEvent('orders.created', 'shop', { data: { id: 7 }, priority: Priority.HIGH });
expectType<Equal<typeof e, CodomyrmexEvent<{ id: number }>>>(true);
expectType<Equal<typeof e.data.id, number>>(true);
expectType<Equal<typeof e.correlationId, string | null>>(true);
// @ts-expect-error events are read-only
e.source = 'x';
// @ts-expect-error data must be an object
createEvent('a', 's', { data: 5 });
// @ts-expect-error priority is 0, 1 or 2
createEvent('a', 's', { priority: 3 });
const json: string = eventToJSON(e);
const back: CodomyrmexEvent = eventFromJSON(json);
void back;

// EventBus.
const bus = new EventBus({ deadLetterLimit: 10 });
const id: string = bus.subscribe<{ n: number }>(['a.*', 'b'], (ev) => ev.data.n.toFixed(), {
  filter: (ev) => ev.data.n > 0,
  priority: 5,
});
bus.subscribe('metric.update', async (ev: CodomyrmexEvent<MetricEventData>) => {
  const value: number | string | boolean = ev.data.metric_value;
  void value;
});
// @ts-expect-error handler must be a function
bus.subscribe('a', 'handler');
const removed: boolean = bus.unsubscribe(id);
bus.publish(e);
const settled: Promise<void> = bus.publishAsync(e);
const stats: EventBusStats = bus.getStats();
const patterns: string[] = stats.subscribers['x']!.eventPatterns;
const dead: CodomyrmexEvent[] = bus.deadLetterQueue;
bus.resetStats();
bus.shutdown();
bus.free();
const same: EventBus = getEventBus();
void removed; void settled; void patterns; void dead; void same;

// EventEmitter.
const emitter = new EventEmitter('svc', bus);
emitter.emit(EventType.BUILD_START, { target: 'web' }, { correlationId: null, metadata: { k: 1 }, priority: 2 });
emitter.emit('custom.name');
emitter.emitSync('x', {});
const done: Promise<void> = emitter.emitAsync('x');
emitter.emitBatch([{ eventType: 'a' }, { eventType: 'b', data: { x: 1 }, priority: 1 }]);
const batchDone: Promise<void> = emitter.emitBatchAsync([]);
const opId: string = emitter.startOperation('op', { a: 1 });
emitter.updateOperation(opId, 'op', { progress: 50, status: 'half', data: { rows: 1 } });
emitter.endOperation(opId, 'op', { success: false, result: { any: 'thing' }, error: 'boom' });
emitter.emitError('DbError', 'lost', { context: { host: 'h' }, correlationId: 'c' });
emitter.emitMetric('latency', 12.5, { metricType: 'histogram', labels: { route: '/' } });
emitter.emitAlert('cpu', 'critical', 'hot', { threshold: 90, currentValue: 99 });
// @ts-expect-error unknown metric type
emitter.emitMetric('m', 1, { metricType: 'meter' });
// @ts-expect-error labels are strings
emitter.emitMetric('m', 1, { labels: { a: 1 } });
// @ts-expect-error unknown alert level
emitter.emitAlert('a', 'fatal', 'm');
// @ts-expect-error metric values are numbers, strings or booleans
emitter.emitMetric('m', {});
emitter.enabled = false;
const cid: string | null = emitter.defaultCorrelationId;
const meta: Record<string, unknown> = emitter.defaultMetadata;
const owner: EventBus = emitter.eventBus;
// @ts-expect-error source is read-only
emitter.source = 'other';
emitter.setCorrelationContext('c');
emitter.clearCorrelationContext();
emitter.setDefaultMetadata({ env: 'test' });
emitter.enable();
emitter.disable();
createEmitter('s').emit('x');
emitEvent('x', 'src', { a: 1 }, { priority: 0 });
void done; void batchDone; void cid; void meta; void owner;

// Operation contexts.
const ctx = emitter.operation('load');
const entered: EventOperationContext = ctx.enter();
entered.update({ progress: 1 });
entered.emit('x', { y: 2 });
entered.exit(new Error('x'));
const n: number = new EventOperationContext(emitter, 'sync').run((c) => {
  const self: EventOperationContext = c;
  void self;
  return 42;
});
const p: Promise<string> = emitter.operation('async').run(async () => 'text');
emitter.operation('disposable')[Symbol.dispose]();
void n; void p;
const end: OperationEndData = { operation: 'o', phase: 'end', success: true };
void end;

// AsyncEventEmitter.
const asyncEmitter = new AsyncEventEmitter();
const emitted: Promise<void> = asyncEmitter.emit('x', { a: 1 }, Priority.CRITICAL);
const handle: ScheduledEmit = new AsyncEventEmitter('src', bus).emitLater('x', {}, 10);
const cancelled: boolean = handle.cancel();
const fired: Promise<boolean> = handle.done;
void emitted; void cancelled; void fired;

// Logging and initialisation.
setLogger({ debug() {}, info() {}, warn() {}, error() {} });
setLogger({ error: (message: string, err?: unknown) => { void message; void err; } });
setLogger(null);
// @ts-expect-error a logger is an object or null
setLogger('console');
const ready: Promise<void> = init();
initSync(new Uint8Array(0));
initSync({ module: new ArrayBuffer(0) });
void ready;
