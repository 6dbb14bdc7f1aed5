// bridgeBroadcastChannel with real BroadcastChannels: in one Node.js thread,
// between two worker_threads, and between two pages in headless Chromium.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { chromium } from 'playwright-core';
import { createProject, waitFor } from './support/project.mjs';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
let project;
let lib;

before(() => {
  project = createProject('broadcast');
  for (const f of ['bc-worker.mjs', 'bc-page.html']) {
    fs.copyFileSync(new URL(`./support/${f}`, import.meta.url), path.join(project.dir, f));
  }
  lib = { ...project.require('codomyrmex-events'), ...project.require('codomyrmex-events/bridges') };
});
after(() => project?.cleanup());

const unique = (list) => new Set(list).size === list.length;
let channelCount = 0;
const channelName = () => `codomyrmex-test-${process.pid}-${++channelCount}`;

describe('in one thread', () => {
  const bridges = [];
  after(() => bridges.forEach((b) => b.close()));
  const setup = (name, options) => {
    const bus = new lib.EventBus();
    const seen = [];
    bus.subscribe('*', (e) => seen.push(e));
    const logged = [];
    const bridge = lib.bridgeBroadcastChannel(bus, name, { logger: { warn: (m) => logged.push(m) }, ...options });
    bridges.push(bridge);
    return { bus, seen, logged, bridge };
  };

  test('wrong arguments are refused', () => {
    const bus = new lib.EventBus();
    assert.throws(() => lib.bridgeBroadcastChannel(null, 'x'), TypeError);
    assert.throws(() => lib.bridgeBroadcastChannel(bus, 3), TypeError);
    assert.throws(() => lib.bridgeBroadcastChannel(bus, ''), RangeError);
    assert.throws(() => lib.bridgeBroadcastChannel(bus, 'x', { patterns: [1] }), TypeError);
    assert.throws(() => lib.bridgeBroadcastChannel(bus, 'x', { historySize: -1 }), RangeError);
  });

  test('matching events cross once, keep their fields, and are not echoed', async () => {
    const name = channelName();
    const one = setup(name, { patterns: ['job.*'] });
    const two = setup(name);
    const event = lib.createEvent('job.done', 'one', { data: { n: 1 }, correlationId: 'corr', priority: 2 });
    one.bus.publish(event);
    one.bus.publish(lib.createEvent('other', 'one'));   // not matched: stays local
    await waitFor(() => two.seen.length === 1, 'the event');
    const got = two.seen[0];
    for (const k of ['eventType', 'source', 'eventId', 'timestamp', 'correlationId', 'priority']) assert.equal(got[k], event[k], k);
    assert.deepEqual(got.data, { n: 1 });
    // two bridges everything: job.* comes back to one only if it was new.
    two.bus.publish(lib.createEvent('job.next', 'two'));
    two.bus.publish(lib.createEvent('misc', 'two'));
    await waitFor(() => one.seen.length === 4, 'the events from two');
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(one.seen.map((e) => e.eventType), ['job.done', 'other', 'job.next', 'misc']);
    assert.deepEqual(two.seen.map((e) => e.eventType), ['job.done', 'job.next', 'misc']);
    assert.deepEqual(one.bridge.stats, { sent: 1, received: 2, duplicates: 0, malformed: 0, errors: 0 });
    assert.deepEqual(two.bridge.stats, { sent: 2, received: 1, duplicates: 0, malformed: 0, errors: 0 });
  });

  test('malformed messages and duplicates are counted, never crash the bus', async () => {
    const name = channelName();
    const { bus, seen, logged, bridge } = setup(name);
    const raw = new BroadcastChannel(name);
    const wire = JSON.parse(lib.eventToJSON(lib.createEvent('ok', 'raw')));
    raw.postMessage('garbage');
    raw.postMessage({ bridge: 'other', event: { event_type: 42 } });
    raw.postMessage({ bridge: 'other', event: wire });
    raw.postMessage({ bridge: 'another', event: wire });
    await waitFor(() => bridge.stats.duplicates === 1, 'the duplicate');
    raw.close();
    assert.deepEqual(seen.map((e) => e.eventType), ['ok']);
    assert.equal(bridge.stats.malformed, 2);
    assert.equal(logged.length, 2);
    assert.match(logged[0], /malformed message dropped/);
    bus.publish(lib.createEvent('still.works', 'me'));
    assert.equal(seen.length, 2);
  });

  test('close() stops both directions', async () => {
    const name = channelName();
    const one = setup(name);
    const two = setup(name);
    one.bridge.close();
    one.bridge.close();
    assert.equal(one.bridge.closed, true);
    one.bus.publish(lib.createEvent('from.one', 'one'));
    two.bus.publish(lib.createEvent('from.two', 'two'));
    const three = setup(name);
    three.bus.publish(lib.createEvent('marker', 'three'));
    await waitFor(() => two.seen.some((e) => e.eventType === 'marker'), 'the marker');
    assert.deepEqual(two.seen.map((e) => e.eventType), ['from.two', 'marker']);
    assert.deepEqual(one.seen.map((e) => e.eventType), ['from.one']);
  });
});

test('two worker_threads exchange events once each way', async () => {
  const channel = channelName();
  const start = (name, patterns) => {
    const worker = new Worker(path.join(project.dir, 'bc-worker.mjs'), { workerData: { name, channel, patterns } });
    const w = { worker, messages: [], error: null };
    worker.on('message', (m) => w.messages.push(m));
    worker.on('error', (e) => { w.error = e; });
    w.events = (type) => w.messages.filter((m) => m.event && (!type || m.event.eventType === type)).map((m) => m.event);
    return w;
  };
  const a = start('worker-a', ['*']);
  const b = start('worker-b', ['reply.*']);
  try {
    const check = (w) => { if (w.error) throw w.error; };
    await waitFor(() => { check(a); check(b); return a.messages.some((m) => m.ready) && b.messages.some((m) => m.ready); }, 'the workers', 30000);
    a.worker.postMessage({ do: 'emit', eventType: 'task.run', data: { n: 1 }, correlationId: 'corr-w', priority: 1 });
    const got = await waitFor(() => { check(b); return b.events('task.run')[0]; }, 'b to get task.run');
    assert.deepEqual(got, a.events('task.run')[0]);
    b.worker.postMessage({ do: 'emit', eventType: 'reply.ok', data: { n: 2 }, correlationId: 'corr-w' });
    b.worker.postMessage({ do: 'emit', eventType: 'local.only', data: {} });
    const reply = await waitFor(() => { check(a); return a.events('reply.ok')[0]; }, 'a to get reply.ok');
    assert.equal(reply.correlationId, 'corr-w');
    a.worker.postMessage({ do: 'emit', eventType: 'task.marker', data: {} });
    await waitFor(() => b.events('task.marker').length, 'b to get the marker');
    assert.deepEqual(a.events().map((e) => e.eventType), ['task.run', 'reply.ok', 'task.marker']);
    assert.deepEqual(b.events().map((e) => e.eventType), ['task.run', 'reply.ok', 'local.only', 'task.marker']);
    for (const w of [a, b]) assert.ok(unique(w.events().map((e) => e.eventId)));
  } finally {
    await Promise.all([a.worker.terminate(), b.worker.terminate()]);
  }
});

test('two pages in headless Chromium exchange events once each way', async (t) => {
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm' };
  const server = http.createServer((req, res) => {
    const file = path.join(project.dir, decodeURIComponent(new URL(req.url, 'http://x').pathname));
    if (!file.startsWith(project.dir) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-gpu',
    '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'] });
  t.after(async () => {
    await browser.close();
    await new Promise((r) => server.close(r));
  });
  const context = await browser.newContext();
  const errors = [];
  const open = async (name) => {
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(`${name}: ${e.message}`));
    await page.goto(`${base}/bc-page.html?name=${name}`);
    await page.waitForFunction(() => window.ready === true, null, { timeout: 30000 });
    return page;
  };
  const a = await open('page-a');
  const b = await open('page-b');
  const seen = (page) => page.evaluate(() => window.seen);

  await a.evaluate(() => window.emit('page.hello', { n: 1 }, { correlationId: 'corr-p', priority: 2 }));
  await a.evaluate(() => window.emit('other.local', {}));
  await b.waitForFunction(() => window.seen.length >= 1, null, { timeout: 15000 });
  const [got] = await seen(b);
  const [sent] = await seen(a);
  assert.deepEqual(got, sent);
  assert.equal(got.correlationId, 'corr-p');
  assert.equal(got.priority, 2);

  await b.evaluate(() => window.emit('page.reply', { n: 2 }));
  await a.waitForFunction(() => window.seen.some((e) => e.eventType === 'page.reply'), null, { timeout: 15000 });
  await b.evaluate(() => window.emit('page.marker', {}));
  await a.waitForFunction(() => window.seen.some((e) => e.eventType === 'page.marker'), null, { timeout: 15000 });
  assert.deepEqual((await seen(a)).map((e) => e.eventType), ['page.hello', 'other.local', 'page.reply', 'page.marker']);
  assert.deepEqual((await seen(b)).map((e) => e.eventType), ['page.hello', 'page.reply', 'page.marker']);
  assert.deepEqual(await a.evaluate(() => window.bridge.stats), { sent: 1, received: 2, duplicates: 0, malformed: 0, errors: 0 });
  assert.deepEqual(errors, []);
});
