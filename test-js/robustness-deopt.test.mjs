// A function that calls into the package, optimized by V8, may be deoptimized
// while the call runs (here a handler forces it). The V8 of Node.js 20 aborts
// the whole process then if the call returned a single externref; every
// export returns a Result instead (see `Returned` in src/js/args.rs). Each
// method runs in its own child process, as a crash ends the process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { runChild } from './support/robustness.mjs';

const child = fileURLToPath(new URL('./support/robustness-deopt-child.mjs', import.meta.url));

for (const method of ['emit', 'emitAsync', 'emitBatchAsync', 'publishAsync', 'asyncEmit']) {
  test(`${method}: the caller deoptimized by its own handler mid-call, the process lives on`, async () => {
    const report = await runChild(['--allow-natives-syntax', child, method], 60_000);
    assert.equal(report.exitCode, 0, report.stderr);
    assert.equal(report.method, method);
    assert.equal(report.processed, 3003, 'every call reached the handler');
  });
}
