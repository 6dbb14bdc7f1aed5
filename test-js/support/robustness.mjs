// Helpers shared by the robustness suites (test-js/robustness-*.test.mjs):
// process-level failure watching, a recording logger, a sentinel bus that must
// keep working whatever the other objects went through, child processes for
// scenarios that could take the whole WebAssembly instance down, and a
// description of any value that never throws.
import assert from 'node:assert/strict';
import { beforeEach, afterEach } from 'node:test';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { EventBus, EventEmitter, setLogger } from 'codomyrmex-events';

/**
 * Guards every test of the calling file: nothing reaches the process
 * (unhandledRejection, uncaughtException), the sentinel bus still works, and
 * `after()` holds. With `record`, library logs go to `state.log` (a recording
 * logger, fresh per test); without, they are silenced.
 */
export function guardEachTest({ record = false, after = () => {} } = {}) {
  const state = { log: undefined };
  let proc;
  let guard;
  beforeEach(() => {
    if (record) {
      state.log = recordingLogger();
      state.log.install();
    } else {
      setLogger(null);
    }
    proc = watchProcess();
    guard = sentinel();
  });
  afterEach(async () => {
    try {
      await proc.assertNone('no unhandledRejection or uncaughtException');
      guard.check('after the test');
      after();
    } finally {
      proc.stop();
      setLogger(null);
    }
  });
  return state;
}

/** Waits for `n` turns of the event loop (setImmediate and a 0 ms timer each). */
export async function macrotasks(n = 5) {
  for (let i = 0; i < n; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

/**
 * Records every `unhandledRejection` and `uncaughtException` from now on.
 * `assertNone()` waits several macrotasks first, so that late rejections show up.
 */
export function watchProcess() {
  const seen = [];
  const onRejection = (reason) => seen.push(['unhandledRejection', show(reason)]);
  const onException = (error) => seen.push(['uncaughtException', show(error)]);
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return {
    seen,
    async assertNone(message = 'nothing reached the process') {
      await macrotasks(6);
      assert.deepEqual(seen, [], message);
    },
    stop() {
      process.off('unhandledRejection', onRejection);
      process.off('uncaughtException', onException);
    },
  };
}

/** A logger that records every call, by level. */
export function recordingLogger() {
  const calls = { debug: [], info: [], warn: [], error: [] };
  const logger = {
    debug: (...a) => calls.debug.push(a),
    info: (...a) => calls.info.push(a),
    warn: (...a) => calls.warn.push(a),
    error: (...a) => calls.error.push(a),
  };
  return { logger, calls, install: () => setLogger(logger) };
}

/**
 * A bus and an emitter that nothing else touches. `check()` emits one event and
 * asserts it arrived intact and that the statistics add up: the instance works.
 */
export function sentinel() {
  const bus = new EventBus();
  const emitter = new EventEmitter('sentinel', bus);
  const received = [];
  bus.subscribe('sentinel.*', (e) => { received.push(e); });
  let sent = 0;
  return {
    bus,
    emitter,
    check(where = '') {
      const n = ++sent;
      const data = { n };
      emitter.emit('sentinel.ping', data, { metadata: { n } });
      const e = received[received.length - 1];
      assert.equal(received.length, n, `sentinel event ${n} delivered ${where}`);
      assert.equal(e.eventType, 'sentinel.ping', where);
      assert.equal(e.source, 'sentinel', where);
      assert.equal(e.data, data, where);
      assert.equal(e.metadata.n, n, where);
      assert.match(e.eventId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, where);
      const s = bus.getStats();
      assert.equal(s.eventsPublished, n, `sentinel published ${where}`);
      assert.equal(s.eventsProcessed, n, `sentinel processed ${where}`);
      assert.equal(s.eventsFailed, 0, `sentinel failed ${where}`);
      assert.equal(s.deadLetterCount, 0, where);
    },
  };
}

/** A short description of any value, for messages; never throws (proxies, symbols, huge strings). */
export function show(value) {
  try {
    if (typeof value === 'string') {
      return value.length > 80 ? `${JSON.stringify(value.slice(0, 60))}… (${value.length} chars)` : JSON.stringify(value);
    }
    if (typeof value === 'symbol' || typeof value === 'bigint') return `${String(value)}${typeof value === 'bigint' ? 'n' : ''}`;
    if (value === null || typeof value !== 'object' && typeof value !== 'function') return String(value);
    let name = 'object';
    try {
      const ctor = Object.getPrototypeOf(value)?.constructor;
      name = typeof ctor === 'function' && typeof ctor.name === 'string' ? ctor.name : 'null-prototype object';
    } catch {
      return '<proxy that throws>';
    }
    try {
      if (value instanceof Error) return `${name}: ${value.message}`;
    } catch {
      return '<proxy that throws>';
    }
    return typeof value === 'function' ? `function ${value.name || '(anonymous)'}` : `<${name}>`;
  } catch {
    return '<unprintable>';
  }
}

/**
 * Once the tests of a file are over, a timer the library failed to cancel
 * (after a corruption, say) would keep the process alive for days: this exits
 * instead, with a message, if the process is still there `ms` later.
 */
export function exitIfStuck(ms = 15_000) {
  const timer = setTimeout(() => {
    process.stderr.write(`robustness: the process was still running ${ms} ms after its tests ended ` +
      '(a timer or handle the library failed to release); exiting with code 1\n');
    process.exit(1);
  }, ms);
  timer.unref();
}

const childScript = fileURLToPath(new URL('./robustness-isolated.mjs', import.meta.url));

/**
 * Runs one scenario of `support/robustness-isolated.mjs` in a child Node.js
 * process (so a scenario that breaks the WebAssembly instance cannot take
 * the rest of the suite with it) and returns the JSON report it prints last.
 */
export function isolated(scenario, { execArgv = [], timeoutMs = 60_000 } = {}) {
  return runChild([...execArgv, childScript, scenario], timeoutMs);
}

/** Runs `node args…` in the test project; resolves with the last JSON line printed on stdout. */
export function runChild(args, timeoutMs = 60_000) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = out.trim().split('\n').filter((l) => l.startsWith('{')).pop();
      if (!line) {
        reject(new Error(`child ${args.join(' ')} exited (${code ?? signal}) without a report:\n${out}\n${err}`));
        return;
      }
      try {
        resolve({ ...JSON.parse(line), exitCode: code, stderr: err });
      } catch (e) {
        reject(new Error(`child report is not JSON: ${line}\n${err}`));
      }
    });
  });
}
