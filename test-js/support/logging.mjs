// Test helpers shared by the contract suites: capturing the library's log
// output and watching for unhandled rejections.
import assert from 'node:assert/strict';
import { setLogger } from 'codomyrmex-events';

/** Routes library log output into arrays for the duration of a test. */
export function captureLogger() {
  const calls = { debug: [], info: [], warn: [], error: [] };
  setLogger({
    debug: (...a) => calls.debug.push(a),
    info: (...a) => calls.info.push(a),
    warn: (...a) => calls.warn.push(a),
    error: (...a) => calls.error.push(a),
  });
  return calls;
}

/** Fails the test if an unhandled rejection is reported while `fn` runs (and shortly after). */
export async function noUnhandledRejection(fn) {
  const seen = [];
  const listener = (reason) => seen.push(reason);
  process.on('unhandledRejection', listener);
  try {
    await fn();
    await new Promise((resolve) => setTimeout(resolve, 10));
  } finally {
    process.off('unhandledRejection', listener);
  }
  assert.deepEqual(seen, [], 'no unhandled rejection');
}
