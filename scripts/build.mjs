// Release build: cargo (wasm32) and wasm-opt into target/wasm-web, then
// assemble the publishable npm package in pkg/. Run through `npm run build`,
// which runs scripts/setup.sh first.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { renameWasmNames } from './wasm-names.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const rel = (...p) => path.join(root, ...p);
const wasmOut = rel('target', 'wasm-web');
const pkg = rel('pkg');
const wasmName = 'codomyrmex_events_bg.wasm';

function fail(message) {
  console.error(`build: ${message}`);
  process.exit(1);
}

// wasm-opt must be the one from the npm package `binaryen` (Debian's older
// binaryen produces a wasm that fails to load).
process.env.PATH = [rel('node_modules', '.bin'), path.join(process.env.HOME ?? '', '.cargo', 'bin'), process.env.PATH].join(path.delimiter);
const wasmOpt = rel('node_modules', '.bin', 'wasm-opt');
if (!fs.existsSync(wasmOpt)) fail('node_modules/.bin/wasm-opt is missing: run `npm run setup`');

function run(command, args) {
  console.log(`build: ${command} ${args.join(' ')}`);
  const { status, error } = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (error) fail(`cannot run ${command}: ${error.message}`);
  if (status !== 0) fail(`${command} failed (exit ${status})`);
}

// Start clean: a failed build leaves no stale package.
fs.rmSync(pkg, { recursive: true, force: true });
fs.rmSync(wasmOut, { recursive: true, force: true });
fs.mkdirSync(wasmOut, { recursive: true });

// 1. The wasm module: the crate (src/js binds it, js/glue.mjs is its other
// side), then wasm-opt for speed, without names, producers or the target
// features section. --converge repeats the passes while they still shrink
// the module; -ocimfs 20 inlines a function into its only caller only when
// it is small: inlining every one into the exports made the module compress
// 1.2 KB worse (gzip). Measured cost: createEvent, publish and emitMetric
// 2-5% slower; emits and operations the same.
run('cargo', ['build', '--release', '--target', 'wasm32-unknown-unknown']);
run(wasmOpt, ['-O3', '--converge', '-ocimfs', '20', '--strip-debug', '--strip-producers', '--strip-target-features',
  rel('target', 'wasm32-unknown-unknown', 'release', 'codomyrmex_events.wasm'),
  '-o', path.join(wasmOut, wasmName)]);

// 2. The JS entry: js/api.mjs, over js/glue.mjs, exports the public API.
const entry = rel('js', 'api.mjs');
if (!fs.existsSync(entry)) fail('js/api.mjs is missing');

fs.mkdirSync(path.join(pkg, 'web'), { recursive: true });
fs.mkdirSync(path.join(pkg, 'node'), { recursive: true });

// Short names across the boundary: what the browser downloads carries each
// import and export name once, if at all, and briefly.
const wasmBytes = fs.readFileSync(path.join(wasmOut, wasmName));
const wasmModule = new WebAssembly.Module(wasmBytes);
// Exports: the glue lists those it calls and asks for each by its position
// in the list (js/glue.mjs); the others keep their names.
const { exportNames } = await import(pathToFileURL(rel('js', 'glue.mjs')).href);
const exportCodes = new Map(exportNames.map((name, i) => [name, i.toString(36)]));
const moduleExports = WebAssembly.Module.exports(wasmModule).map((e) => e.name);
if (exportCodes.size !== exportNames.length) fail('js/glue.mjs lists an export twice');
const missing = exportNames.filter((n) => !moduleExports.includes(n));
if (missing.length) fail(`js/glue.mjs calls exports the module lacks: ${missing.join(', ')}`);
const kept = ['memory', 'alloc', 'cb_settle', 'cb_fire', 'cb_aborted', '__data_end', '__heap_base'];
const unused = moduleExports.filter((n) => !exportCodes.has(n) && !kept.includes(n));
if (unused.length) fail(`exports js/glue.mjs never calls: ${unused.join(', ')}`);
// Imports: esbuild shortens the keys of the glue's import object, each of
// which must be named nowhere else in the sources (it would be shortened
// there too); the module's import names follow.
const sources = ['js/glue.mjs', 'js/api.mjs', 'src/js/host.js'].map((f) => fs.readFileSync(rel(f), 'utf8')).join('\n');
const shortened = WebAssembly.Module.imports(wasmModule).map((i) => i.name)
  .filter((n) => n.includes('_') && (sources.match(new RegExp(`\\b${n}\\b`, 'g')) ?? []).length === 1);
const mangleProps = new RegExp(`^(${shortened.join('|')})$`);

const common = { entryPoints: [entry], bundle: true, logLevel: 'warning', legalComments: 'none', mangleProps };
// Browsers: ESM, the wasm is found next to it through new URL(..., import.meta.url).
const web = await esbuild.build({ ...common, outfile: path.join(pkg, 'web', 'index.js'), format: 'esm',
  platform: 'browser', minify: true, mangleCache: {} });
// Node.js: CJS. import.meta does not exist in CJS; the node entry passes the wasm
// bytes to initSync, so the glue never needs its own URL. The same short names.
await esbuild.build({ ...common, outfile: path.join(pkg, 'node', 'core.cjs'), format: 'cjs',
  platform: 'node', define: { 'import.meta.url': '__codomyrmex_module_url' }, mangleCache: web.mangleCache,
  // The sources are ES modules, strict by definition; CJS output needs saying so.
  banner: { js: "'use strict';\nconst __codomyrmex_module_url = require('node:url').pathToFileURL(__filename).href;" } });
const importCodes = new Map(shortened.map((n) => [n, web.mangleCache[n]]));
const codes = [...importCodes.values()];
if (codes.some((c) => typeof c !== 'string') || new Set(codes).size !== codes.length
  || codes.some((c) => WebAssembly.Module.imports(wasmModule).some((i) => i.name === c))) {
  fail('esbuild did not give the imports distinct new names');
}
fs.writeFileSync(path.join(pkg, 'web', wasmName), renameWasmNames(wasmBytes, { imports: importCodes, exports: exportCodes }));

// Node.js CJS entry: instantiate synchronously, so the package is ready on require.
fs.writeFileSync(path.join(pkg, 'node', 'index.cjs'), `'use strict';
const fs = require('node:fs');
const path = require('node:path');
const core = require('./core.cjs');
core.initSync({ module: fs.readFileSync(path.join(__dirname, '..', 'web', '${wasmName}')) });
module.exports = core;
`);

// Node.js ESM entry: a wrapper over the CJS one, so ESM and CJS users in one
// process share a single wasm instance. The names come from the loaded module.
const core = createRequire(import.meta.url)(path.join(pkg, 'node', 'index.cjs'));
const names = Object.keys(core).filter((n) => n !== 'default' && n !== '__esModule').sort();
if (!names.includes('EventBus')) fail(`the built module exports no EventBus (exports: ${names.join(', ')})`);
const bad = names.filter((n) => !/^[A-Za-z_$][\w$]*$/.test(n));
if (bad.length) fail(`export names that are not identifiers: ${bad.join(', ')}`);
fs.writeFileSync(path.join(pkg, 'node', 'index.mjs'), `import core from './index.cjs';
export const {
${names.map((n) => `  ${n},`).join('\n')}
} = core;
export default core.default;
`);

// Bundlers (`default` condition): ready on import through top-level await.
fs.writeFileSync(path.join(pkg, 'web', 'auto.js'), `import init from './index.js';
await init();
export * from './index.js';
export { default } from './index.js';
`);

// 3. Types, docs, package.json.
const dts = rel('pkg-template', 'index.d.ts');
if (fs.existsSync(dts)) {
  fs.copyFileSync(dts, path.join(pkg, 'index.d.ts'));
} else {
  console.warn('build: pkg-template/index.d.ts is missing; writing an untyped placeholder');
  fs.writeFileSync(path.join(pkg, 'index.d.ts'), `${names.map((n) => `export declare const ${n}: any;`).join('\n')}
export declare function initSync(input: unknown): unknown;
export default function init(input?: unknown): Promise<unknown>;
`);
}
// The same declarations, for `require` users (an .d.ts in a "type": "module" package is ESM).
fs.copyFileSync(path.join(pkg, 'index.d.ts'), path.join(pkg, 'index.d.cts'));
for (const f of ['README.md', 'LICENSE']) fs.copyFileSync(rel(f), path.join(pkg, f));

const cargo = fs.readFileSync(rel('Cargo.toml'), 'utf8');
const field = (name) => cargo.split(/^\[/m).find((s) => s.startsWith('package]'))
  ?.match(new RegExp(`^${name}\\s*=\\s*"([^"]*)"`, 'm'))?.[1];
const manifest = JSON.parse(fs.readFileSync(rel('pkg-template', 'package.json'), 'utf8'));
if (manifest.name !== field('name')) fail(`pkg-template/package.json name ${manifest.name} != crate name ${field('name')}`);
const { name, version: _ignored, ...rest } = manifest;
const out = { name, version: field('version'), ...rest };  // the crate's version, placed second
fs.writeFileSync(path.join(pkg, 'package.json'), `${JSON.stringify(out, null, 2)}\n`);

// 4. The bridges (js/bridges/): plain JS over the public API, one module per
// target. They import the core through a relative path to the entry of the
// same target, so they share its wasm instance; `nats` is a peer dependency.
const coreFor = { node_esm: '../node/index.mjs', node_cjs: '../node/index.cjs', web: '../web/index.js' };
const bridgeBuilds = [
  ['broadcast-channel.mjs', 'bridges/index.mjs', 'esm', 'node', coreFor.node_esm],
  ['broadcast-channel.mjs', 'bridges/index.cjs', 'cjs', 'node', coreFor.node_cjs],
  ['broadcast-channel.mjs', 'bridges/index.js', 'esm', 'browser', coreFor.web],
  ['nats.mjs', 'nats/index.mjs', 'esm', 'node', coreFor.node_esm],
  ['nats.mjs', 'nats/index.cjs', 'cjs', 'node', coreFor.node_cjs],
];
for (const [source, outfile, format, platform, core] of bridgeBuilds) {
  const coreExternal = { name: 'codomyrmex-core', setup(b) {
    b.onResolve({ filter: /^codomyrmex-events$/ }, () => ({ path: core, external: true }));
  } };
  await esbuild.build({ entryPoints: [rel('js', 'bridges', source)], outfile: path.join(pkg, outfile),
    bundle: true, format, platform, target: 'es2022', external: ['nats'], plugins: [coreExternal],
    logLevel: 'warning', legalComments: 'none' });
}
// Their declarations, with a .d.cts twin for `require` users.
for (const name of ['bridges', 'nats']) {
  const source = rel('pkg-template', `${name}.d.ts`);
  if (!fs.existsSync(source)) fail(`pkg-template/${name}.d.ts is missing`);
  const text = fs.readFileSync(source, 'utf8');
  fs.writeFileSync(path.join(pkg, `${name}.d.ts`), text);
  fs.writeFileSync(path.join(pkg, `${name}.d.cts`), text.replaceAll('"./index.js"', '"./index.cjs"'));
}

const kb = (f) => `${(fs.statSync(path.join(pkg, f)).size / 1024).toFixed(1)} KiB`;
console.log(`build: pkg/ ${out.name}@${out.version}: web/${wasmName} ${kb(`web/${wasmName}`)}, ` +
  `web/index.js ${kb('web/index.js')}, node/core.cjs ${kb('node/core.cjs')}, ${names.length} exports`);
