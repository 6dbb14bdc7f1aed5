// The NATS bridge against a real nats-server on 127.0.0.1: two Node.js
// processes exchanging events, a server restart mid-stream, and in-process
// checks of filtering, malformed messages, duplicates and close().
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { createProject, freePort, startNatsServer, waitFor } from './support/project.mjs';

let project;
let server;
let port;

before(async () => {
  project = createProject('nats');
  fs.copyFileSync(new URL('./support/nats-peer.mjs', import.meta.url), path.join(project.dir, 'nats-peer.mjs'));
  port = await freePort();
  server = await startNatsServer(port);
});

after(async () => {
  await server?.stop();
  project?.cleanup();
});

/** A peer process: `lines` collects what it printed; `send` writes a command. */
function startPeer(name, patterns) {
  const child = spawn(process.execPath, ['nats-peer.mjs', name, server.url, JSON.stringify(patterns)],
    { cwd: project.dir, stdio: ['pipe', 'pipe', 'inherit'] });
  const peer = { name, child, lines: [], exited: false };
  readline.createInterface({ input: child.stdout }).on('line', (line) => peer.lines.push(JSON.parse(line)));
  child.on('exit', () => { peer.exited = true; });
  peer.send = (command) => child.stdin.write(`${JSON.stringify(command)}\n`);
  peer.events = (pred = () => true) => peer.lines.filter((l) => l.event && pred(l.event)).map((l) => l.event);
  peer.waitLine = (pred, what, timeout) => waitFor(() => {
    if (peer.exited) throw new Error(`${name} exited`);
    return peer.lines.find(pred);
  }, `${name}: ${what}`, timeout);
  return peer;
}

const ids = (events) => events.map((e) => e.eventId);
const unique = (list) => new Set(list).size === list.length;

describe('two Node.js processes through nats-server', () => {
  let a;
  let b;
  before(async () => {
    a = startPeer('peer-a', ['*']);
    b = startPeer('peer-b', ['demo.*', 'custom']);
    await Promise.all([a.waitLine((l) => l.ready, 'ready', 30000), b.waitLine((l) => l.ready, 'ready', 30000)]);
  });
  after(async () => {
    for (const p of [a, b]) {
      if (p && !p.exited) {
        p.send({ do: 'quit' });
        await waitFor(() => p.exited, `${p.name} to exit`, 10000).catch(() => p.child.kill('SIGKILL'));
      }
    }
  });

  test('the bridges subscribe to the translated subjects', () => {
    assert.deepEqual(a.lines.find((l) => l.ready).ready, ['test.>']);
    assert.deepEqual(b.lines.find((l) => l.ready).ready, ['test.custom', 'test.demo.>']);
  });

  test('events flow both ways once, with id, timestamp, correlation id and priority', async () => {
    a.send({ do: 'emit', eventType: 'demo.ping', data: { n: 1 }, correlationId: 'corr-ping', priority: 1 });
    const [sent] = await waitFor(() => a.events((e) => e.eventType === 'demo.ping').length && a.events((e) => e.eventType === 'demo.ping'), 'a to see its ping');
    const [got] = await waitFor(() => b.events((e) => e.eventType === 'demo.ping').length && b.events((e) => e.eventType === 'demo.ping'), 'b to get the ping');
    assert.deepEqual(got, sent);
    assert.equal(got.source, 'peer-a');
    assert.equal(got.correlationId, 'corr-ping');
    assert.equal(got.priority, 1);

    b.send({ do: 'emit', eventType: 'demo.pong', data: { n: 2 }, correlationId: 'corr-ping' });
    const [pong] = await waitFor(() => a.events((e) => e.eventType === 'demo.pong').length && a.events((e) => e.eventType === 'demo.pong'), 'a to get the pong');
    assert.equal(pong.source, 'peer-b');
    assert.deepEqual(pong.data, { n: 2 });

    // b does not bridge other.*: its bus never sees it.
    a.send({ do: 'emit', eventType: 'other.thing', data: {} });
    a.send({ do: 'emit', eventType: 'demo.marker', data: {} });
    await waitFor(() => b.events((e) => e.eventType === 'demo.marker').length, 'b to get the marker');
    assert.equal(b.events((e) => e.eventType === 'other.thing').length, 0);
  });

  test('an operation started in one process and ended in the other keeps one correlation id', async () => {
    a.send({ do: 'start', operation: 'transfer' });
    const { started } = await a.waitLine((l) => l.started, 'the operation id');
    const start = await waitFor(() => b.events((e) => e.correlationId === started && e.data.phase === 'start')[0], 'b to get the start');
    assert.equal(start.data.operation, 'transfer');
    b.send({ do: 'end', correlationId: started, operation: 'transfer' });
    const end = await waitFor(() => a.events((e) => e.correlationId === started && e.data.phase === 'end')[0], 'a to get the end');
    assert.equal(end.source, 'peer-b');
    assert.equal(end.data.success, true);
    assert.equal(end.data.result, 'peer-b');
    assert.equal(end.correlationId, start.correlationId);
  });

  test('after a server restart mid-stream, events flow again; nothing echoed or doubled', async () => {
    a.send({ do: 'stream', every: 25 });
    const ticks = () => b.events((e) => e.eventType === 'demo.tick');
    await waitFor(() => ticks().length >= 5, 'b to get 5 ticks');

    await server.stop();
    const reconnects = (p) => p.lines.filter((l) => l.status === 'reconnect').length;
    await waitFor(() => a.lines.some((l) => l.status === 'disconnect') && b.lines.some((l) => l.status === 'disconnect'),
      'both peers to see the disconnect', 20000);
    server = await startNatsServer(port);
    await waitFor(() => reconnects(a) >= 1 && reconnects(b) >= 1, 'both peers to reconnect', 30000);

    // Ticks emitted after both reconnected arrive.
    const lastBefore = Math.max(...a.events((e) => e.eventType === 'demo.tick').map((e) => e.data.n));
    await waitFor(() => ticks().filter((e) => e.data.n > lastBefore + 5).length >= 5, 'ticks after the restart', 30000);

    // Each process saw every event once: its own once, and none echoed back.
    for (const p of [a, b]) assert.ok(unique(ids(p.events())), `${p.name} saw no event twice`);
    // a sees its own ticks once each.
    const own = a.events((e) => e.eventType === 'demo.tick').map((e) => e.data.n);
    assert.ok(unique(own));
  });
});

describe('in one process, with raw NATS clients', () => {
  let nats;
  let lib;
  let bridges;
  let connections;
  before(() => {
    nats = project.require('nats');
    lib = { ...project.require('codomyrmex-events'), ...project.require('codomyrmex-events/nats') };
  });
  const setup = async (options) => {
    const nc = await nats.connect({ servers: server.url });
    const bus = new lib.EventBus();
    const seen = [];
    bus.subscribe('*', (e) => seen.push(e));
    const logged = [];
    const bridge = lib.bridgeNats(bus, nc, { logger: { warn: (m) => logged.push(m), error: (m) => logged.push(m) }, ...options });
    await bridge.ready;
    connections.push(nc);
    bridges.push(bridge);
    return { nc, bus, seen, logged, bridge };
  };
  // A third connection that speaks NATS directly.
  const raw = async () => {
    const nc = await nats.connect({ servers: server.url });
    connections.push(nc);
    return nc;
  };
  before(() => {
    bridges = [];
    connections = [];
  });
  after(async () => {
    for (const b of bridges) await b.close();
    for (const nc of connections) await nc.close();
  });

  test('subjectsFor and subjectFor', () => {
    assert.deepEqual(lib.subjectsFor('p', ['user.login']), ['p.user.login']);
    assert.deepEqual(lib.subjectsFor('p', ['user.*']), ['p.user.>']);
    assert.deepEqual(lib.subjectsFor('p', ['user.*.done', 'user.x']), ['p.user.>']);
    assert.deepEqual(lib.subjectsFor('p', ['a.?', 'b', '*']), ['p.>']);
    assert.deepEqual(lib.subjectsFor('p.q', ['[ab].c', 'a..b']), ['p.q.>']);
    assert.equal(lib.subjectFor('p', 'a.b'), 'p.a.b');
    assert.equal(lib.subjectFor('p', 'a..b'), null);
    assert.equal(lib.subjectFor('p', 'a.>'), null);
    assert.equal(lib.subjectFor('p', 'a.*'), null);
  });

  test('wrong arguments are refused', async () => {
    const bus = new lib.EventBus();
    const nc = await raw();
    assert.throws(() => lib.bridgeNats({}, nc), TypeError);
    assert.throws(() => lib.bridgeNats(bus, {}), TypeError);
    assert.throws(() => lib.bridgeNats(bus, nc, { prefix: 'a.>' }), RangeError);
    assert.throws(() => lib.bridgeNats(bus, nc, { prefix: '' }), RangeError);
    assert.throws(() => lib.bridgeNats(bus, nc, { patterns: [] }), RangeError);
    assert.throws(() => lib.bridgeNats(bus, nc, { historySize: 0 }), RangeError);
  });

  test('patterns filter exactly on both sides', async () => {
    const one = await setup({ prefix: 'f', patterns: ['user.*.done'] });
    const two = await setup({ prefix: 'f' });
    assert.deepEqual(one.bridge.subjects, ['f.user.>']);
    for (const t of ['user.a.done', 'user.a.start', 'user.b.done']) two.bus.publish(lib.createEvent(t, 'two'));
    one.bus.publish(lib.createEvent('user.z.start', 'one'));   // not sent: does not match
    one.bus.publish(lib.createEvent('user.z.done', 'one'));
    const remote = (seen, source) => seen.filter((e) => e.source === source).map((e) => e.eventType);
    await waitFor(() => remote(one.seen, 'two').length === 2 && remote(two.seen, 'one').length === 1, 'the matching events');
    await two.nc.flush();
    await one.nc.flush();
    assert.deepEqual(remote(one.seen, 'two'), ['user.a.done', 'user.b.done']);
    assert.deepEqual(remote(two.seen, 'one'), ['user.z.done']);
    assert.equal(one.bridge.stats.received, 2);
    assert.equal(one.bridge.stats.sent, 1);
  });

  test('malformed messages are counted and logged; the bus carries on', async () => {
    const { bus, seen, logged, bridge } = await setup({ prefix: 'm' });
    const nc = await raw();
    const enc = new TextEncoder();
    nc.publish('m.x', enc.encode('not json'));
    nc.publish('m.x', enc.encode('{"event_type": 3}'));
    nc.publish('m.y', enc.encode(lib.eventToJSON(lib.createEvent('x', 'raw'))));   // wrong subject
    nc.publish('m.ok', enc.encode(lib.eventToJSON(lib.createEvent('ok', 'raw', { correlationId: 'c1', priority: 2 }))));
    await waitFor(() => seen.length === 1, 'the valid event');
    assert.equal(seen[0].eventType, 'ok');
    assert.equal(seen[0].correlationId, 'c1');
    assert.equal(seen[0].priority, 2);
    assert.equal(bridge.stats.malformed, 3);
    assert.equal(logged.length, 3);
    assert.match(logged[0], /malformed message on m\.x/);
    bus.publish(lib.createEvent('local', 'me'));
    assert.equal(seen.length, 2);
  });

  test('a duplicate is delivered once; an unroutable type is skipped and logged', async () => {
    const { bus, seen, logged, bridge } = await setup({ prefix: 'd' });
    const nc = await raw();
    const sub = nc.subscribe('d.>');
    const body = new TextEncoder().encode(lib.eventToJSON(lib.createEvent('dup', 'raw')));
    nc.publish('d.dup', body);
    nc.publish('d.dup', body);
    nc.publish('d.dup', body);
    await nc.flush();
    await waitFor(() => bridge.stats.duplicates === 2, 'the duplicates');
    assert.equal(seen.length, 1);
    bus.publish(lib.createEvent('a..b', 'me'));
    assert.equal(bridge.stats.skipped, 1);
    assert.match(logged.at(-1), /not a valid NATS subject/);
    // The republished event was not sent back out either.
    assert.equal(bridge.stats.sent, 0);
    sub.unsubscribe();
  });

  test('close() stops both directions', async () => {
    const one = await setup({ prefix: 'c' });
    const two = await setup({ prefix: 'c' });
    one.bus.publish(lib.createEvent('before', 'one'));
    await waitFor(() => two.seen.length === 1, 'the first event');
    await one.bridge.close();
    assert.equal(one.bridge.closed, true);
    one.bus.publish(lib.createEvent('after', 'one'));
    two.bus.publish(lib.createEvent('after', 'two'));
    two.bus.publish(lib.createEvent('marker', 'two'));
    const three = await setup({ prefix: 'c' });
    three.bus.publish(lib.createEvent('marker2', 'three'));
    await waitFor(() => two.seen.some((e) => e.eventType === 'marker2'), 'a later event');
    assert.deepEqual(two.seen.map((e) => e.eventType), ['before', 'after', 'marker', 'marker2']);
    assert.deepEqual(one.seen.map((e) => e.eventType), ['before', 'after']);
    await one.bridge.close();   // idempotent
  });
});
