// bridgeNats: events matching some patterns shared between EventBuses in any
// number of processes and machines through a NATS server or cluster.
//
// An event of type T travels on the subject `<prefix>.T`; the message body is
// the event in the Codomyrmex wire format (what eventToJSON writes), so any
// NATS client can read and write these events. The header Codomyrmex-Bridge
// names the bridge that published it.
import { headers } from 'nats';
import { EventBus, eventFromJSON, eventToJSON } from 'codomyrmex-events';
import {
  RecentIds, checkBus, checkHistory, checkLogger, checkOptions, checkPatterns, errorText, log,
  newBridgeId, newStats,
} from './common.mjs';

const WHERE = 'bridgeNats';
/** The header naming the bridge that published a message. */
export const BRIDGE_HEADER = 'Codomyrmex-Bridge';

const GLOB = /[*?[]/;
const typeName = (v) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** A token that NATS routes literally: non-empty, not a wildcard, no whitespace. */
const literalToken = (t) => t.length > 0 && t !== '*' && t !== '>' && !/\s/.test(t);

/** The subject an event type travels on, or null when it cannot be one (`a..b`, `a.>`). */
export function subjectFor(prefix, eventType) {
  return eventType.split('.').every(literalToken) ? `${prefix}.${eventType}` : null;
}

/**
 * The NATS subjects to subscribe to for bus patterns. A bus `*` matches dots
 * too, so everything from the first token holding a glob character on becomes
 * `>`: `user.login` → `<prefix>.user.login`, `user.*` and `user.*.done` →
 * `<prefix>.user.>`, `*` → `<prefix>.>`. The bridge then filters the events
 * received with the bus's own matching, so the result is exact.
 * Subjects covered by another one are dropped, so no message arrives twice.
 */
export function subjectsFor(prefix, patterns) {
  const subjects = new Set();
  for (const pattern of patterns) {
    const kept = [];
    let wildcard = false;
    for (const token of pattern.split('.')) {
      if (GLOB.test(token) || !literalToken(token)) {
        wildcard = true;
        break;
      }
      kept.push(token);
    }
    subjects.add([prefix, ...kept, ...(wildcard ? ['>'] : [])].join('.'));
  }
  const covers = (a, b) => a !== b && a.endsWith('.>') && b.startsWith(a.slice(0, -1));
  return [...subjects].filter((s) => ![...subjects].some((other) => covers(other, s))).sort();
}

function checkPrefix(prefix = 'codomyrmex') {
  if (typeof prefix !== 'string') throw new TypeError(`${WHERE}: options.prefix must be a string, got ${typeName(prefix)}`);
  if (!prefix.split('.').every(literalToken)) {
    throw new RangeError(`${WHERE}: options.prefix must be a NATS subject without wildcards or empty tokens, got "${prefix}"`);
  }
  return prefix;
}

function checkConnection(nc) {
  if (nc === null || typeof nc !== 'object' || typeof nc.publish !== 'function'
    || typeof nc.subscribe !== 'function' || typeof nc.flush !== 'function') {
    throw new TypeError(`${WHERE}: nc must be a connected NatsConnection (from the nats package's connect()), got ${typeName(nc)}`);
  }
}

/**
 * Bridges `bus` to NATS through the connection `nc` (the caller connects and
 * closes it). Local events matching `options.patterns` (default ['*']) are
 * published to `<prefix>.<eventType>` (prefix default 'codomyrmex'); remote
 * events on the matching subjects are published on `bus`. `ready` resolves
 * once the server has the subscriptions.
 */
export function bridgeNats(bus, nc, options) {
  checkBus(WHERE, bus);
  checkConnection(nc);
  const opts = checkOptions(WHERE, options);
  const prefix = checkPrefix(opts.prefix);
  const patterns = checkPatterns(WHERE, opts.patterns);
  const seen = new RecentIds(checkHistory(WHERE, opts.historySize));
  const logger = checkLogger(WHERE, opts.logger);

  const bridgeId = newBridgeId();
  const stats = { ...newStats(), skipped: 0 };
  const label = `codomyrmex-events: NATS bridge "${prefix}"`;
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  const subjects = subjectsFor(prefix, patterns);
  let closed = false;

  // Remote events go through a private bus subscribed with the same patterns:
  // the NATS subjects may be wider than the patterns, the bus's matching is exact.
  const filter = new EventBus();
  filter.subscribe(patterns, (event) => {
    stats.received++;
    bus.publish(event);
  });

  const malformed = (subject, reason) => {
    stats.malformed++;
    log(logger, 'warn', `${label}: malformed message on ${subject} dropped: ${reason}`);
  };

  const onMessage = (err, msg) => {
    if (closed) return;
    if (err) {
      stats.errors++;
      log(logger, 'error', `${label}: subscription error: ${errorText(err)}`);
      return;
    }
    try {
      if (msg.headers?.get(BRIDGE_HEADER) === bridgeId) return;   // our own publication
      let event;
      try {
        event = eventFromJSON(decoder.decode(msg.data));
      } catch (e) {
        malformed(msg.subject, errorText(e));
        return;
      }
      if (msg.subject !== `${prefix}.${event.eventType}`) {
        malformed(msg.subject, `an event of type ${event.eventType} on the wrong subject`);
        return;
      }
      if (seen.has(event.eventId)) {
        stats.duplicates++;
        return;
      }
      seen.add(event.eventId);
      filter.publish(event);
    } catch (e) {
      stats.errors++;
      log(logger, 'error', `${label}: cannot deliver a message from ${msg?.subject}: ${errorText(e)}`);
    }
  };

  const subscriptions = [];
  let localId;
  try {
    for (const subject of subjects) subscriptions.push(nc.subscribe(subject, { callback: onMessage }));
    localId = bus.subscribe(patterns, (event) => {
      if (closed || seen.has(event.eventId)) return;   // came from NATS, or already sent
      seen.add(event.eventId);
      const subject = subjectFor(prefix, event.eventType);
      if (subject === null) {
        stats.skipped++;
        log(logger, 'warn', `${label}: event type "${event.eventType}" is not a valid NATS subject; not sent`);
        return;
      }
      try {
        const h = headers();
        h.set(BRIDGE_HEADER, bridgeId);
        nc.publish(subject, encoder.encode(eventToJSON(event)), { headers: h });
        stats.sent++;
      } catch (e) {
        stats.errors++;
        log(logger, 'error', `${label}: cannot publish event ${event.eventType} (${event.eventId}): ${errorText(e)}`);
      }
    }, { subscriberId: `bridge:nats:${bridgeId}` });
  } catch (e) {
    for (const s of subscriptions) s.unsubscribe();
    filter.shutdown();
    throw e;
  }

  const ready = nc.flush().then(() => undefined);
  ready.catch(() => {});   // awaited by whoever wants it; never an unhandled rejection

  return {
    bridgeId,
    prefix,
    patterns: [...patterns],
    subjects: [...subjects],
    ready,
    get stats() {
      return { ...stats };
    },
    get closed() {
      return closed;
    },
    /** Stops both directions; resolves once what was already published is flushed. */
    close() {
      if (closed) return Promise.resolve();
      closed = true;
      try {
        bus.unsubscribe(localId);
      } catch {
        // The bus may already be shut down or freed.
      }
      for (const s of subscriptions) {
        try {
          s.unsubscribe();
        } catch {
          // The connection may already be closed.
        }
      }
      filter.shutdown();
      seen.clear();
      if (typeof nc.isClosed === 'function' && nc.isClosed()) return Promise.resolve();
      return nc.flush().then(() => undefined, () => undefined);
    },
  };
}
