// The packaging test: installs the packed tarball into an empty folder and uses
// it the way users do: ESM, CJS, both in one process, and a browser page.
// CODOMYRMEX_TARBALL names the tarball (scripts/test.sh sets it); without it
// the test packs ./pkg itself (run `npm run build` first).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let dir;
let tarball;

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'codomyrmex-packaging-'));
  tarball = process.env.CODOMYRMEX_TARBALL;
  if (!tarball) {
    const name = execFileSync('npm', ['pack', '--silent', path.join(root, 'pkg')], { cwd: dir, encoding: 'utf8' });
    tarball = path.join(dir, name.trim());
  }
  fs.writeFileSync(path.join(dir, 'package.json'), '{ "name": "packaging-check", "private": true }\n');
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--silent', tarball], { cwd: dir, stdio: 'inherit' });
});

after(() => fs.rmSync(dir, { recursive: true, force: true }));

// Runs a script in the temp folder and returns what it printed, parsed as JSON.
function run(file, source) {
  fs.writeFileSync(path.join(dir, file), source);
  return JSON.parse(execFileSync(process.execPath, [file], { cwd: dir, encoding: 'utf8' }));
}

// One event published end to end; `lib` is the module object, `importer` the label.
const roundTrip = (lib) => `
  const bus = new ${lib}.EventBus();
  const seen = [];
  bus.subscribe('packaging.*', (e) => seen.push({ eventType: e.eventType, source: e.source,
    data: e.data, correlationId: e.correlationId, priority: e.priority, eventId: e.eventId }));
  new ${lib}.EventEmitter('packaging', bus).emit('packaging.ping', { n: 1 });
`;

function assertRoundTrip(seen) {
  assert.equal(seen.length, 1, 'the handler ran once');
  const { eventId, ...rest } = seen[0];
  assert.deepEqual(rest, { eventType: 'packaging.ping', source: 'packaging', data: { n: 1 },
    correlationId: null, priority: 0 });
  assert.match(eventId, UUID_V4);
}

test('the tarball holds the package and nothing of the sources', () => {
  const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
    .split('\n').filter(Boolean).map((f) => f.replace(/^package\//, ''));
  for (const f of ['package.json', 'README.md', 'LICENSE', 'index.d.ts', 'web/index.js', 'web/auto.js',
    'web/codomyrmex_events_bg.wasm', 'node/index.cjs', 'node/index.mjs', 'node/core.cjs']) {
    assert.ok(files.includes(f), `${f} is in the tarball`);
  }
  const stray = files.filter((f) => /^(src|target|js|scripts|tests?|pkg-template)\//.test(f) || /\.(rs|toml|lock)$/.test(f));
  assert.deepEqual(stray, [], 'no sources or build output in the tarball');
  // Every file the package.json points at is shipped.
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'node_modules/codomyrmex-events/package.json'), 'utf8'));
  const targets = (v) => (typeof v === 'string' ? [v] : Object.values(v).flatMap(targets));
  for (const t of [...targets(manifest.exports), manifest.main, manifest.module, manifest.types]) {
    assert.ok(files.includes(t.replace(/^\.\//, '')), `${t} (named in package.json) is in the tarball`);
  }
});

test('ESM: import from the package name, ready on import; init() is a no-op', () => {
  const out = run('esm.mjs', `
    import init, * as lib from 'codomyrmex-events';
    import { EventBus, EventEmitter } from 'codomyrmex-events';
    const initType = typeof init;
    await init();
    ${roundTrip('lib')}
    console.log(JSON.stringify({ initType, named: lib.EventBus === EventBus && lib.EventEmitter === EventEmitter, seen }));
  `);
  assert.equal(out.initType, 'function');
  assert.ok(out.named, 'named imports are the namespace members');
  assertRoundTrip(out.seen);
});

test('CJS: require the package name, ready on require', () => {
  const out = run('cjs.cjs', `
    const lib = require('codomyrmex-events');
    ${roundTrip('lib')}
    console.log(JSON.stringify({ initType: typeof lib.default, seen }));
  `);
  assert.equal(out.initType, 'function');
  assertRoundTrip(out.seen);
});

test('the CommonJS build runs in strict mode, as its ES module sources do', () => {
  const core = path.join(dir, 'node_modules', 'codomyrmex-events', 'node', 'core.cjs');
  assert.match(fs.readFileSync(core, 'utf8'), /^'use strict';\n/);
});

test('ESM and CJS in one process share one instance', () => {
  const out = run('dual.mjs', `
    import { createRequire } from 'node:module';
    import * as esm from 'codomyrmex-events';
    const cjs = createRequire(import.meta.url)('codomyrmex-events');
    console.log(JSON.stringify({
      sameClass: esm.EventBus === cjs.EventBus,
      sameBus: esm.getEventBus() === cjs.getEventBus(),
      sameNames: Object.keys(esm).filter((n) => n !== 'default').sort().join()
        === Object.keys(cjs).filter((n) => n !== 'default' && n !== '__esModule').sort().join(),
    }));
  `);
  assert.deepEqual(out, { sameClass: true, sameBus: true, sameNames: true });
});

test('TypeScript resolves the one index.d.ts for import, require and ./web', (t) => {
  if (!fs.existsSync(path.join(root, 'pkg-template', 'index.d.ts'))) {
    t.skip('pkg-template/index.d.ts is not written yet (the build ships an untyped placeholder)');
    return;
  }
  fs.writeFileSync(path.join(dir, 'check.mts'), `
    import init, { EventBus, EventEmitter, type CodomyrmexEvent } from 'codomyrmex-events';
    import initWeb, * as web from 'codomyrmex-events/web';
    const bus: EventBus = new EventBus();
    bus.subscribe('a.*', (e: CodomyrmexEvent) => { const type: string = e.eventType; void type; });
    new EventEmitter('check', bus).emit('a.b', { n: 1 });
    await init();
    await initWeb();
    new web.EventBus().publish(web.createEvent('a.b', 'check'));
  `);
  fs.writeFileSync(path.join(dir, 'check.cts'), `
    import lib = require('codomyrmex-events');
    const bus: lib.EventBus = new lib.EventBus();
    new lib.EventEmitter('check', bus).emit('a.b');
  `);
  const tsc = path.join(root, 'node_modules', '.bin', 'tsc');
  execFileSync(tsc, ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext',
    '--target', 'es2022', '--lib', 'es2022,dom', 'check.mts', 'check.cts'], { cwd: dir, stdio: 'inherit' });
});

// A tiny static server over the temp folder.
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm' };
function serve(base) {
  const server = http.createServer((req, res) => {
    const file = path.join(base, decodeURIComponent(new URL(req.url, 'http://x').pathname));
    if (!file.startsWith(base + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

// Loads a page whose module script runs `body` and sets window.result; returns it.
async function runInPage(t, name, body) {
  fs.writeFileSync(path.join(dir, `${name}.html`), `<!doctype html>
<html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>${name}</title></head>
<body><script type="module">
  try {
    ${body}
  } catch (e) {
    window.result = { error: String(e && e.stack || e) };
  }
</script></body></html>
`);
  const page = await browser.newPage();
  t.after(() => page.close());
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
  await page.goto(`http://127.0.0.1:${server.address().port}/${name}.html`);
  await page.waitForFunction(() => window.result !== undefined, null, { timeout: 15000 })
    .catch((e) => assert.fail([`the page reported no result: ${e.message}`, ...problems].join('\n')));
  const result = await page.evaluate(() => window.result);
  assert.equal(result.error, undefined, result.error);
  assert.deepEqual(problems, []);
  return result;
}

let server;
let browser;
describe('browser (headless Chromium)', () => {
  before(async () => {
    server = await serve(dir);
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
        '--disable-sync', '--no-first-run'],
    });
  });
  after(async () => {
    await browser?.close();
    server?.close();
  });

  test('the ./web entry, without a bundler, after await init()', async (t) => {
    const result = await runInPage(t, 'web', `
      const { default: init, ...lib } = await import('./node_modules/codomyrmex-events/web/index.js');
      await init();
      ${roundTrip('lib')}
      window.result = { seen };
    `);
    assertRoundTrip(result.seen);
  });

  test('a bundler resolves the package to the entry that initialises itself', async (t) => {
    const bundle = path.join(dir, 'bundle');
    fs.mkdirSync(bundle, { recursive: true });
    const built = await esbuild.build({
      stdin: { contents: `import * as lib from 'codomyrmex-events';\n${roundTrip('lib')}\nwindow.result = { seen };`,
        resolveDir: dir, loader: 'js' },
      bundle: true, format: 'esm', platform: 'browser', outfile: path.join(bundle, 'app.js'),
      metafile: true, logLevel: 'silent', absWorkingDir: dir,
    });
    const inputs = Object.keys(built.metafile.inputs);
    assert.ok(inputs.includes('node_modules/codomyrmex-events/web/auto.js'), `bundled: ${inputs.join(', ')}`);
    // Bundlers emit the wasm next to the code (esbuild leaves that to us).
    fs.copyFileSync(path.join(dir, 'node_modules/codomyrmex-events/web/codomyrmex_events_bg.wasm'),
      path.join(bundle, 'codomyrmex_events_bg.wasm'));
    const result = await runInPage(t, 'bundled', "await import('./bundle/app.js');");
    assertRoundTrip(result.seen);
  });
});
