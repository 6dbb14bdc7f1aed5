// Measurement core: contenders of one scenario run interleaved, round after
// round, each sample a fixed time budget; results are checked after every sample.
//
// A contender is { name, label?, async?, setup() } where setup() returns
// { run(n), check() }: run(n) performs n operations (returning a promise when
// `async` is set) and check() throws if the handlers did not see exactly the
// work that was done.

export const now = () => performance.now();

export function median(values) {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/**
 * Runs `fn` (sync or async) until `budgetMs` of wall time has elapsed, in
 * batches of `batch` operations. Returns the operations and the time they
 * took: wall time, or with clock "cpu" the CPU time of the process (all its
 * threads, garbage collection included), which leaves out the time other
 * processes had the CPU.
 */
async function sample(instance, isAsync, batch, budgetMs, clock = 'wall') {
  let ops = 0;
  const c0 = clock === 'cpu' ? cpuMs() : 0;
  const t0 = now();
  let t = t0;
  if (isAsync) {
    do {
      await instance.run(batch);
      ops += batch;
      t = now();
    } while (t - t0 < budgetMs);
  } else {
    do {
      instance.run(batch);
      ops += batch;
      t = now();
    } while (t - t0 < budgetMs);
  }
  instance.check();
  return { ops, ms: clock === 'cpu' ? cpuMs() - c0 : t - t0 };
}

/**
 * Doubles the batch size until one batch takes at least `targetMs`, so the
 * timer is read rarely compared with the work measured.
 */
async function calibrate(instance, isAsync, targetMs) {
  let batch = 16;
  for (;;) {
    const t0 = now();
    if (isAsync) await instance.run(batch);
    else instance.run(batch);
    const ms = now() - t0;
    if (ms >= targetMs || batch >= 1 << 22) {
      instance.check();
      return batch;
    }
    batch *= ms < targetMs / 8 ? 8 : 2;
  }
}

/**
 * Measures the contenders interleaved: round r runs every contender once, the
 * starting contender rotating each round (ABC, BCA, CAB, ...), so no contender
 * always runs first or last after a garbage collection or a load change.
 *
 * Returns { [name]: { label, samples: [ops/s per round], median, min, max } },
 * ops/s per second of wall time, or of CPU time with clock "cpu".
 */
export async function measure(contenders, { rounds, budgetMs, warmupMs, clock = 'wall', log = () => {} }) {
  const state = [];
  for (const c of contenders) {
    const instance = await c.setup();
    const batch = await calibrate(instance, !!c.async, Math.max(0.5, budgetMs / 20));
    state.push({ c, instance, batch, samples: [] });
  }
  // Warm-up: each contender runs its budget interleaved, results discarded (still checked).
  if (warmupMs > 0) {
    for (const s of state) await sample(s.instance, !!s.c.async, s.batch, warmupMs);
    for (const s of state) await sample(s.instance, !!s.c.async, s.batch, warmupMs / 2);
  }
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < state.length; k++) {
      const s = state[(r + k) % state.length];
      const { ops, ms } = await sample(s.instance, !!s.c.async, s.batch, budgetMs, clock);
      s.samples.push((ops / ms) * 1000);
    }
    log(`round ${r + 1}/${rounds}`);
  }
  const out = {};
  for (const s of state) {
    out[s.c.name] = {
      label: s.c.label ?? s.c.name,
      samples: s.samples,
      median: median(s.samples),
      min: Math.min(...s.samples),
      max: Math.max(...s.samples),
    };
    if (s.instance.dispose) await s.instance.dispose();
  }
  return out;
}

/** Median over rounds of the per-round ratio a/b (both measured in the same round). */
export function roundRatio(results, a, b) {
  const A = results[a].samples;
  const B = results[b].samples;
  return median(A.map((x, i) => x / B[i]));
}

/** A counter the handlers feed; check() compares it with the work done. */
export class Tally {
  constructor(name) {
    this.name = name;
    this.count = 0; // events the handlers received
    this.sum = 0; // sum of a field of those events
    this.bad = 0; // events that lacked a field the contract promises
    this.expectedCount = 0;
    this.expectedSum = 0;
  }

  expect(count, sum) {
    this.expectedCount += count;
    this.expectedSum += sum;
  }

  check() {
    if (this.bad !== 0) throw new Error(`${this.name}: ${this.bad} events received without the promised fields`);
    if (this.count !== this.expectedCount || this.sum !== this.expectedSum) {
      throw new Error(`${this.name}: handlers saw ${this.count} events (sum ${this.sum}), ` +
        `expected ${this.expectedCount} (sum ${this.expectedSum})`);
    }
    // Each check covers the work since the last one, so the sums stay far
    // below 2^53, where adding integers in doubles stops being exact.
    this.count = this.sum = this.expectedCount = this.expectedSum = 0;
  }
}

/** Sum of the integers start .. start + n - 1. */
export const rangeSum = (start, n) => n * start + (n * (n - 1)) / 2;
