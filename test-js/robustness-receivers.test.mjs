// Methods called on the wrong object: `EventBus.prototype.publish.call(x, …)`
// with x an instance of another class of the package, a freed instance, a
// plain object, an object made from the prototype (also one given another
// object's Rust address, or a copy of an instance), a primitive… Every such
// call is refused (a TypeError, or an Error saying the object has been freed)
// and nothing else happens: the WebAssembly memory of the other objects is
// never read or written through the wrong type. Each class runs in a child
// process (support/robustness-receivers-child.mjs): a call through the wrong
// type may corrupt the instance or hang what follows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { runChild } from './support/robustness.mjs';

const RUNS = Number(process.env.ROBUSTNESS_RUNS ?? 240);
const child = fileURLToPath(new URL('./support/robustness-receivers-child.mjs', import.meta.url));
let totalRuns = 0;

for (const className of ['EventBus', 'EventEmitter', 'EventOperationContext', 'AsyncEventEmitter', 'ScheduledEmit']) {
  test(`${className}: every public member called on wrong receivers (${RUNS} runs, child process)`, async (t) => {
    const report = await runChild([child, className, String(RUNS)], 30_000);
    totalRuns += report.runs;
    t.diagnostic(`${report.runs} runs`);
    assert.equal(report.error, null, report.error ?? '');
    assert.equal(report.runs, RUNS);
  });
}

test('total', (t) => t.diagnostic(`${totalRuns} runs in all`));
