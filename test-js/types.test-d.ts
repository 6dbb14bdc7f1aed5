// Compile-time checks of index.d.ts: `tsc --noEmit --strict` must pass on this file.
// Lines marked @ts-expect-error must fail to type-check.
import init, {
  AsyncEventEmitter, EventBus, EventEmitter, EventOperationContext, EventType, Priority, ScheduledEmit,
  createEmitter, createEvent, emitEvent, eventFromJSON, eventToJSON, fromCloudEvent, getEventBus, initSync,
  setLogger, toCloudEvent,
} from 'codomyrmex-events';
import type {
  AbortSignalLike, CloudEventInput, CloudEventObject, CodomyrmexEvent, EventBusStats, EventStream,
  MetricEventData, OperationEndData,
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
const asyncSource: string = asyncEmitter.source;
const asyncBus: EventBus = asyncEmitter.eventBus;
// @ts-expect-error the source is read-only
asyncEmitter.source = 'other';
void asyncSource; void asyncBus;
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

// ---------------------------------------------------------------------------
// Generic payloads: a typed emit or handler accepts the right data only.
// ---------------------------------------------------------------------------
type N = { n: number };
emitter.emit<N>('n.set', { n: 1 });
emitter.emitSync<N>('n.set', { n: 1 });
void emitter.emitAsync<N>('n.set', { n: 1 });
// @ts-expect-error wrong payload type for a typed emit
emitter.emit<N>('n.set', { n: '1' });
// @ts-expect-error a typed emit needs the payload's keys
emitter.emit<N>('n.set', {});
// @ts-expect-error a typed emit refuses unknown keys
emitter.emit<N>('n.set', { n: 1, m: 2 });
// @ts-expect-error data is an object, not a primitive
emitter.emit('n.set', 5);
emitEvent<N>('n.set', 'src', { n: 1 });
// @ts-expect-error wrong payload type for a typed emitEvent
emitEvent<N>('n.set', 'src', { n: true });
void new AsyncEventEmitter('s').emit<N>('n.set', { n: 1 });
// @ts-expect-error wrong payload type for a typed async emit
void new AsyncEventEmitter('s').emit<N>('n.set', { n: null });
emitter.operation('op').run((op) => op.emit<N>('n.set', { n: 1 }));
// @ts-expect-error wrong payload type for a typed operation emit
emitter.operation('op').run((op) => op.emit<N>('n.set', { n: [] }));

const typedHandler = (ev: CodomyrmexEvent<N>): void => { void ev.data.n.toFixed(); };
bus.subscribe<N>('n.*', typedHandler);
bus.subscribe('n.*', typedHandler); // N is inferred from the handler
bus.subscribe<N>('n.*', (ev) => {
  expectType<Equal<typeof ev, CodomyrmexEvent<N>>>(true);
  expectType<Equal<typeof ev.data.n, number>>(true);
}, { filter: (ev) => ev.data.n > 1 });
// @ts-expect-error a handler of another payload type
bus.subscribe<N>('n.*', (ev: CodomyrmexEvent<{ s: string }>) => { void ev; });
// @ts-expect-error a filter of another payload type
bus.subscribe<N>('n.*', typedHandler, { filter: (ev: CodomyrmexEvent<{ s: string }>) => ev.data.s === '' });
// @ts-expect-error a filter answers with a boolean
bus.subscribe('n.*', () => {}, { filter: () => 'yes' });
// Handlers may return anything, promises included.
bus.subscribe('n.*', async () => 1);
// Untyped events have unknown data values, not any.
bus.subscribe('n.*', (ev) => {
  expectType<Equal<typeof ev.data, Record<string, unknown>>>(true);
  expectType<Equal<typeof ev.priority, 0 | 1 | 2>>(true);
  expectType<Equal<typeof ev.metadata, Readonly<Record<string, unknown>>>>(true);
});
// @ts-expect-error event data values are unknown until typed
bus.subscribe('n.*', (ev) => ev.data.n.toFixed());

// ---------------------------------------------------------------------------
// Wrong option names, bad priorities, missing arguments.
// ---------------------------------------------------------------------------
// @ts-expect-error unknown option of EventBus
new EventBus({ deadLetterLimt: 5 });
// @ts-expect-error unknown option of subscribe (subscriberId)
bus.subscribe('a', () => {}, { subscriberID: 'x' });
// @ts-expect-error unknown option of events (bufferSize)
bus.events('a', { buffersize: 1 });
// @ts-expect-error unknown option of emit (correlationId)
emitter.emit('a', {}, { correlationID: 'c' });
// @ts-expect-error unknown option of createEvent (timestamp)
createEvent('a', 's', { timeStamp: 1 });
// @ts-expect-error unknown option of updateOperation
emitter.updateOperation('c', 'op', { percent: 5 });
// @ts-expect-error unknown option of endOperation
emitter.endOperation('c', 'op', { ok: true });
// @ts-expect-error unknown option of emitError
emitter.emitError('t', 'm', { ctx: {} });
// @ts-expect-error unknown option of emitAlert
emitter.emitAlert('a', 'info', 'm', { current: 1 });
// @ts-expect-error unknown field of a batch item
emitter.emitBatch([{ eventType: 'a', type: 'b' }]);
// @ts-expect-error a subscription priority is a number
bus.subscribe('a', () => {}, { priority: 'high' });
// @ts-expect-error bufferSize is a number
bus.events('a', { bufferSize: '8' });

// @ts-expect-error priority 3 does not exist (emit)
emitter.emit('a', {}, { priority: 3 });
// @ts-expect-error priority 3 does not exist (batch item)
emitter.emitBatch([{ eventType: 'a', priority: 3 }]);
// @ts-expect-error priority 3 does not exist (AsyncEventEmitter)
void new AsyncEventEmitter().emit('a', {}, 3);
// @ts-expect-error priority 3 does not exist (emitEvent)
emitEvent('a', 's', {}, { priority: 3 });
// @ts-expect-error a priority is a number literal, not a string
emitter.emit('a', {}, { priority: '1' });
emitter.emit('a', {}, { priority: Priority.NORMAL });

// @ts-expect-error subscribe needs a handler
bus.subscribe('a');
// @ts-expect-error subscribe needs patterns and a handler
bus.subscribe();
// @ts-expect-error events needs patterns
bus.events();
// @ts-expect-error an emitter needs a source
new EventEmitter();
// @ts-expect-error emit needs an event type
emitter.emit();
// @ts-expect-error createEvent needs a source
createEvent('a');
// @ts-expect-error emitAlert needs a message
emitter.emitAlert('a', 'info');
// @ts-expect-error an operation needs a name
emitter.operation();
// @ts-expect-error run needs a function
emitter.operation('x').run();
// @ts-expect-error publish needs an event
bus.publish();
// @ts-expect-error toCloudEvent needs an event
toCloudEvent();
// @ts-expect-error fromCloudEvent needs an object
fromCloudEvent();
// @ts-expect-error emitEvent needs a source
emitEvent('a');
// @ts-expect-error ScheduledEmit objects come from emitLater only
new ScheduledEmit();
// @ts-expect-error an event type is a string
emitter.emit(EventType);

// ---------------------------------------------------------------------------
// EventOperationContext.run keeps the callback's return type.
// ---------------------------------------------------------------------------
const op = emitter.operation('typed');
expectType<Equal<ReturnType<typeof op.run<number>>, number>>(true);
const ran = op.run(() => ({ rows: 3 }));
expectType<Equal<typeof ran, { rows: number }>>(true);
const ranAsync = op.run(async (c) => { c.update({ progress: 1 }); return [1, 2]; });
expectType<Equal<typeof ranAsync, Promise<number[]>>>(true);
const ranVoid = op.run((c) => { c.emit('x'); });
expectType<Equal<typeof ranVoid, void>>(true);
// @ts-expect-error run returns what the callback returns (number), not a string
const wrongSync: string = op.run(() => 42);
// @ts-expect-error run of an async callback returns a promise, not the value
const wrongAwaited: string = op.run(async () => 'text');
// @ts-expect-error the promise carries the callback's result type
const wrongPromise: Promise<number> = op.run(async () => 'text');
// @ts-expect-error the callback receives the context, not an emitter
op.run((c: EventEmitter) => c);
void wrongSync; void wrongAwaited; void wrongPromise;

// ---------------------------------------------------------------------------
// `using`: contexts, buses and emitters are disposable.
// ---------------------------------------------------------------------------
function withUsing(): string | null {
  using scoped = emitter.operation('scoped').enter();
  expectType<Equal<typeof scoped, EventOperationContext>>(true);
  scoped.update({ progress: 10 });
  using scopedBus = new EventBus();
  using scopedEmitter = new EventEmitter('scoped', scopedBus);
  using scopedAsync = new AsyncEventEmitter('scoped', scopedBus);
  void scopedEmitter; void scopedAsync;
  return scoped.correlationId;
}
void withUsing;
const disposable: Disposable = emitter.operation('d');
void disposable;
// @ts-expect-error a ScheduledEmit is not disposable (dispose would not cancel it)
const notDisposable: Disposable = new AsyncEventEmitter().emitLater('x');
void notDisposable;

// ---------------------------------------------------------------------------
// AbortSignal and async iteration.
// ---------------------------------------------------------------------------
const controller = new AbortController();
bus.subscribe('a', () => {}, { signal: controller.signal });
// A structural signal is enough: no DOM or Node.js types needed.
const minimal: AbortSignalLike = { aborted: false, addEventListener: (_type, _listener, _options) => {} };
bus.subscribe('a', () => {}, { signal: minimal, subscriberId: 'x', priority: 1 });
const domSignal: AbortSignalLike = AbortSignal.timeout(10);
void domSignal;
// @ts-expect-error a signal is an AbortSignal, not a boolean
bus.subscribe('a', () => {}, { signal: true });
// @ts-expect-error a signal needs addEventListener
bus.subscribe('a', () => {}, { signal: { aborted: false } });
// @ts-expect-error a signal is an AbortSignal, not its controller
bus.events('a', { signal: controller });

const stream = bus.events<N>(['n.*', 'm'], { signal: controller.signal, bufferSize: 16 });
expectType<Equal<typeof stream, AsyncIterableIterator<CodomyrmexEvent<N>> & { readonly dropped: number }>>(true);
expectType<Equal<typeof stream, EventStream<N>>>(true);
const droppedCount: number = stream.dropped;
// @ts-expect-error dropped is read-only
stream.dropped = 0;
const untyped = bus.events('a');
expectType<Equal<typeof untyped, EventStream<Record<string, unknown>>>>(true);
async function consume(): Promise<number> {
  let sum = 0;
  for await (const ev of bus.events<N>('n.*')) {
    sum += ev.data.n;
    // @ts-expect-error events are read-only
    ev.data = { n: 2 };
    if (sum > 10) break;
  }
  const first = await stream.next();
  if (!first.done) expectType<Equal<typeof first.value, CodomyrmexEvent<N>>>(true);
  await stream.return?.();
  return sum;
}
void consume; void droppedCount;

// ---------------------------------------------------------------------------
// CloudEvents.
// ---------------------------------------------------------------------------
const order = createEvent('orders.created', 'shop', { data: { id: 7 }, correlationId: 'c' });
const ce = toCloudEvent(order);
expectType<Equal<typeof ce, CloudEventObject<{ id: number }>>>(true);
expectType<Equal<typeof ce.specversion, '1.0'>>(true);
expectType<Equal<typeof ce.datacontenttype, 'application/json'>>(true);
expectType<Equal<typeof ce.priority, 0 | 1 | 2>>(true);
expectType<Equal<typeof ce.correlationid, string | undefined>>(true);
expectType<Equal<typeof ce.data.id, number>>(true);
const ceBody: string = JSON.stringify(ce);
void ceBody;
// The round trip keeps the data type.
const ceBack = fromCloudEvent(ce);
expectType<Equal<typeof ceBack, CodomyrmexEvent<{ id: number }>>>(true);
// Plain objects, with the priority as a number or its string form.
const fromPlain = fromCloudEvent({
  specversion: '1.0', id: 'i', source: '/s', type: 't.x', data: { q: 'v' }, priority: '2', correlationid: null,
  subject: 'other attributes are ignored',
});
expectType<Equal<typeof fromPlain.data.q, string>>(true);
fromCloudEvent({ specversion: '1.0', id: 'i', source: '/s', type: 't.x', time: '2024-01-01T00:00:00Z', priority: 1 });
const fromUnknown = fromCloudEvent<N>(JSON.parse('{}') as CloudEventInput);
expectType<Equal<typeof fromUnknown.data.n, number>>(true);
// The cloudevents SDK's CloudEvent class, as its declarations describe it
// (declared here: the SDK's own .d.ts needs @types/node).
declare class SdkCloudEvent<T = undefined> {
  id: string; type: string; source: string; specversion: string;
  datacontenttype?: string; dataschema?: string; subject?: string; time?: string;
  data?: T; data_base64?: string;
  [key: string]: unknown;
  validate(): boolean;
}
declare const sdkTyped: SdkCloudEvent<{ total: number }>;
declare const sdkUnknown: SdkCloudEvent<unknown>;
declare const sdkNoData: SdkCloudEvent;
const fromSdk = fromCloudEvent(sdkTyped);
expectType<Equal<typeof fromSdk.data.total, number>>(true);
const fromSdkUnknown = fromCloudEvent(sdkUnknown);
expectType<Equal<typeof fromSdkUnknown, CodomyrmexEvent>>(true);
const fromSdkNamed = fromCloudEvent<{ total: number }>(sdkUnknown);
expectType<Equal<typeof fromSdkNamed.data.total, number>>(true);
fromCloudEvent(sdkNoData);
// @ts-expect-error priority 3 does not exist
fromCloudEvent({ specversion: '1.0', id: 'i', source: '/s', type: 't', priority: 3 });
// @ts-expect-error nor does its string form
fromCloudEvent({ specversion: '1.0', id: 'i', source: '/s', type: 't', priority: '3' });
// @ts-expect-error source is required
fromCloudEvent({ specversion: '1.0', id: 'i', type: 't' });
// @ts-expect-error id is required
fromCloudEvent({ specversion: '1.0', source: '/s', type: 't' });
// @ts-expect-error specversion is required
fromCloudEvent({ id: 'i', source: '/s', type: 't' });
// @ts-expect-error time is a string (RFC 3339)
fromCloudEvent({ specversion: '1.0', id: 'i', source: '/s', type: 't', time: new Date() });
// @ts-expect-error the correlation id is a string or null
fromCloudEvent({ specversion: '1.0', id: 'i', source: '/s', type: 't', correlationid: 5 });
// @ts-expect-error toCloudEvent takes an event, not a CloudEvent
toCloudEvent(ce);
