// bridgeBroadcastChannel: one EventBus per tab, worker or worker thread, and
// the events matching some patterns shared between them over a BroadcastChannel.
//
// A message on the channel is an envelope { bridge, event }: `bridge` is the id
// of the bridge that sent it, `event` the event as a Codomyrmex wire-format
// object (what eventToJSON writes).
import { eventFromJSON, eventToJSON } from 'codomyrmex-events';
import {
  RecentIds, checkBus, checkHistory, checkLogger, checkOptions, checkPatterns, errorText, log,
  newBridgeId, newStats,
} from './common.mjs';

const WHERE = 'bridgeBroadcastChannel';

/**
 * Bridges `bus` to the BroadcastChannel named `channelName`: local events
 * matching `options.patterns` (default ['*']) are posted on the channel, and
 * events posted by the other bridges on it are published on `bus`.
 */
export function bridgeBroadcastChannel(bus, channelName, options) {
  checkBus(WHERE, bus);
  if (typeof channelName !== 'string') throw new TypeError(`${WHERE}: channelName must be a string`);
  if (channelName.length === 0) throw new RangeError(`${WHERE}: channelName must not be empty`);
  const opts = checkOptions(WHERE, options);
  const patterns = checkPatterns(WHERE, opts.patterns);
  const seen = new RecentIds(checkHistory(WHERE, opts.historySize));
  const logger = checkLogger(WHERE, opts.logger);
  const Channel = globalThis.BroadcastChannel;
  if (typeof Channel !== 'function') throw new TypeError(`${WHERE}: this runtime has no BroadcastChannel`);

  const bridgeId = newBridgeId();
  const stats = newStats();
  const label = `codomyrmex-events: BroadcastChannel bridge "${channelName}"`;
  const channel = new Channel(channelName);
  let closed = false;

  const malformed = (reason) => {
    stats.malformed++;
    log(logger, 'warn', `${label}: malformed message dropped: ${reason}`);
  };

  channel.onmessage = (message) => {
    if (closed) return;
    try {
      const envelope = message.data;
      if (envelope === null || typeof envelope !== 'object' || typeof envelope.bridge !== 'string'
        || envelope.event === null || typeof envelope.event !== 'object') {
        malformed('not a { bridge, event } envelope');
        return;
      }
      if (envelope.bridge === bridgeId) return;   // our own message (never delivered by the spec)
      let event;
      try {
        event = eventFromJSON(JSON.stringify(envelope.event));
      } catch (e) {
        malformed(errorText(e));
        return;
      }
      if (seen.has(event.eventId)) {
        stats.duplicates++;
        return;
      }
      seen.add(event.eventId);
      stats.received++;
      bus.publish(event);
    } catch (e) {
      stats.errors++;
      log(logger, 'error', `${label}: cannot deliver a message: ${errorText(e)}`);
    }
  };
  channel.onmessageerror = () => {
    if (!closed) malformed('the message could not be deserialized');
  };

  const subscriberId = bus.subscribe(patterns, (event) => {
    if (closed || seen.has(event.eventId)) return;   // came from the channel, or already sent
    seen.add(event.eventId);
    try {
      channel.postMessage({ bridge: bridgeId, event: JSON.parse(eventToJSON(event)) });
      stats.sent++;
    } catch (e) {
      stats.errors++;
      log(logger, 'error', `${label}: cannot post event ${event.eventType} (${event.eventId}): ${errorText(e)}`);
    }
  }, { subscriberId: `bridge:broadcast-channel:${bridgeId}` });

  return {
    bridgeId,
    channelName,
    patterns: [...patterns],
    get stats() {
      return { ...stats };
    },
    get closed() {
      return closed;
    },
    close() {
      if (closed) return;
      closed = true;
      try {
        bus.unsubscribe(subscriberId);
      } catch {
        // The bus may already be shut down or freed.
      }
      channel.onmessage = null;
      channel.onmessageerror = null;
      channel.close();
      seen.clear();
    },
  };
}
