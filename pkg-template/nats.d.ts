// codomyrmex-events/nats: an EventBus shared between processes and machines
// through NATS. Needs the `nats` package (a peer dependency).
import type { EventBus, Logger } from "./index.js";

/** The subset of a `nats` NatsConnection the bridge uses. */
export interface NatsConnectionLike {
  publish(subject: string, data?: Uint8Array, options?: any): void;
  subscribe(subject: string, options?: any): { unsubscribe(max?: number): void };
  flush(): Promise<void>;
  isClosed?(): boolean;
}

/** Options of {@link bridgeNats}. */
export interface NatsBridgeOptions {
  /** The first subject token(s); an event of type T travels on `<prefix>.T`. Default `"codomyrmex"`. */
  prefix?: string;
  /** Bus patterns (fnmatch) of the events sent and received; default `["*"]`. */
  patterns?: string | readonly string[];
  /** How many event ids the bridge remembers to drop echoes and duplicates; default 4096. */
  historySize?: number;
  /** Where malformed messages and failures are reported (default `console`); `null` silences them. */
  logger?: Logger | null;
}

/** The counters of a NATS bridge, as a fresh snapshot. */
export interface NatsBridgeStats {
  /** Local events published to NATS. */
  sent: number;
  /** Remote events published on the local bus. */
  received: number;
  /** Remote events dropped because the bridge had already seen their id. */
  duplicates: number;
  /** Messages that were not a valid event on its own subject: dropped, counted and logged. */
  malformed: number;
  /** Local events whose type is not a valid subject (an empty token as in `a..b`, or a `*`/`>` token): not sent, logged. */
  skipped: number;
  /** Events that could not be sent or delivered (logged). */
  errors: number;
}

/** A running NATS bridge. */
export interface NatsBridge {
  readonly bridgeId: string;
  readonly prefix: string;
  readonly patterns: string[];
  /** The NATS subjects it subscribes to. */
  readonly subjects: string[];
  /** Resolves once the server has the bridge's subscriptions. */
  readonly ready: Promise<void>;
  readonly stats: NatsBridgeStats;
  readonly closed: boolean;
  /** Stops both directions (the connection stays open); resolves once pending publications are flushed. Idempotent. */
  close(): Promise<void>;
}

/** The header naming the bridge that published a message: `"Codomyrmex-Bridge"`. */
export declare const BRIDGE_HEADER: string;

/**
 * Bridges `bus` to NATS over `nc`, a connection from the `nats` package's
 * `connect({ servers })`, which the caller owns and closes. Local events
 * matching `options.patterns` are published to `<prefix>.<eventType>` in the
 * Codomyrmex wire format; remote events on the matching subjects are
 * published on `bus`. None is echoed back or delivered twice.
 *
 * @example
 * const nc = await connect({ servers: "nats://127.0.0.1:4222" });
 * const bridge = bridgeNats(bus, nc, { patterns: ["order.*"] });
 * await bridge.ready;
 *
 * @throws TypeError / RangeError for invalid arguments.
 */
export declare function bridgeNats(bus: EventBus, nc: NatsConnectionLike, options?: NatsBridgeOptions): NatsBridge;

/** The subject an event type travels on, or `null` when it cannot be one. */
export declare function subjectFor(prefix: string, eventType: string): string | null;

/** The NATS subjects the bridge subscribes to for these bus patterns. */
export declare function subjectsFor(prefix: string, patterns: readonly string[]): string[];
