// codomyrmex-events/bridges: an EventBus shared across tabs, workers and
// worker threads over a BroadcastChannel.
import type { EventBus, Logger } from "./index.js";

/** Options of {@link bridgeBroadcastChannel}. */
export interface BroadcastChannelBridgeOptions {
  /** Bus patterns (fnmatch) of the local events to send; default `["*"]`. */
  patterns?: string | readonly string[];
  /** How many event ids the bridge remembers to drop echoes and duplicates; default 4096. */
  historySize?: number;
  /** Where malformed messages and failures are reported (default `console`); `null` silences them. */
  logger?: Logger | null;
}

/** The counters of a bridge, as a fresh snapshot. */
export interface BridgeStats {
  /** Local events sent out. */
  sent: number;
  /** Remote events published on the local bus. */
  received: number;
  /** Remote events dropped because the bridge had already seen their id. */
  duplicates: number;
  /** Messages that were not a valid event: dropped, counted and logged. */
  malformed: number;
  /** Events that could not be sent or delivered (logged). */
  errors: number;
}

/** A running bridge. */
export interface Bridge {
  /** A random id, unique to this bridge. */
  readonly bridgeId: string;
  /** The patterns of the local events it sends. */
  readonly patterns: string[];
  /** The counters, as a fresh snapshot. */
  readonly stats: BridgeStats;
  /** Whether close() was called. */
  readonly closed: boolean;
}

/** A running BroadcastChannel bridge. */
export interface BroadcastChannelBridge extends Bridge {
  readonly channelName: string;
  /** Unsubscribes from the bus and closes the channel; idempotent. */
  close(): void;
}

/**
 * Bridges `bus` to the BroadcastChannel `channelName`: local events matching
 * `options.patterns` are posted on the channel, and events posted there by
 * other bridges (other tabs, workers, worker threads) are published on `bus`.
 * Events keep their id, timestamp, correlation id and priority; none is echoed
 * back or delivered twice.
 *
 * @example
 * const bridge = bridgeBroadcastChannel(bus, "app-events", { patterns: ["user.*"] });
 * // later
 * bridge.close();
 *
 * @throws TypeError / RangeError for invalid arguments, or when the runtime has no BroadcastChannel.
 */
export declare function bridgeBroadcastChannel(
  bus: EventBus,
  channelName: string,
  options?: BroadcastChannelBridgeOptions,
): BroadcastChannelBridge;
