// The other side of collecting cycles through handlers: a handler held only
// by its bus stays alive as long as anything can publish to it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { runChild } from './support/robustness.mjs';

const child = fileURLToPath(new URL('./support/handlers-alive-child.mjs', import.meta.url));

test('handlers survive garbage collection while an emitter, context, delayed emit or the bus can still publish', async () => {
  const report = await runChild(['--expose-gc', child], 60_000);
  assert.equal(report.exitCode, 0, report.stderr);
  assert.deepEqual(report.emitter, ['alive.emitter'], 'an emitter whose bus nothing else refers to');
  assert.equal(report.context, 2, 'an operation context: its start and end events');
  assert.deepEqual([report.laterDone, report.later], [true, ['alive.later']], 'a delayed emit');
  assert.deepEqual([report.timerDone, report.timer], [true, ['alive.timer']], 'a delayed emit only its timer refers to');
  assert.deepEqual(report.bus, ['alive.bus'], 'the bus itself');
});
