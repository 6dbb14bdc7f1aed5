// Explicit resource management (`using`, TypeScript 5.2+) with codomyrmex-events,
// and why `run()` is still the way to record a failed operation.
//
// `npm test` type-checks this file against the packed package.
import { EventBus, EventEmitter } from 'codomyrmex-events';
import type { CodomyrmexEvent, OperationEndData } from 'codomyrmex-events';

// `using` frees the bus and the emitter at the end of the block.
using bus = new EventBus();
using emitter = new EventEmitter('importer', bus);

bus.subscribe<OperationEndData>('custom', (event: CodomyrmexEvent<OperationEndData>) => {
  if (event.data.phase === 'end') {
    console.log(`${event.data.operation}: success=${event.data.success}`, event.data.error ?? '');
  }
});

// A `using` block starts the operation at `enter()` and ends it when the
// block is left, also when it is left by an exception.
function importSync(rows: readonly string[]): number {
  using op = emitter.operation('import_sync', { rows: rows.length }).enter();
  op.update({ progress: 50 });
  op.emit('rows.read', { count: rows.length });
  return rows.length;
} // the end event is published here: success=true

// Disposal cannot see the exception, so this operation ends as a success
// even though the block throws.
function failsButLooksFine(): void {
  using op = emitter.operation('looks_fine').enter();
  void op;
  throw new Error('disk full');
}

// run() sees the exception: the end event says success=false and carries
// the message, and the error is rethrown.
function failsAndSaysSo(): void {
  emitter.operation('says_so').run(() => {
    throw new Error('disk full');
  });
}

// run() keeps the callback's return type: a value, or a promise of one.
const count: number = emitter.operation('count').run(() => importSync(['a', 'b']));
const names: Promise<string[]> = emitter.operation('load').run(async (op) => {
  op.update({ progress: 100, status: 'loaded' });
  return ['ada', 'grace'];
});

for (const attempt of [failsButLooksFine, failsAndSaysSo]) {
  try {
    attempt();
  } catch (error) {
    console.log('caught:', (error as Error).message);
  }
}
console.log(count, await names);
