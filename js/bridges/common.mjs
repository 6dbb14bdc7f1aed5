// Pieces shared by the bridges: argument checks, the bounded memory of event
// ids, the logger and the statistics.

/** How many event ids a bridge remembers by default. */
export const DEFAULT_HISTORY = 4096;

const typeName = (v) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

export function checkBus(where, bus) {
  if (bus === null || typeof bus !== 'object' || typeof bus.subscribe !== 'function'
    || typeof bus.unsubscribe !== 'function' || typeof bus.publish !== 'function') {
    throw new TypeError(`${where}: bus must be an EventBus, got ${typeName(bus)}`);
  }
}

export function checkOptions(where, options) {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`${where}: options must be an object, got ${typeName(options)}`);
  }
  return options;
}

/** The patterns option: a string or a non-empty array of non-empty strings. */
export function checkPatterns(where, patterns = ['*']) {
  const list = typeof patterns === 'string' ? [patterns] : patterns;
  if (!Array.isArray(list) || list.some((p) => typeof p !== 'string')) {
    throw new TypeError(`${where}: options.patterns must be a string or an array of strings`);
  }
  if (list.length === 0 || list.some((p) => p.length === 0)) {
    throw new RangeError(`${where}: options.patterns must hold at least one non-empty pattern`);
  }
  return [...new Set(list)];
}

export function checkHistory(where, historySize = DEFAULT_HISTORY) {
  if (typeof historySize !== 'number') throw new TypeError(`${where}: options.historySize must be a number`);
  if (!Number.isSafeInteger(historySize) || historySize < 1) {
    throw new RangeError(`${where}: options.historySize must be an integer >= 1, got ${historySize}`);
  }
  return historySize;
}

/** A logger with the shape setLogger takes ({ debug?, info?, warn?, error? }), or null for silence. */
export function checkLogger(where, logger) {
  if (logger === undefined) return globalThis.console;
  if (logger === null) return null;
  if (typeof logger !== 'object' && typeof logger !== 'function') {
    throw new TypeError(`${where}: options.logger must be an object with warn/error methods, or null`);
  }
  return logger;
}

/** Logs through `logger` at `level` (falling back to warn, then error); never throws. */
export function log(logger, level, message, detail) {
  if (!logger) return;
  try {
    const fn = [level, 'warn', 'error'].map((l) => logger[l]).find((f) => typeof f === 'function');
    if (detail === undefined) fn?.call(logger, message);
    else fn?.call(logger, message, detail);
  } catch {
    // A failing logger must not break the bridge.
  }
}

export function newBridgeId() {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  const hex = [];
  for (let i = 0; i < 32; i++) hex.push(Math.floor(Math.random() * 16).toString(16));
  return hex.join('');
}

/**
 * A set of at most `limit` strings: adding one more forgets the oldest.
 * A Map keeps insertion order, so the first key is the oldest.
 */
export class RecentIds {
  constructor(limit) {
    this.limit = limit;
    this.ids = new Map();
  }

  has(id) {
    return this.ids.has(id);
  }

  add(id) {
    if (this.ids.has(id)) return;
    this.ids.set(id, true);
    if (this.ids.size > this.limit) this.ids.delete(this.ids.keys().next().value);
  }

  get size() {
    return this.ids.size;
  }

  clear() {
    this.ids.clear();
  }
}

/** Counters every bridge keeps; `stats` getters hand out copies. */
export const newStats = () => ({ sent: 0, received: 0, duplicates: 0, malformed: 0, errors: 0 });

export const errorText = (e) => (e instanceof Error ? e.message : String(e));
