/**
 * codomyrmex-events: the Codomyrmex event system for JavaScript and TypeScript.
 *
 * An event bus with `fnmatch` subscription patterns, emitters with correlation
 * tracking and operation lifecycles, and the Codomyrmex JSON wire format, so
 * events cross between JavaScript and Codomyrmex's Python `events` package.
 *
 * The same declarations describe both entries:
 *
 * - `codomyrmex-events` (Node.js `import` and `require`, bundlers): ready on
 *   import; the default export {@link init} is an already-initialised no-op.
 * - `codomyrmex-events/web` (browsers without a bundler): `await init()` before
 *   using anything else, `EventType` and `Priority` included.
 *
 * Every constructor, method and function checks its arguments: a wrong type
 * throws a `TypeError`, a value out of range a `RangeError`, each naming the
 * argument. The asynchronous methods report invalid arguments as a rejected
 * promise instead. Failures of handlers never reach the emitting code.
 *
 * @packageDocumentation
 */

declare global {
  interface SymbolConstructor {
    /**
     * The well-known symbol of explicit resource management (`using`),
     * declared here too for TypeScript libraries older than `esnext`.
     */
    readonly dispose: unique symbol;
  }
  /**
   * What a `using` declaration accepts, declared here too for TypeScript
   * libraries older than `esnext` (it merges with the standard declaration).
   */
  interface Disposable {
    [Symbol.dispose](): void;
  }
}

/**
 * The part of an `AbortSignal` the library uses: the `aborted` flag and an
 * `abort` listener. The standard `AbortSignal` of browsers, Node.js, Deno and
 * Bun satisfies it; declared structurally so that no DOM or Node.js type
 * library is needed.
 *
 * @example
 * const controller = new AbortController();
 * bus.subscribe('job.*', onJob, { signal: controller.signal });
 * controller.abort(); // removes that subscription
 */
export interface AbortSignalLike {
  /** `true` once aborted. */
  readonly aborted: boolean;
  /** Registers the listener the library uses to learn of the abort. */
  addEventListener(type: "abort", listener: () => void, options?: { once?: boolean }): void;
}

// ---------------------------------------------------------------------------
// Event types and priorities
// ---------------------------------------------------------------------------

/**
 * Every standard event type of the Codomyrmex schema. Constant names are the
 * values upper-cased with dots turned into underscores.
 *
 * Any other non-empty string of at most 256 characters without whitespace is
 * a valid custom event type too.
 *
 * @example
 * emitter.emit(EventType.BUILD_START, { target: 'web' });
 */
export declare const EventType: {
  readonly SYSTEM_STARTUP: "system.startup";
  readonly SYSTEM_SHUTDOWN: "system.shutdown";
  readonly SYSTEM_ERROR: "system.error";
  readonly SYSTEM_CONFIG_CHANGE: "system.config_change";
  readonly MODULE_LOAD: "module.load";
  readonly MODULE_UNLOAD: "module.unload";
  readonly MODULE_ERROR: "module.error";
  readonly FUNCTION_CALL_START: "function.call.start";
  readonly FUNCTION_CALL_END: "function.call.end";
  readonly FUNCTION_CALL_ERROR: "function.call.error";
  readonly DATA_PROCESSING_START: "data.processing.start";
  readonly DATA_PROCESSING_END: "data.processing.end";
  readonly DATA_PROCESSING_ERROR: "data.processing.error";
  readonly DATA_VALIDATION_START: "data.validation.start";
  readonly DATA_VALIDATION_END: "data.validation.end";
  readonly DATA_VALIDATION_ERROR: "data.validation.error";
  readonly ANALYSIS_START: "analysis.start";
  readonly ANALYSIS_PROGRESS: "analysis.progress";
  readonly ANALYSIS_END: "analysis.end";
  readonly ANALYSIS_ERROR: "analysis.error";
  readonly BUILD_START: "build.start";
  readonly BUILD_PROGRESS: "build.progress";
  readonly BUILD_END: "build.end";
  readonly BUILD_ERROR: "build.error";
  readonly DEPLOYMENT_START: "deployment.start";
  readonly DEPLOYMENT_PROGRESS: "deployment.progress";
  readonly DEPLOYMENT_END: "deployment.end";
  readonly DEPLOYMENT_ERROR: "deployment.error";
  readonly USER_ACTION: "user.action";
  readonly USER_LOGIN: "user.login";
  readonly USER_LOGOUT: "user.logout";
  readonly SECURITY_VIOLATION: "security.violation";
  readonly SECURITY_AUDIT: "security.audit";
  readonly METRIC_UPDATE: "metric.update";
  readonly ALERT_TRIGGERED: "alert.triggered";
  readonly ALERT_RESOLVED: "alert.resolved";
  readonly CUSTOM: "custom";
};

/** One of the standard event type strings, e.g. `"system.startup"`. */
export type EventType = (typeof EventType)[keyof typeof EventType];

/**
 * An event type argument: a standard {@link EventType} (offered by editors)
 * or any custom name, e.g. `"orders.created"`. At runtime it must be a
 * non-empty string of at most 256 characters without whitespace.
 */
export type EventTypeName = EventType | (string & {});

/**
 * Event priorities: 0 normal, 1 high, 2 critical.
 *
 * @example
 * emitter.emit('disk.full', { free: 0 }, { priority: Priority.CRITICAL });
 */
export declare const Priority: {
  readonly NORMAL: 0;
  readonly HIGH: 1;
  readonly CRITICAL: 2;
};

/** An event priority: `0` normal, `1` high, `2` critical. */
export type Priority = (typeof Priority)[keyof typeof Priority];

// ---------------------------------------------------------------------------
// Events and the wire format
// ---------------------------------------------------------------------------

/** A JSON-like object of string keys, the default shape of event data. */
export type EventData = Record<string, unknown>;

/**
 * An event, as handlers receive it. The object is frozen; the `metadata`
 * object the library builds is frozen too. `data` is the caller's own object,
 * passed through without copying.
 *
 * @typeParam D - the shape of `data`.
 */
export interface CodomyrmexEvent<D extends object = EventData> {
  /** A standard {@link EventType} or any custom dotted name. */
  readonly eventType: string;
  /** Who emitted the event. */
  readonly source: string;
  /** A UUID v4, lower-case and hyphenated. */
  readonly eventId: string;
  /** Milliseconds since the Unix epoch (an integer for emitted events; may be fractional when read from the wire). */
  readonly timestamp: number;
  /** The id that ties the events of one operation or request together, or `null`. */
  readonly correlationId: string | null;
  /** The payload: the caller's object, not a copy. */
  readonly data: D;
  /** Extra information about the event. */
  readonly metadata: Readonly<Record<string, unknown>>;
  /** `0` normal, `1` high, `2` critical. */
  readonly priority: Priority;
}

/** Options of {@link createEvent}; absent fields get the defaults. */
export interface CreateEventOptions<D extends object = EventData> {
  /** The payload (a non-null object); default `{}`. */
  data?: D;
  /** Extra information (a non-null object); default `{}`. */
  metadata?: Readonly<Record<string, unknown>>;
  /** Default `null`. */
  correlationId?: string | null;
  /** Default `0`. */
  priority?: Priority;
  /** Default: a fresh UUID v4. */
  eventId?: string;
  /** Milliseconds since the epoch, a finite number ≥ 0; default: now. */
  timestamp?: number;
}

/**
 * Builds a frozen event.
 *
 * @example
 * bus.publish(createEvent('orders.created', 'shop', { data: { id: 7 }, priority: Priority.HIGH }));
 *
 * @param eventType - a standard {@link EventType} or a custom name.
 * @param source - who emits it, a non-empty string.
 * @throws TypeError / RangeError for invalid arguments, naming the argument.
 */
export declare function createEvent<D extends object = EventData>(
  eventType: EventTypeName,
  source: string,
  options?: CreateEventOptions<D>,
): CodomyrmexEvent<D>;

/**
 * Writes an event in the Codomyrmex wire format: the JSON that Python's
 * `Event.to_json` writes, keys `event_type`, `source`, `event_id`,
 * `timestamp` (seconds since the epoch, a float), `correlation_id`, `data`,
 * `metadata`, `priority`, in `json.dumps` layout.
 *
 * @example
 * const json = eventToJSON(event); // '{"event_type": "orders.created", "source": "shop", ...}'
 *
 * @param event - an event, or any object with the event fields.
 * @throws TypeError if `event` is not an event or its data cannot be written as JSON.
 */
export declare function eventToJSON(event: CodomyrmexEvent<object>): string;

/**
 * Reads an event in the Codomyrmex wire format. A missing `event_id` gets a
 * fresh UUID, a missing `timestamp` the current time. `__proto__` keys stay
 * ordinary data and never reach a prototype.
 *
 * @example
 * const event = eventFromJSON<{ id: number }>(text); // event.data.id: number
 *
 * @param json - the JSON text, at most 1 MiB, nested at most 64 levels deep.
 * @throws SyntaxError if the text is not JSON.
 * @throws TypeError if a field has the wrong type (the message names the key).
 * @throws RangeError if the text is too long or too deeply nested, or a value is out of range.
 */
export declare function eventFromJSON<D extends object = EventData>(json: string): CodomyrmexEvent<D>;

// ---------------------------------------------------------------------------
// CloudEvents
// ---------------------------------------------------------------------------

/**
 * An event as a CloudEvents 1.0 object in structured JSON mode, as
 * {@link toCloudEvent} writes it: the context attributes, JSON `data`, and
 * the extension attributes `correlationid` and `priority`.
 * `JSON.stringify` of it is a valid `application/cloudevents+json` body.
 * (A type alias rather than an interface, so that it is assignable to
 * {@link CloudEventInput} and other records of attributes.)
 *
 * @typeParam D - the shape of `data`.
 */
export type CloudEventObject<D extends object = EventData> = {
  /** Always `"1.0"`. */
  specversion: "1.0";
  /** The event's {@link CodomyrmexEvent.eventId}. */
  id: string;
  /** The event's {@link CodomyrmexEvent.source}. */
  source: string;
  /** The event's {@link CodomyrmexEvent.eventType}. */
  type: string;
  /** The timestamp as RFC 3339 UTC with milliseconds, e.g. `"2023-11-14T22:13:20.123Z"`. */
  time: string;
  /** Always `"application/json"`. */
  datacontenttype: "application/json";
  /** The event's data (the same object, not a copy). */
  data: D;
  /** Extension attribute: the correlation id; absent when the event has none. */
  correlationid?: string;
  /** Extension attribute: the priority, a CloudEvents Integer. */
  priority: Priority;
};

/**
 * What {@link fromCloudEvent} reads: a CloudEvents 1.0 event in structured
 * mode, as a plain object (e.g. a parsed JSON body) or an instance of the
 * `cloudevents` SDK's `CloudEvent`. Other attributes (`subject`,
 * `dataschema`, other extensions) are allowed and ignored.
 *
 * @typeParam D - the type of `data`.
 */
export interface CloudEventInput<D = unknown> {
  /** Must be `"1.0"` (`RangeError` otherwise). */
  readonly specversion: string;
  /** A non-empty string; becomes {@link CodomyrmexEvent.eventId}. */
  readonly id: string;
  /** A non-empty string. */
  readonly source: string;
  /** A valid event type: non-empty, at most 256 characters, no whitespace. */
  readonly type: string;
  /** An RFC 3339 date-time (any offset, any fraction of a second); absent means now. */
  readonly time?: string;
  /** A JSON media type (`application/json`, `…+json`, parameters allowed); absent means JSON. */
  readonly datacontenttype?: string;
  /** An object (not an array); absent means `{}`. */
  readonly data?: D;
  /** Extension attribute: the correlation id; absent or `null` means none. */
  readonly correlationid?: string | null;
  /** Extension attribute: 0, 1 or 2, as a number or its string form (as binary-mode headers carry it); absent means 0. */
  readonly priority?: Priority | `${Priority}`;
  /** Any other attribute, ignored. */
  readonly [attribute: string]: unknown;
}

/**
 * Converts an event to a CloudEvents 1.0 object in structured JSON mode:
 * `specversion`, `id`, `source`, `type`, `time` (RFC 3339 UTC with
 * milliseconds), `datacontenttype` `"application/json"`, `data`, and the
 * extension attributes `correlationid` (left out when `null`) and `priority`.
 * The metadata is not carried.
 *
 * @example
 * const body = JSON.stringify(toCloudEvent(event)); // Content-Type: application/cloudevents+json
 *
 * @param event - an event, or any object with the event fields.
 * @throws TypeError if `event` is not an event.
 */
export declare function toCloudEvent<D extends object = EventData>(event: CodomyrmexEvent<D>): CloudEventObject<D>;

/**
 * Reads a CloudEvents 1.0 event in structured mode (a plain object or a
 * `cloudevents` SDK `CloudEvent`) as a frozen event with empty metadata.
 * The data type is inferred from `data` when it is an object type.
 *
 * @example
 * const event = fromCloudEvent(JSON.parse(body)); // then bus.publish(event)
 *
 * @throws TypeError if an attribute has the wrong type or `data` is not an object (the message names the attribute).
 * @throws RangeError if `specversion` is not `"1.0"`, `time` is not RFC 3339, `datacontenttype` is not JSON, or `priority` is not 0–2.
 */
export declare function fromCloudEvent<D extends object = EventData>(cloudEvent: CloudEventInput<D>): CodomyrmexEvent<D>;
/**
 * Reads a CloudEvents 1.0 event whose `data` has no known object type (e.g.
 * a `CloudEvent<unknown>` from a transport); name the data type, if known,
 * with `fromCloudEvent<MyData>(cloudEvent)`.
 */
export declare function fromCloudEvent<D extends object = EventData>(cloudEvent: CloudEventInput): CodomyrmexEvent<D>;

// ---------------------------------------------------------------------------
// EventBus
// ---------------------------------------------------------------------------

/**
 * A subscription handler. It may return a promise: a rejection counts as a
 * failure, like a throw; neither ever reaches the publisher.
 */
export type EventHandler<D extends object = EventData> = (event: CodomyrmexEvent<D>) => unknown;

/** A subscription filter: returning `false` skips the handler for that event. */
export type EventFilter<D extends object = EventData> = (event: CodomyrmexEvent<D>) => boolean;

/** Options of {@link EventBus} construction. */
export interface EventBusOptions {
  /** How many failed events the dead-letter queue keeps (the newest); an integer ≥ 0, default 1000. */
  deadLetterLimit?: number;
}

/** Options of {@link EventBus.subscribe}. */
export interface SubscribeOptions<D extends object = EventData> {
  /** The subscription's id; default `subscriber_N`. An existing id is replaced. */
  subscriberId?: string;
  /** Called before the handler; returning `false` skips it. A throwing filter counts as a failure. */
  filter?: EventFilter<D>;
  /** A safe integer; higher runs first, equal priorities in subscription order. Default 0. */
  priority?: number;
  /**
   * Aborting it removes this subscription (and only this one: a later
   * subscription under the same id stays). Already aborted: nothing is subscribed.
   */
  signal?: AbortSignalLike;
}

/** Options of {@link EventBus.events}. */
export interface EventsOptions {
  /** Aborting it unsubscribes and ends the iteration. */
  signal?: AbortSignalLike;
  /**
   * How many events may wait for the reader, an integer ≥ 1; default 1024.
   * When a slow reader lets the buffer fill, the oldest waiting event is
   * dropped and counted in {@link EventStream.dropped}.
   */
  bufferSize?: number;
}

/**
 * The async iterator {@link EventBus.events} returns: the matching events in
 * publication order, and how many were dropped because the buffer was full.
 */
export type EventStream<D extends object = EventData> = AsyncIterableIterator<CodomyrmexEvent<D>> & {
  /** How many events were dropped (the oldest waiting ones) because the buffer was full. */
  readonly dropped: number;
};

/** One subscription, as {@link EventBus.getStats} reports it. */
export interface SubscriberInfo {
  readonly eventPatterns: string[];
  readonly priority: number;
}

/** A snapshot of a bus's counters and subscriptions. */
export interface EventBusStats {
  /** Calls of `publish`/`publishAsync`, whether or not anyone subscribed. */
  readonly eventsPublished: number;
  /** Handler invocations that succeeded. */
  readonly eventsProcessed: number;
  /** Handler invocations that threw or rejected, and filters that threw. */
  readonly eventsFailed: number;
  /** The current length of the dead-letter queue. */
  readonly deadLetterCount: number;
  /** Subscription id → its patterns and priority. */
  readonly subscribers: Record<string, SubscriberInfo>;
}

/**
 * Delivers events to the subscriptions whose patterns match their type.
 *
 * @example
 * const bus = new EventBus();
 * bus.subscribe('user.*', (e) => console.log(e.eventType, e.data));
 *
 * Patterns use `fnmatch` rules on the whole event type: `*` any run of
 * characters (dots included), `?` one character, `[abc]` / `[!abc]` a set.
 * Handlers may publish, subscribe and unsubscribe on the same bus while it
 * dispatches, to any depth.
 */
export declare class EventBus {
  /**
   * @param options - `deadLetterLimit` (default 1000).
   * @throws TypeError / RangeError for invalid options.
   */
  constructor(options?: EventBusOptions);

  /**
   * Subscribes a handler to one or more patterns.
   *
   * @example
   * bus.subscribe<{ id: number }>('orders.*', (e) => console.log(e.data.id), { priority: 10 });
   *
   * @param patterns - a pattern or a non-empty array of patterns.
   * @returns the subscription id (`options.subscriberId` or `subscriber_N`).
   * @throws TypeError / RangeError for invalid arguments (e.g. `options.signal` that is not an AbortSignal).
   */
  subscribe<D extends object = EventData>(
    patterns: string | readonly string[],
    handler: EventHandler<D>,
    options?: SubscribeOptions<D>,
  ): string;

  /**
   * Removes a subscription. During a dispatch it is not called for the rest of it.
   *
   * @returns `true` if a subscription was removed, `false` if there was none with that id.
   */
  unsubscribe(subscriberId: string): boolean;

  /**
   * Runs every matching handler synchronously, highest priority first. A
   * handler that throws, or returns a promise that rejects, is isolated: the
   * others still run, the failure is counted and logged, and the event goes
   * to the dead-letter queue.
   *
   * @param event - an event, or any object with the event fields.
   */
  publish(event: CodomyrmexEvent<object>): void;

  /**
   * Like {@link EventBus.publish}, and resolves once every matching handler,
   * including the promises they return, has settled. Never rejects because
   * of handler failures; rejects with a `TypeError` for an invalid event.
   */
  publishAsync(event: CodomyrmexEvent<object>): Promise<void>;

  /** The counters and subscriptions, as a fresh snapshot. */
  getStats(): EventBusStats;

  /** Sets `eventsPublished`, `eventsProcessed` and `eventsFailed` to 0; the dead-letter queue stays. */
  resetStats(): void;

  /** The events whose handlers failed, oldest first, at most `deadLetterLimit`; a fresh copy on every read. */
  readonly deadLetterQueue: CodomyrmexEvent[];

  /** Drops every subscription. The bus stays usable. */
  shutdown(): void;

  /**
   * The events matching `patterns`, as an async iterator for `for await`.
   * Events wait in a buffer of `bufferSize` until read; when it is full the
   * oldest waiting event is dropped and counted in `dropped`. Aborting
   * `signal` or calling `return()` (which `break` does) unsubscribes and ends
   * the iteration; events still waiting are discarded.
   *
   * @example
   * for await (const event of bus.events('orders.*', { signal })) console.log(event.data);
   *
   * @throws TypeError if `bufferSize` is not a number or `signal` is not an AbortSignal.
   * @throws RangeError if `bufferSize` is not an integer ≥ 1.
   */
  events<D extends object = EventData>(patterns: string | readonly string[], options?: EventsOptions): EventStream<D>;

  /** Releases the WebAssembly side of this object now instead of at garbage collection. Do not use the object afterwards. */
  free(): void;

  /** The same as {@link EventBus.free}, for `using` declarations. */
  [Symbol.dispose](): void;
}

/**
 * The process-wide default bus; the same object on every call.
 *
 * @example
 * getEventBus().subscribe('*', (e) => console.log(e.eventType));
 */
export declare function getEventBus(): EventBus;

// ---------------------------------------------------------------------------
// EventEmitter
// ---------------------------------------------------------------------------

/** Per-call options of the emit methods. */
export interface EmitOptions {
  /** Default: the emitter's {@link EventEmitter.defaultCorrelationId} (also when `null`). */
  correlationId?: string | null;
  /** Merged over the emitter's default metadata. */
  metadata?: Readonly<Record<string, unknown>>;
  /** Default 0. */
  priority?: Priority;
}

/** One event of {@link EventEmitter.emitBatch}. */
export interface BatchEvent<D extends object = EventData> extends EmitOptions {
  eventType: EventTypeName;
  data?: D;
}

/** Options of {@link EventEmitter.updateOperation} and {@link EventOperationContext.update}. */
export interface UpdateOperationOptions {
  /** A finite number, e.g. a percentage. */
  progress?: number;
  /** A status message. */
  status?: string;
  /** Extra keys spread into the event data. */
  data?: Readonly<Record<string, unknown>>;
}

/** Options of {@link EventEmitter.endOperation}. */
export interface EndOperationOptions {
  /** Default `true`; a failed operation is published with priority 2. */
  success?: boolean;
  /** Left out of the event data when `undefined`. */
  result?: unknown;
  /** An error message; left out of the event data when `undefined`. */
  error?: string;
}

/** Options of {@link EventEmitter.emitError}. */
export interface EmitErrorOptions {
  /** Default `{}`. */
  context?: Readonly<Record<string, unknown>>;
  /** Default: the emitter's default correlation id. */
  correlationId?: string;
}

/** The kinds of metric {@link EventEmitter.emitMetric} accepts. */
export type MetricType = "gauge" | "counter" | "histogram" | "summary";

/** Options of {@link EventEmitter.emitMetric}. */
export interface EmitMetricOptions {
  /** Default `"gauge"`. */
  metricType?: MetricType;
  /** String labels; default `{}`. */
  labels?: Readonly<Record<string, string>>;
}

/** Alert levels; their priorities are info 0, warning 1, error 2, critical 2. */
export type AlertLevel = "info" | "warning" | "error" | "critical";

/** Options of {@link EventEmitter.emitAlert}. */
export interface EmitAlertOptions {
  /** Default `null`. */
  threshold?: unknown;
  /** Default `null`. */
  currentValue?: unknown;
}

/** `data` of the `custom` event {@link EventEmitter.startOperation} publishes. */
export interface OperationStartData {
  operation: string;
  phase: "start";
  operation_data: Record<string, unknown>;
}

/** `data` of the `custom` event {@link EventEmitter.updateOperation} publishes (plus the keys of `options.data`). */
export interface OperationProgressData {
  operation: string;
  phase: "progress";
  correlation_id: string;
  progress?: number;
  status?: string;
  [key: string]: unknown;
}

/** `data` of the `custom` event {@link EventEmitter.endOperation} publishes. */
export interface OperationEndData {
  operation: string;
  phase: "end";
  success: boolean;
  result?: unknown;
  error?: string;
}

/** `data` of the `system.error` event {@link EventEmitter.emitError} publishes. */
export interface ErrorEventData {
  error_type: string;
  error_message: string;
  context: Record<string, unknown>;
}

/** `data` of the `metric.update` event {@link EventEmitter.emitMetric} publishes. */
export interface MetricEventData {
  metric_name: string;
  metric_value: number | string | boolean;
  metric_type: MetricType;
  labels: Record<string, string>;
}

/** `data` of the `alert.triggered` event {@link EventEmitter.emitAlert} publishes. */
export interface AlertEventData {
  alert_name: string;
  alert_level: AlertLevel;
  message: string;
  threshold: unknown;
  current_value: unknown;
}

/**
 * Publishes events from one source, with a default correlation id, default
 * metadata, batches, operation lifecycles, and error/metric/alert helpers.
 *
 * @example
 * const emitter = new EventEmitter('accounts', bus);
 * emitter.emit<{ id: number }>('user.created', { id: 42 });
 *
 * Every event carries `source`, a fresh `eventId`, `timestamp`,
 * `correlationId = options.correlationId ?? defaultCorrelationId` and
 * `metadata = { ...defaultMetadata, ...options.metadata }`. A disabled
 * emitter publishes nothing from any method.
 */
export declare class EventEmitter {
  /**
   * @param source - a non-empty string put on every event.
   * @param eventBus - an {@link EventBus}; default {@link getEventBus}().
   */
  constructor(source: string, eventBus?: EventBus);

  /** The source put on every event. */
  readonly source: string;
  /** The bus this emitter publishes on (the object given to the constructor). */
  readonly eventBus: EventBus;
  /** Whether the emit methods publish; assign a boolean. */
  enabled: boolean;
  /** The correlation id of events that give none: the innermost open operation, or the one set by {@link EventEmitter.setCorrelationContext}. */
  readonly defaultCorrelationId: string | null;
  /** A copy of the metadata merged into every event. */
  readonly defaultMetadata: Record<string, unknown>;

  /**
   * Publishes one event. Never throws because of the bus or a handler.
   *
   * @param data - the payload, passed through; default `{}`.
   * @throws TypeError / RangeError for invalid arguments; nothing is published then.
   */
  emit<D extends object = EventData>(eventType: EventTypeName, data?: D, options?: EmitOptions): void;

  /** The same as {@link EventEmitter.emit}. */
  emitSync<D extends object = EventData>(eventType: EventTypeName, data?: D, options?: EmitOptions): void;

  /**
   * Publishes one event and resolves once its handlers have settled.
   * Invalid arguments reject the promise.
   */
  emitAsync<D extends object = EventData>(eventType: EventTypeName, data?: D, options?: EmitOptions): Promise<void>;

  /**
   * Publishes several events in order. Every item is checked first: if one is
   * invalid it throws (naming e.g. `events[1].eventType`) and publishes nothing.
   */
  emitBatch(events: readonly BatchEvent<object>[]): void;

  /**
   * Publishes several events and resolves once all their handlers have
   * settled; one failure never blocks the others. Invalid items reject the promise.
   */
  emitBatchAsync(events: readonly BatchEvent<object>[]): Promise<void>;

  /**
   * Starts an operation: publishes a `custom` event with
   * `{ operation, phase: "start", operation_data }` and makes a new UUID v4
   * the default correlation id. Operations nest: a nested start carries
   * `parent_correlation_id` in its metadata.
   *
   * @returns the operation's correlation id.
   */
  startOperation(operationName: string, operationData?: object): string;

  /** Publishes a `custom` progress event `{ operation, phase: "progress", correlation_id, progress?, status?, ...data }`. */
  updateOperation(correlationId: string, operationName: string, options?: UpdateOperationOptions): void;

  /**
   * Ends an operation: publishes a `custom` event
   * `{ operation, phase: "end", success, result?, error? }` (priority 2 if it
   * failed) and restores the enclosing operation's id as the default
   * (`null` if there is none).
   */
  endOperation(correlationId: string, operationName: string, options?: EndOperationOptions): void;

  /** A context that starts the operation on `enter()`/`run()` and ends it on `exit()`. */
  operation(operationName: string, operationData?: object): EventOperationContext;

  /** Publishes `system.error` `{ error_type, error_message, context }` with priority 2. */
  emitError(errorType: string, errorMessage: string, options?: EmitErrorOptions): void;

  /** Publishes `metric.update` `{ metric_name, metric_value, metric_type, labels }`. */
  emitMetric(metricName: string, value: number | string | boolean, options?: EmitMetricOptions): void;

  /**
   * Publishes `alert.triggered` `{ alert_name, alert_level, message, threshold, current_value }`
   * with priority info 0, warning 1, error 2, critical 2.
   */
  emitAlert(alertName: string, level: AlertLevel, message: string, options?: EmitAlertOptions): void;

  /** Makes `correlationId` the default for subsequent events. */
  setCorrelationContext(correlationId: string): void;
  /** Clears the default correlation id. */
  clearCorrelationContext(): void;
  /** Sets the metadata merged into every event; a copy is stored. */
  setDefaultMetadata(metadata: Readonly<Record<string, unknown>>): void;
  /** Sets {@link EventEmitter.enabled} to `true`. */
  enable(): void;
  /** Sets {@link EventEmitter.enabled} to `false`. */
  disable(): void;

  /** Releases the WebAssembly side of this object now instead of at garbage collection. Do not use the object afterwards. */
  free(): void;

  /** The same as {@link EventEmitter.free}, for `using` declarations. */
  [Symbol.dispose](): void;
}

/**
 * An {@link EventEmitter} for `source` on {@link getEventBus}().
 *
 * @example
 * createEmitter('cli').emitMetric('files_scanned', 120, { metricType: 'counter' });
 */
export declare function createEmitter(source: string): EventEmitter;

/**
 * Publishes one event from `source` on {@link getEventBus}().
 *
 * @example
 * emitEvent(EventType.USER_LOGIN, 'auth', { user: 'ada' }, { correlationId: requestId });
 */
export declare function emitEvent<D extends object = EventData>(
  eventType: EventTypeName,
  source: string,
  data?: D,
  options?: EmitOptions,
): void;

// ---------------------------------------------------------------------------
// EventOperationContext
// ---------------------------------------------------------------------------

/**
 * Tracks one operation: `enter()` starts it, `exit()` ends it with
 * `result: { duration }` (seconds, monotonic clock), and `run(fn)` does both
 * around a function. The context never swallows an error.
 *
 * @example
 * const rows = await emitter.operation('import', { file }).run(async (op) => {
 *   op.update({ progress: 50 });
 *   return load(file);
 * });
 */
export declare class EventOperationContext {
  constructor(emitter: EventEmitter, operationName: string, operationData?: object);

  /** The operation's correlation id; `null` until {@link EventOperationContext.enter}. */
  readonly correlationId: string | null;
  /** The operation's name. */
  readonly operationName: string;

  /**
   * Starts the operation and records the start time.
   *
   * @throws Error if it was already entered.
   */
  enter(): this;

  /**
   * Ends the operation, once: with `success: true` when `error` is `undefined`
   * or `null`, else with `success: false`, the error's message and priority 2.
   * A second call is ignored.
   *
   * @throws Error if it was never entered.
   */
  exit(error?: unknown): void;

  /**
   * Enters, calls `fn(ctx)`, and exits with success or with the thrown error /
   * rejection reason, which it rethrows. Returns what `fn` returns; when that
   * is a promise, the operation ends once it settles, and the returned promise
   * settles the same way after that. This is the way to record failures:
   * `using` cannot see an exception (see `[Symbol.dispose]`).
   *
   * @example
   * const n = emitter.operation('count').run(() => 42);                 // number
   * const rows = await emitter.operation('load').run(async () => load()); // awaited result
   *
   * @throws TypeError if `fn` is not a function.
   */
  run<T>(fn: (ctx: this) => T): T;

  /**
   * Publishes a progress event with this operation's id.
   *
   * @throws Error before {@link EventOperationContext.enter}.
   */
  update(options?: UpdateOperationOptions): void;

  /**
   * Publishes an event carrying this operation's correlation id.
   *
   * @throws Error before {@link EventOperationContext.enter}.
   */
  emit<D extends object = EventData>(eventType: EventTypeName, data?: D, options?: EmitOptions): void;

  /**
   * `exit()` unless already exited, for `using` declarations. Disposal cannot
   * see an exception thrown in the block, so the operation always ends as a
   * success this way; use {@link EventOperationContext.run} (or `exit(error)`)
   * to record failures.
   *
   * @example
   * { using op = emitter.operation('sync').enter(); op.update({ progress: 50 }); } // ends here
   */
  [Symbol.dispose](): void;

  /** Releases the WebAssembly side of this object now instead of at garbage collection. Do not use the object afterwards. */
  free(): void;
}

// ---------------------------------------------------------------------------
// AsyncEventEmitter
// ---------------------------------------------------------------------------

/**
 * A delayed emission, returned by {@link AsyncEventEmitter.emitLater} (not
 * constructed directly).
 *
 * @example
 * const later = asyncEmitter.emitLater('reminder.due', { id: 1 }, 5000);
 * if (later.cancel()) console.log('cancelled in time'); // later.done resolves false
 */
export declare class ScheduledEmit {
  private constructor();
  /** Cancels the emission; `true` if it had not fired yet, else `false`. */
  cancel(): boolean;
  /** Resolves `true` once emitted, `false` if cancelled. */
  readonly done: Promise<boolean>;
  /** Releases the WebAssembly side of this object; a pending emission still fires. Do not use the object afterwards. */
  free(): void;
}

/**
 * Emits events and waits for their handlers, or emits them later with the
 * host's `setTimeout`.
 *
 * @example
 * await new AsyncEventEmitter('jobs', bus).emit('job.done', { id: 3 }, Priority.HIGH);
 */
export declare class AsyncEventEmitter {
  /**
   * @param source - default `"async_emitter"`.
   * @param bus - default {@link getEventBus}().
   */
  constructor(source?: string, bus?: EventBus);

  /** The source put on every event. */
  readonly source: string;
  /** The bus this emitter publishes on. */
  readonly eventBus: EventBus;

  /**
   * Publishes one event and resolves once its handlers have settled.
   * Invalid arguments reject the promise.
   */
  emit<D extends object = EventData>(eventType: EventTypeName, data?: D, priority?: Priority): Promise<void>;

  /**
   * Publishes one event after `delayMs` milliseconds (a finite number ≥ 0, default 0).
   *
   * @throws TypeError / RangeError for invalid arguments.
   */
  emitLater<D extends object = EventData>(eventType: EventTypeName, data?: D, delayMs?: number): ScheduledEmit;

  /** Releases the WebAssembly side of this object now instead of at garbage collection. Do not use the object afterwards. */
  free(): void;

  /** The same as {@link AsyncEventEmitter.free}, for `using` declarations. */
  [Symbol.dispose](): void;
}

// ---------------------------------------------------------------------------
// Logging
// ---------------------------------------------------------------------------

/** Where the library reports failures; every method is optional. */
export interface Logger {
  debug?(message: string, ...details: unknown[]): void;
  info?(message: string, ...details: unknown[]): void;
  warn?(message: string, ...details: unknown[]): void;
  /** Receives handler failures as `error(message, err)`. */
  error?(message: string, ...details: unknown[]): void;
}

/**
 * Sets where failures inside emitters and the bus are reported (default:
 * `console`); `null` silences them. A logger that lacks a method or throws
 * never breaks dispatch.
 *
 * @example
 * setLogger({ error: (message, err) => myLog.error(message, err) });
 *
 * @throws TypeError for anything but an object or `null`.
 */
export declare function setLogger(logger: Logger | null): void;

// ---------------------------------------------------------------------------
// Initialisation
// ---------------------------------------------------------------------------

/** A global's instance type, or `never` where the host's type declarations lack it. */
type HostInstance<K extends string> = typeof globalThis extends { readonly [P in K]: { readonly prototype: infer I } }
  ? I
  : never;

/** `WebAssembly.Module`, where the host's type declarations have it. */
type HostWasmModule = typeof globalThis extends { readonly WebAssembly: { readonly Module: { readonly prototype: infer M } } }
  ? M
  : never;

/** The compiled module, or the bytes of `codomyrmex_events_bg.wasm`. */
export type SyncInitInput = HostWasmModule | ArrayBuffer | ArrayBufferView;

/** Where {@link init} gets the WebAssembly module: a URL, a fetch `Response`, the bytes, or the compiled module. */
export type InitInput = string | HostInstance<"URL"> | HostInstance<"Request"> | HostInstance<"Response"> | SyncInitInput;

/**
 * Loads the WebAssembly module. In `codomyrmex-events/web` await it once
 * before using anything else; without an argument it fetches the `.wasm` file
 * next to the module. In the main entry it resolves at once: the module is
 * already loaded.
 *
 * @example
 * import init, { EventBus } from 'codomyrmex-events/web';
 * await init();
 */
export default function init(input?: InitInput | PromiseLike<InitInput>): Promise<void>;

/**
 * Loads the WebAssembly module synchronously from its bytes or compiled module. A no-op once loaded.
 *
 * @example
 * initSync({ module: wasmBytes }); // e.g. the bytes of codomyrmex_events_bg.wasm
 */
export declare function initSync(input: SyncInitInput | { readonly module: SyncInitInput }): void;
