// Runs one contender of one scenario for a while, with nothing else in the
// process, so that `node --cpu-prof` sees only that work. Then summarise the
// profile with bench/profile-summary.mjs.
//
//   node --cpu-prof --cpu-prof-dir=prof bench/profile.mjs emit ours 5
//   node bench/profile-summary.mjs prof/*.cpuprofile
//
// Arguments: scenario (emit, scale, async, operations), contender name as
// printed in the JSON results (default: ours), seconds (default 5), and
// optionally --pkg DIR to profile another build of the package than pkg/, such
// as one whose wasm keeps its function names (see bench/README.md).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { now } from './lib/harness.mjs';
import emit from './scenarios/emit.mjs';
import scale from './scenarios/scale.mjs';
import asyncScenario from './scenarios/async.mjs';
import operations from './scenarios/operations.mjs';

const scenarios = { emit, scale, async: asyncScenario, operations };
const argv = process.argv.slice(2);
const pkgAt = argv.indexOf('--pkg');
const pkgDir = pkgAt >= 0 ? path.resolve(argv.splice(pkgAt, 2)[1]) : null;
const [id = 'emit', name = 'ours', seconds = '5'] = argv;
const scenario = scenarios[id];
if (!scenario) throw new Error(`unknown scenario ${id}; known: ${Object.keys(scenarios).join(', ')}`);

const here = path.dirname(fileURLToPath(import.meta.url));
const lib = await import(path.join(pkgDir ?? path.join(here, '..', 'pkg'), 'node', 'index.mjs'));
const contender = scenario.contenders(lib).find((c) => c.name === name);
if (!contender) throw new Error(`no contender ${name} in ${id}; known: ${scenario.contenders(lib).map((c) => c.name).join(', ')}`);

const instance = await contender.setup();
const batch = 256;
let ops = 0;
const t0 = now();
while (now() - t0 < Number(seconds) * 1000) {
  if (contender.async) await instance.run(batch);
  else instance.run(batch);
  ops += batch;
}
const ms = now() - t0;
instance.check();
if (instance.dispose) await instance.dispose();
console.log(`${id}/${name}: ${ops} ops in ${ms.toFixed(0)} ms, ${Math.round((ops / ms) * 1000).toLocaleString('en-US')} ops/s`);
