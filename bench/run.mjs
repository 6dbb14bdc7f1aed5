#!/usr/bin/env node
// Benchmark of the built codomyrmex-events package (pkg/) against
// eventemitter2, node:events, eventemitter3, mitt and emittery, on equal work.
// See bench/README.md. `npm run bench` builds the package first.
//
//   node bench/run.mjs [--quick] [--json FILE] [--rounds N] [--budget MS]
//                      [--warmup MS] [--startup-runs N] [--only emit,scale,...]
//                      [--clock wall|cpu] [--markdown]
//
// --clock cpu divides by the process's CPU time instead of wall time: on a
// machine shared with other work, it leaves out the time others had the CPU.
//
// --quick is a smoke run: one round, tiny budgets; it fails (exit 1) only when
// something throws or a result check fails, never because of a speed figure.
// The full run exits 0 as well when a target is missed: it is not a test.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure, roundRatio } from './lib/harness.mjs';
import emit from './scenarios/emit.mjs';
import scale, { setupTimes } from './scenarios/scale.mjs';
import asyncScenario from './scenarios/async.mjs';
import operations from './scenarios/operations.mjs';
import { measurePeerSizes, measureSize } from './scenarios/size.mjs';
import { measureStartup } from './scenarios/startup.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const pkgDir = path.join(here, '..', 'pkg');
const SCENARIOS = [emit, scale, asyncScenario, operations];
const ALL = [...SCENARIOS.map((s) => s.id), 'size', 'startup'];

function parseArgs(argv) {
  const o = { quick: false, markdown: false, clock: 'wall', json: null, rounds: null, budget: null, warmup: null, startupRuns: null, only: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    const num = () => {
      const v = Number(value());
      if (!Number.isFinite(v) || v <= 0) throw new Error(`${a} needs a positive number`);
      return v;
    };
    if (a === '--quick') o.quick = true;
    else if (a === '--markdown') o.markdown = true;
    else if (a === '--clock') {
      o.clock = value();
      if (o.clock !== 'wall' && o.clock !== 'cpu') throw new Error('--clock is wall or cpu');
    }
    else if (a === '--json') o.json = value();
    else if (a === '--rounds') o.rounds = Math.round(num());
    else if (a === '--budget') o.budget = num();
    else if (a === '--warmup') o.warmup = num();
    else if (a === '--startup-runs') o.startupRuns = Math.round(num());
    else if (a === '--only') {
      o.only = value().split(',').map((s) => s.trim()).filter(Boolean);
      const unknown = o.only.filter((s) => !ALL.includes(s));
      if (unknown.length) throw new Error(`unknown scenario(s) ${unknown.join(', ')}; known: ${ALL.join(', ')}`);
    } else if (a === '--help' || a === '-h') {
      console.log('usage: node bench/run.mjs [--quick] [--json FILE] [--rounds N] [--budget MS] [--warmup MS] ' +
        `[--startup-runs N] [--only ${ALL.join(',')}] [--clock wall|cpu] [--markdown]`);
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  return {
    quick: o.quick,
    markdown: o.markdown,
    clock: o.clock,
    json: o.json,
    only: o.only ?? ALL,
    rounds: o.rounds ?? (o.quick ? 1 : 7),
    budgetMs: o.budget ?? (o.quick ? 5 : 150),
    warmupMs: o.warmup ?? (o.quick ? 0 : 300),
    startupRuns: o.startupRuns ?? (o.quick ? 1 : 9),
  };
}

// ---- formatting ---------------------------------------------------------------
const fmtInt = (x) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : String(x));
// Two decimals, three when two would round a value across its target.
const fmtRatio = (x, r = {}) => {
  if (!Number.isFinite(x)) return String(x);
  const bound = r.min ?? r.max;
  const digits = bound !== undefined && Math.abs(x - bound) < 0.005 ? 3 : 2;
  return `${x.toFixed(digits)}×`;
};
const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');

function table(header, rows) {
  const all = [header, ...rows].map((r) => r.map(String));
  const width = header.map((_, c) => Math.max(...all.map((r) => [...r[c]].length)));
  const line = (r) => r.map((cell, c) => (c === 0 ? cell.padEnd(width[c]) : cell.padStart(width[c]))).join('  ');
  return [line(all[0]), width.map((w) => '-'.repeat(w)).join('  '), ...all.slice(1).map(line)].join('\n');
}

function machine() {
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    cpu: cpus[0]?.model?.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    v8: process.versions.v8,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
  };
}

/** The commit of the source tree, and whether it has uncommitted changes (null outside git). */
function source() {
  const git = (...a) => spawnSync('git', a, { cwd: here, encoding: 'utf8' });
  const head = git('rev-parse', '--short', 'HEAD');
  if (head.status !== 0) return null;
  const dirty = git('status', '--porcelain', '--untracked-files=no');
  let version = null;
  try {
    version = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')).version;
  } catch {
    // no built package.json: reported as null
  }
  return { commit: head.stdout.trim(), dirty: dirty.stdout.trim() !== '', version };
}

function verdict(r) {
  if (r.min !== undefined) return r.value >= r.min ? 'PASS' : 'MISS';
  if (r.max !== undefined) return r.value <= r.max ? 'PASS' : 'MISS';
  return '';
}
const targetText = (r) => (r.min !== undefined ? `>= ${r.min.toFixed(1)}×` : r.max !== undefined ? `<= ${r.max.toFixed(1)}×` : 'context');

/** The table of bench/README.md: the targets' ratios, then the context figures. */
function markdown(result, opts) {
  const m = result.machine;
  const lines = [
    `${m.date.slice(0, 10)}, ${m.cpu} (${m.cores} cores), ${m.memoryGiB} GiB, Node.js ${m.node}, ` +
      `${m.platform.split(' ')[0]} ${m.platform.split(' ').pop()}; load average ` +
      `${result.loadavg.start[0].toFixed(1)} → ${result.loadavg.end[0].toFixed(1)}` +
      `${result.source ? `; commit ${result.source.commit}${result.source.dirty ? ' (with uncommitted changes)' : ''}` : ''}. ` +
      `\`node bench/run.mjs${opts.clock === 'cpu' ? ' --clock cpu' : ''}\` (${opts.rounds} rounds × ${opts.budgetMs} ms` +
      `${opts.clock === 'cpu' ? ', ops per CPU second' : ''}).`,
    '',
    '| figure | value | target | |',
    '|---|---|---|---|',
  ];
  for (const r of result.ratios) {
    const value = r.unit === 'KB' ? `${r.value.toFixed(1)} KB` : fmtRatio(r.value, r);
    const target = r.unit === 'KB' ? `≤ ${r.max} KB` : r.min !== undefined ? `≥ ${r.min.toFixed(1)}×` : r.max !== undefined ? `≤ ${r.max.toFixed(1)}×` : '';
    lines.push(`| ${r.label.replace(/ \(context\)$/, '')} | ${value} | ${target} | ${r.verdict} |`);
  }
  if (result.size?.peers) {
    const peers = Object.entries(result.size.peers);
    lines.push(`| the same for ${peers.map(([name]) => name).join(' / ')} (minified, gzip -9) | ` +
      `${peers.map(([, p]) => (p.gzip / 1000).toFixed(1)).join(' / ')} KB | | |`);
  }
  if (result.startup) {
    const s = result.startup;
    lines.push(`| Node.js start-up, import → first emit (ms): ours / eventemitter2 / node:events | ` +
      `${s.ours.importToEmitMs.toFixed(1)} / ${s.eventemitter2.importToEmitMs.toFixed(1)} / ${s['node:events'].importToEmitMs.toFixed(1)} | | |`);
  }
  return lines.join('\n');
}

// ---- main ---------------------------------------------------------------------
async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const m = machine();
  const src = source();
  const result = {
    machine: m,
    source: src,
    settings: { quick: opts.quick, clock: opts.clock, rounds: opts.rounds, budgetMs: opts.budgetMs, warmupMs: opts.warmupMs,
      startupRuns: opts.startupRuns },
    loadavg: { start: os.loadavg() },
    scenarios: {},
    ratios: [],
  };
  console.log(`codomyrmex-events benchmark${opts.quick ? ' (--quick smoke run: figures are meaningless)' : ''}`);
  console.log(`date     ${m.date}`);
  console.log(`machine  ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.platform}`);
  console.log(`node     ${m.node} (V8 ${m.v8})`);
  if (src) console.log(`source   commit ${src.commit}${src.dirty ? ' with uncommitted changes' : ''}, package ${src.version}`);
  console.log(`load     ${load()} (1/5/15 min) at start`);
  console.log(`method   ${opts.rounds} round(s) × ${opts.budgetMs} ms per contender, interleaved, ` +
    `${opts.warmupMs} ms warm-up; medians of ops per ${opts.clock === 'cpu' ? 'CPU' : 'wall-clock'} second; ` +
    'ratios = median of per-round ratios');

  const entry = path.join(pkgDir, 'node', 'index.mjs');
  if (!fs.existsSync(entry)) throw new Error('pkg/node/index.mjs is missing: build the package first (npm run build)');
  const lib = await import(entry);
  // Handler failures are logged by the bus and never reach the emitting code:
  // count them, so a broken run cannot pass for a fast one.
  let logged = 0;
  let firstLogged = null;
  const count = (...args) => {
    logged++;
    firstLogged ??= args.map(String).join(' ');
  };
  lib.setLogger({ debug() {}, info() {}, warn: count, error: count });

  for (const s of SCENARIOS) {
    if (!opts.only.includes(s.id)) continue;
    console.log(`\n## ${s.title}`);
    const loadBefore = os.loadavg()[0];
    const res = await measure(s.contenders(lib), {
      rounds: opts.rounds,
      budgetMs: opts.budgetMs,
      warmupMs: opts.warmupMs,
      clock: opts.clock,
    });
    if (logged) throw new Error(`${s.id}: the library logged ${logged} failure(s), first: ${firstLogged}`);
    const loadAfter = os.loadavg()[0];
    console.log(table(['contender', s.unit, 'min', 'max'],
      Object.values(res).map((c) => [c.label, fmtInt(c.median), fmtInt(c.min), fmtInt(c.max)])));
    const ratios = s.ratios.map((r) => {
      const value = r.ref !== undefined ? res[r.a].median / r.ref : roundRatio(res, r.a, r.b);
      const out = { id: r.id, label: r.label, value, min: r.min, max: r.max, reference: r.ref !== undefined };
      out.verdict = verdict(out);
      return out;
    });
    console.log(table(['ratio', 'value', 'target', ''],
      ratios.map((r) => [r.label, fmtRatio(r.value, r), targetText(r), r.verdict])));
    console.log(`load (1 min) ${loadBefore.toFixed(2)} -> ${loadAfter.toFixed(2)}`);
    result.scenarios[s.id] = { title: s.title, unit: s.unit, contenders: res, loadavg1: [loadBefore, loadAfter] };
    if (s.id === 'scale') {
      result.scenarios[s.id].setupMs = { ...setupTimes };
      console.log(`subscribing 10,000 patterns took ${setupTimes['ours 10k subs'].toFixed(1)} ms (ours), ` +
        `${setupTimes['eventemitter2 10k subs'].toFixed(1)} ms (eventemitter2)`);
    }
    result.ratios.push(...ratios);
  }

  if (opts.only.includes('size')) {
    console.log('\n## Size of the ./web entry (gzip -9, node:zlib)');
    const size = measureSize(pkgDir);
    console.log(table(['file', 'bytes', 'gzip -9'],
      [...size.files.map((f) => [f.file, fmtInt(f.bytes), fmtInt(f.gzip)]), ['total', fmtInt(size.bytes), fmtInt(size.gzip)]]));
    const r = { id: 'web_gzip_kb', label: './web download, gzip -9 (KB = 1000 bytes)', value: size.gzip / 1000,
      max: size.max / 1000, unit: 'KB' };
    r.verdict = verdict(r);
    console.log(`${r.label}: ${r.value.toFixed(1)} KB, target <= ${r.max} KB: ${r.verdict}`);
    result.size = size;
    result.ratios.push(r);
    const peers = await measurePeerSizes();
    console.log(table(['peer, minified browser bundle (context)', 'bytes', 'gzip -9'],
      Object.entries(peers).map(([name, p]) => [name, fmtInt(p.bytes), fmtInt(p.gzip)])));
    result.size.peers = peers;
  }

  if (opts.only.includes('startup')) {
    console.log(`\n## Node.js start-up (fresh child processes, median of ${opts.startupRuns})`);
    const st = measureStartup(opts.startupRuns);
    console.log(table(['contender', 'import -> first emit (ms)', 'process start -> first emit (ms)', 'spawn -> exit (ms)'],
      Object.entries(st).map(([name, s]) => [name, s.importToEmitMs.toFixed(1), s.processToEmitMs.toFixed(1), s.wallMs.toFixed(1)])));
    result.startup = st;
  }

  result.loadavg.end = os.loadavg();
  console.log(`\nload     ${load()} (1/5/15 min) at end, ${m.cores} cores`);

  const targets = result.ratios.filter((r) => r.verdict);
  if (targets.length) {
    console.log('\n## Targets');
    console.log(table(['target', 'value', 'required', ''],
      targets.map((r) => [r.label, r.unit === 'KB' ? `${r.value.toFixed(1)} KB` : fmtRatio(r.value, r),
        r.unit === 'KB' ? `<= ${r.max} KB` : targetText(r), r.verdict])));
  }

  // Every figure must be a number: a NaN means a scenario silently produced nothing.
  const missing = [];
  for (const [id, s] of Object.entries(result.scenarios)) {
    for (const [name, c] of Object.entries(s.contenders)) if (!(c.median > 0)) missing.push(`${id}/${name}`);
  }
  for (const r of result.ratios) if (!Number.isFinite(r.value)) missing.push(r.id);
  if (missing.length) throw new Error(`no figure for ${missing.join(', ')}`);

  if (opts.markdown) console.log(`\n${markdown(result, opts)}`);

  if (opts.json) {
    fs.writeFileSync(opts.json, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`\nresults written to ${opts.json}`);
  }
}

main().catch((error) => {
  console.error(`\nbench: ${error?.stack ?? error}`);
  process.exit(1);
});
