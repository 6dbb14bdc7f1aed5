// Run as `node --allow-natives-syntax robustness-deopt-child.mjs METHOD`: an
// optimized function calls METHOD while its handler deoptimizes that very
// function. Prints one JSON line if the process survives.
import { AsyncEventEmitter, EventBus, EventEmitter, createEvent } from 'codomyrmex-events';

const bus = new EventBus();
const emitter = new EventEmitter('deopt', bus);
const asyncEmitter = new AsyncEventEmitter('deopt', bus);
const calls = {
  emit: () => emitter.emit('deopt.x', { n: 1 }),
  emitAsync: () => emitter.emitAsync('deopt.x', { n: 1 }),
  emitBatchAsync: () => emitter.emitBatchAsync([{ eventType: 'deopt.x' }]),
  publishAsync: () => bus.publishAsync(createEvent('deopt.x', 'deopt')),
  asyncEmit: () => asyncEmitter.emit('deopt.x', { n: 1 }),
};
const method = process.argv[2];
const call = calls[method];
if (!call) throw new Error(`unknown method ${method}`);

let armed = false;
function caller() {
  return call();
}
bus.subscribe('deopt.*', async () => {
  if (armed) %DeoptimizeFunction(caller);
});
%PrepareFunctionForOptimization(caller);
for (let i = 0; i < 3000; i++) await caller();
armed = true;
for (let i = 0; i < 3; i++) {
  %OptimizeFunctionOnNextCall(caller);
  await caller();
}
console.log(JSON.stringify({ method, processed: bus.getStats().eventsProcessed }));
