// The dashboard's static server (examples-web/serve.mjs): MIME types, the
// /pkg/ mount, refusals of directory traversal, and the command line.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const serveScript = path.join(root, 'examples-web', 'serve.mjs');
if (!fs.existsSync(path.join(root, 'pkg', 'web', 'index.js'))) {
  throw new Error('pkg/ is missing: run `npm run build` before the browser tests');
}
const { startServer } = await import(pathToFileURL(serveScript).href);

let server;
before(async () => {
  server = await startServer({ port: 0 });
});
after(() => server?.close());

/** A raw request: the path goes out exactly as given (no URL normalisation). */
function request(rawPath, method = 'GET') {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: server.port, path: rawPath, method }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('listens on 127.0.0.1 on the port it was given (0: a free one)', () => {
  assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  assert.ok(server.port > 0);
});

test('serves the page at / and the built package at /pkg/ with the right MIME types', async () => {
  const expected = {
    '/': 'text/html; charset=utf-8',
    '/index.html': 'text/html; charset=utf-8',
    '/app.js': 'text/javascript; charset=utf-8',
    '/style.css': 'text/css; charset=utf-8',
    '/favicon.svg': 'image/svg+xml',
    '/pkg/web/index.js': 'text/javascript; charset=utf-8',
    '/pkg/web/codomyrmex_events_bg.wasm': 'application/wasm',
    '/pkg/package.json': 'application/json; charset=utf-8',
  };
  for (const [p, type] of Object.entries(expected)) {
    const res = await request(p);
    assert.equal(res.status, 200, p);
    assert.equal(res.headers['content-type'], type, p);
  }
  const page = await request('/');
  assert.match(page.body.toString(), /data-testid="events-table"/);
  const wasm = await request('/pkg/web/codomyrmex_events_bg.wasm');
  assert.deepEqual([...wasm.body.subarray(0, 4)], [0x00, 0x61, 0x73, 0x6d], 'the wasm bytes, untouched');
  assert.equal(wasm.body.length, fs.statSync(path.join(root, 'pkg/web/codomyrmex_events_bg.wasm')).size);
});

test('refuses directory traversal, however it is spelled', async () => {
  const secret = fs.readFileSync(path.join(root, 'package.json'), 'utf8');
  for (const p of ['/../package.json', '/pkg/../../package.json', '/pkg/../package.json', '/%2e%2e/package.json',
    '/pkg/%2E%2E/%2e%2e/Cargo.toml', '/..%2fpackage.json', '/pkg/..%5c..%5cpackage.json', '/%2e%2e%2f%2e%2e%2fetc/passwd']) {
    const res = await request(p);
    assert.ok([400, 403].includes(res.status), `${p} → ${res.status}`);
    assert.ok(!res.body.toString().includes(secret.slice(0, 40)), `${p} leaks nothing`);
  }
  assert.equal((await request('/.hidden')).status, 403, 'no dot files');
  assert.equal((await request('/%zz')).status, 400, 'a malformed escape');
});

test('404 for what does not exist, a redirect for a folder without its slash, only GET and HEAD', async () => {
  assert.equal((await request('/nope.js')).status, 404);
  const folder = await request('/pkg');
  assert.equal(folder.status, 301);
  assert.equal(folder.headers.location, '/pkg/');
  const head = await request('/app.js', 'HEAD');
  assert.equal(head.status, 200);
  assert.equal(head.body.length, 0);
  assert.equal((await request('/', 'POST')).status, 405);
});

/** Runs serve.mjs (from `script`), resolves with what it printed once a line appears or it exits. */
function runCli(script, args, env = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`no output in time: ${out}${err}`));
    }, 5000);
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('\n')) {
        clearTimeout(timer);
        child.kill();
        resolve({ out, err, code: null });
      }
    });
    child.stderr.on('data', (d) => { err += d; });
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ out, err, code });
    });
  });
}

test('the command line prints its address; --port and PORT pick the port', async () => {
  const a = await runCli(serveScript, ['--port', '0']);
  assert.match(a.out, /http:\/\/127\.0\.0\.1:\d+\//);
  const b = await runCli(serveScript, [], { PORT: '0' });
  assert.match(b.out, /http:\/\/127\.0\.0\.1:\d+\//);
  const c = await runCli(serveScript, ['--port', 'eighty']);
  assert.equal(c.code, 2);
  assert.match(c.err, /Invalid port/);
});

test('without pkg/ the server says that `npm run build` must run first', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dashboard-serve-'));
  try {
    fs.mkdirSync(path.join(dir, 'examples-web'));
    const copy = path.join(dir, 'examples-web', 'serve.mjs');
    fs.copyFileSync(serveScript, copy);
    const res = await runCli(copy, ['--port', '0']);
    assert.equal(res.code, 1);
    assert.match(res.err, /npm run build/);
    const { startServer: start } = await import(pathToFileURL(copy).href);
    await assert.rejects(start({ port: 0 }), /npm run build/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
