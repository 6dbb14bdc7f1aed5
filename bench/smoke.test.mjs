// Smoke run of the benchmark: it must run to the end without an error or a
// failed result check and produce a figure for every scenario. Speed is not
// tested. Needs the built package in pkg/ (npm run build).
//   node --test bench/smoke.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

function run(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(here, 'run.mjs'), ...args], { cwd: path.join(here, '..') });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

test('node bench/run.mjs --quick runs every scenario and checks its results', { timeout: 180_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'codomyrmex-bench-'));
  try {
    const json = path.join(dir, 'results.json');
    const { code, out } = await run(['--quick', '--json', json]);
    assert.equal(code, 0, `bench exited ${code}:\n${out}`);
    const r = JSON.parse(fs.readFileSync(json, 'utf8'));

    for (const id of ['emit', 'scale', 'async', 'operations']) {
      const s = r.scenarios[id];
      assert.ok(s, `no results for scenario ${id}`);
      const contenders = Object.entries(s.contenders);
      assert.ok(contenders.length > 0, `${id}: no contenders`);
      for (const [name, c] of contenders) {
        assert.ok(Number.isFinite(c.median) && c.median > 0, `${id}/${name}: no ops/s figure (${c.median})`);
      }
    }
    for (const id of ['emit_vs_eventemitter2', 'emit_vs_node_events', 'scale_cost_10k_vs_1', 'async_vs_emittery', 'web_gzip_kb']) {
      const ratio = r.ratios.find((x) => x.id === id);
      assert.ok(ratio, `no ratio ${id}`);
      assert.ok(Number.isFinite(ratio.value) && ratio.value > 0, `${id}: ${ratio.value}`);
      assert.match(ratio.verdict, /^(PASS|MISS)$/);
    }
    assert.ok(r.size.gzip > 0, 'no gzipped size');
    for (const [name, s] of Object.entries(r.startup)) {
      assert.ok(Number.isFinite(s.importToEmitMs) && s.importToEmitMs > 0, `start-up ${name}: ${s.importToEmitMs}`);
    }
    assert.match(r.machine.cpu, /\S/);
    assert.equal(r.machine.node, process.version);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
