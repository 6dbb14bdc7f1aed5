// Summarises a V8 .cpuprofile (from `node --cpu-prof`): the functions with the
// most self time, and the inclusive time of each call into the package's glue.
// A WebAssembly function of a build without a name section shows as
// wasm-function[N]; it is listed with the glue function it was called under.
//
//   node bench/profile-summary.mjs FILE.cpuprofile [--top N]
import fs from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
const topIndex = args.indexOf('--top');
const top = topIndex >= 0 ? Number(args.splice(topIndex, 2)[1]) : 25;
const file = args[0];
if (!file) {
  console.error('usage: node bench/profile-summary.mjs FILE.cpuprofile [--top N]');
  process.exit(2);
}
const profile = JSON.parse(fs.readFileSync(file, 'utf8'));

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

// Self time per node: each sample's time delta goes to the node it hit.
const self = new Map();
let total = 0;
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0;
  self.set(id, (self.get(id) ?? 0) + dt);
  total += dt;
});

const isGlue = (cf) => /\/pkg\/(node|web)\//.test(cf.url) && !cf.functionName.startsWith('__wbg_');
const where = (cf) => {
  if (!cf.url) return '';
  const base = path.basename(cf.url.replace(/^file:\/\//, ''));
  return cf.url.startsWith('wasm://') ? '' : `${base}:${cf.lineNumber + 1}`;
};
const nameOf = (cf) => cf.functionName || '(anonymous)';

/** The nearest glue function (a method of the package's JS API) above a node. */
function glueAbove(id) {
  for (let p = parent.get(id); p !== undefined; p = parent.get(p)) {
    const cf = byId.get(p).callFrame;
    if (isGlue(cf)) return `${nameOf(cf)} ${where(cf)}`;
  }
  return '';
}

const rows = new Map();
for (const [id, us] of self) {
  const cf = byId.get(id).callFrame;
  const wasm = cf.url.startsWith('wasm://') || /^wasm-function\[/.test(cf.functionName);
  const key = wasm ? `${nameOf(cf)}  (wasm, under ${glueAbove(id) || '?'})` : `${nameOf(cf)}  ${where(cf)}`.trim();
  rows.set(key, (rows.get(key) ?? 0) + us);
}

const pct = (us) => `${((100 * us) / total).toFixed(1)}%`.padStart(6);
const ms = (us) => `${(us / 1000).toFixed(0)} ms`.padStart(8);
console.log(`${file}: ${(total / 1000).toFixed(0)} ms sampled\n`);
console.log(`top ${top} by self time`);
for (const [key, us] of [...rows].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(us)} ${ms(us)}  ${key}`);

// Inclusive time of the outermost glue calls (what the benchmark's loop calls).
// A generic wrapper (a glue frame whose only child is another glue frame) is
// named after what it wraps.
const inclusive = new Map();
function entryName(id) {
  const names = [];
  let n = byId.get(id);
  for (;;) {
    names.push(`${nameOf(n.callFrame)} ${where(n.callFrame)}`);
    const kids = n.children ?? [];
    if (kids.length !== 1 || !isGlue(byId.get(kids[0]).callFrame)) break;
    n = byId.get(kids[0]);
  }
  return names.join(' > ');
}
function walk(id, insideGlue) {
  const n = byId.get(id);
  let us = self.get(id) ?? 0;
  const glue = !insideGlue && isGlue(n.callFrame);
  for (const c of n.children ?? []) us += walk(c, insideGlue || glue);
  if (glue) {
    const key = entryName(id);
    inclusive.set(key, (inclusive.get(key) ?? 0) + us);
  }
  return us;
}
walk(profile.nodes[0].id, false);
console.log('\nentry points into the package, inclusive time');
for (const [key, us] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, 10)) console.log(`${pct(us)} ${ms(us)}  ${key}`);
