// Node.js start-up: import to first emit, each measurement in a fresh child
// process (nothing cached in memory), contenders interleaved; medians.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { median } from '../lib/harness.mjs';

const child = fileURLToPath(new URL('../startup-child.mjs', import.meta.url));
export const STARTUP_CONTENDERS = ['ours', 'eventemitter2', 'node:events'];

function once(which) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [child, which], { encoding: 'utf8' });
  const wallMs = performance.now() - t0;
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`start-up child (${which}) exited ${r.status}: ${r.stderr.trim()}`);
  return { ...JSON.parse(r.stdout), wallMs };
}

export function measureStartup(runs) {
  const samples = Object.fromEntries(STARTUP_CONTENDERS.map((c) => [c, []]));
  for (const c of STARTUP_CONTENDERS) once(c); // warm the file system cache
  for (let r = 0; r < runs; r++) {
    for (let k = 0; k < STARTUP_CONTENDERS.length; k++) {
      const c = STARTUP_CONTENDERS[(r + k) % STARTUP_CONTENDERS.length];
      samples[c].push(once(c));
    }
  }
  const out = {};
  for (const c of STARTUP_CONTENDERS) {
    const s = samples[c];
    out[c] = {
      runs: s.length,
      importToEmitMs: median(s.map((x) => x.importToEmitMs)),
      processToEmitMs: median(s.map((x) => x.processToEmitMs)),
      wallMs: median(s.map((x) => x.wallMs)),
    };
  }
  return out;
}
