// Operations: emitter.operation(name).run(fn), which emits a start and an end
// event sharing a fresh correlation id, with one subscriber receiving both.
// Compared with the figure reported for the Codomyrmex Python package on this
// kind of machine (not measured here: Python is not part of this run).
import { SOURCE } from '../lib/contract.mjs';
import { Tally } from '../lib/harness.mjs';

export const PYTHON_OPERATIONS_PER_S = 53_000;

function ours(lib, name, label, isAsync) {
  return {
    name,
    label,
    async: isAsync,
    setup() {
      const bus = new lib.EventBus();
      const emitter = new lib.EventEmitter(SOURCE, bus);
      const t = new Tally(name);
      // Two events per operation; sum counts the successful end events.
      bus.subscribe('custom', (e) => {
        t.count++;
        if (e.data.phase === 'end') t.sum += e.data.success === true ? 1 : 0;
        else if (e.data.phase !== 'start' || e.correlationId.length !== 36) t.bad++;
      });
      const body = (ctx) => ctx.correlationId.length;
      const asyncBody = async (ctx) => ctx.correlationId.length;
      return isAsync
        ? {
          async run(n) {
            let r = 0;
            for (let k = 0; k < n; k++) r += await emitter.operation('import_batch', { batch: k }).run(asyncBody);
            if (r !== 36 * n) t.bad++;
            t.expect(2 * n, n);
          },
          check: () => t.check(),
          dispose: () => bus.shutdown(),
        }
        : {
          run(n) {
            let r = 0;
            for (let k = 0; k < n; k++) r += emitter.operation('import_batch', { batch: k }).run(body);
            if (r !== 36 * n) t.bad++;
            t.expect(2 * n, n);
          },
          check: () => t.check(),
          dispose: () => bus.shutdown(),
        };
    },
  };
}

export default {
  id: 'operations',
  title: 'Operations: operation(name).run(fn), start + end events, one subscriber',
  unit: 'operations/s',
  contenders: (lib) => [
    ours(lib, 'ours', 'ours: operation(name, data).run(fn)', false),
    ours(lib, 'ours async fn', 'ours: await operation(name, data).run(async fn) (context)', true),
  ],
  ratios: [
    { id: 'operations_vs_python', label: `operations: ours / Python original (reported ~${PYTHON_OPERATIONS_PER_S.toLocaleString('en-US')}/s)`,
      a: 'ours', ref: PYTHON_OPERATIONS_PER_S },
  ],
};
