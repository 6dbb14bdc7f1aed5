// End-to-end tests of the live event dashboard (examples-web/) in headless
// Chromium: every control is used the way a person uses it (fill, select,
// click), and the tests check what the table, the timeline, the chart and the
// statistics then show. Needs the built package in pkg/ (`npm run build`).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const RED = 'rgb(220, 38, 38)';

if (!fs.existsSync(path.join(root, 'pkg', 'web', 'index.js'))) {
  throw new Error('pkg/ is missing: run `npm run build` before the browser tests');
}
const { startServer } = await import(pathToFileURL(path.join(root, 'examples-web', 'serve.mjs')).href);
// The same package in Node.js: the expected error texts come from it, not from copies.
const lib = await import(pathToFileURL(path.join(root, 'pkg', 'node', 'index.mjs')).href);

/** `name: message` of what the package throws for `fn`. */
function packageError(fn) {
  lib.setLogger(null);
  try {
    fn(new lib.EventEmitter('dashboard', new lib.EventBus()), new lib.EventBus());
  } catch (err) {
    return `${err.name}: ${err.message}`;
  } finally {
    lib.setLogger(console);
  }
  throw new Error('expected the package to throw');
}

let server;
let browser;
const allProblems = [];

before(async () => {
  server = await startServer({ port: 0 });
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic'],
  });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

// ------------------------------------------------------------------ helpers

/** A fresh dashboard page; page errors and console errors are collected. */
async function openDashboard() {
  // Tall enough for the whole dashboard: nothing scrolls under the pointer.
  const page = await browser.newPage({ viewport: { width: 1440, height: 1700 }, reducedMotion: 'reduce' });
  page.setDefaultTimeout(8000);
  const problems = [];
  const problem = (text) => {
    problems.push(text);
    allProblems.push(text);
  };
  page.on('pageerror', (err) => problem(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problem(`console error: ${msg.text()}`);
  });
  await page.goto(server.url);
  await page.locator('body[data-ready="true"]').waitFor({ timeout: 10_000 });
  const by = (id) => page.getByTestId(id);
  return {
    page,
    by,
    /** Closes the page and fails the test if anything went wrong on it. */
    async done() {
      await page.close();
      assert.deepEqual(problems, [], 'no page errors and no console errors');
    },
  };
}

/** The table rows, newest first. */
function rows(page) {
  return page.$$eval('[data-testid="event-row"]', (trs) => trs.map((tr) => ({
    type: tr.dataset.type,
    source: tr.children[2].textContent,
    priority: Number(tr.dataset.priority),
    priorityText: tr.children[3].textContent,
    correlation: tr.dataset.correlation,
    correlationText: tr.children[4].textContent,
    data: JSON.parse(tr.children[5].textContent),
  })));
}

async function stats(page) {
  const read = (id) => page.getByTestId(id).textContent().then(Number);
  return {
    published: await read('stat-published'),
    processed: await read('stat-processed'),
    failed: await read('stat-failed'),
    dead: await read('stat-dead'),
  };
}

async function status(page) {
  const box = page.getByTestId('status');
  return { kind: await box.getAttribute('data-kind'), text: await box.textContent() };
}

/** How many points the chart's line for `name` has (0 without a line). */
function chartPoints(page, name) {
  return page.$$eval('[data-testid="chart-line"]', (lines, n) => {
    const line = lines.find((l) => l.dataset.name === n);
    return line ? line.getAttribute('points').trim().split(/\s+/).length : 0;
  }, name);
}

function timeline(page) {
  return page.$$eval('[data-testid="op-row"]', (divs) => divs.map((row) => {
    const bar = row.querySelector('[data-testid="op-bar"]');
    return {
      name: row.dataset.name,
      correlation: row.dataset.correlation,
      parent: row.dataset.parent,
      depth: Number(row.dataset.depth),
      state: row.dataset.state,
      barColor: getComputedStyle(bar).backgroundColor,
      barWidth: bar.getBoundingClientRect().width,
      marks: [...row.querySelectorAll('[data-testid="op-mark"]')].map((m) => m.dataset.label),
      duration: row.querySelector('[data-testid="op-duration"]').textContent,
      text: row.textContent,
    };
  }));
}

function subscribers(page) {
  return page.$$eval('#subscribers li', (lis) => Object.fromEntries(
    lis.map((li) => [li.dataset.subscriber, li.querySelector('code').textContent])));
}

// ------------------------------------------------------------------ tests

// Each test has its own page, so they run side by side.
describe('event dashboard (headless Chromium)', { concurrency: true }, () => {
  after(() => assert.deepEqual(allProblems, [], 'no page errors and no console errors on any page'));

  test('loads the package, fills the type list from EventType and subscribes its panels', async () => {
    const { page, by, done } = await openDashboard();
    const st = await status(page);
    assert.equal(st.kind, 'ready', st.text);

    const options = await by('event-type').locator('option').evaluateAll((os) => os.map((o) => o.value));
    assert.deepEqual(options.slice(0, -1), Object.values(lib.EventType), 'one option per standard type, in order');
    assert.equal(options.at(-1), '__other__', 'and a last option for a type of your own');
    assert.equal(await by('custom-type').isDisabled(), true, 'the custom type box waits for "other type…"');
    const priorities = await by('event-priority').locator('option').evaluateAll((os) => os.map((o) => o.textContent));
    assert.deepEqual(priorities, ['NORMAL (0)', 'HIGH (1)', 'CRITICAL (2)']);

    assert.deepEqual(await stats(page), { published: 0, processed: 0, failed: 0, dead: 0 });
    assert.deepEqual(await subscribers(page), {
      'dashboard.table.1': '*', 'dashboard.timeline': 'custom', 'dashboard.chart': 'metric.update',
    });
    assert.deepEqual(await rows(page), []);
    assert.equal(await by('emitter-state').getAttribute('data-enabled'), 'true');
    await done();
  });

  test('plain events of a standard type and of a custom type, with JSON data, newest first', async () => {
    const { page, by, done } = await openDashboard();
    await by('event-type').selectOption('user.login');
    await by('event-data').fill('{"id": 42, "name": "ada"}');
    await by('event-priority').selectOption({ label: 'HIGH (1)' });
    await by('emit-event').click();
    assert.deepEqual(await status(page), { kind: 'ok', text: 'Emitted “user.login”.' });

    await by('event-type').selectOption({ label: 'other type…' });
    assert.equal(await by('custom-type').isEnabled(), true);
    await by('custom-type').fill('orders.shipped');
    await by('event-data').fill('{"order": 7, "items": ["a", "b"]}');
    await by('event-priority').selectOption({ label: 'CRITICAL (2)' });
    await by('emit-event').click();

    await by('event-type').selectOption('system.startup');
    await by('event-data').fill('');
    await by('event-priority').selectOption({ label: 'NORMAL (0)' });
    await by('emit-event').click();

    const table = await rows(page);
    assert.deepEqual(table.map((r) => [r.type, r.source, r.priority, r.priorityText, r.correlation, r.correlationText]), [
      ['system.startup', 'dashboard', 0, 'NORMAL', '', '—'],
      ['orders.shipped', 'dashboard', 2, 'CRITICAL', '', '—'],
      ['user.login', 'dashboard', 1, 'HIGH', '', '—'],
    ]);
    assert.deepEqual(table.map((r) => r.data), [{}, { order: 7, items: ['a', 'b'] }, { id: 42, name: 'ada' }]);
    const time = await page.locator('[data-testid="event-row"] td.time').first().textContent();
    assert.match(time, /^\d\d:\d\d:\d\d\.\d{3}$/);
    assert.deepEqual(await stats(page), { published: 3, processed: 3, failed: 0, dead: 0 });
    await done();
  });

  test('errors, metrics and alerts carry the payloads and priorities of the contract; metrics feed the chart', async () => {
    const { page, by, done } = await openDashboard();
    await by('error-type').fill('TimeoutError');
    await by('error-message').fill('db took 5 s');
    await by('emit-error').click();
    let [row] = await rows(page);
    assert.deepEqual([row.type, row.priority, row.data], ['system.error', 2,
      { error_type: 'TimeoutError', error_message: 'db took 5 s', context: { page: 'dashboard' } }]);

    assert.equal(await chartPoints(page, 'queue.depth'), 0);
    await by('metric-name').fill('queue.depth');
    await by('metric-type').selectOption('counter');
    for (const [i, v] of ['3', '8', '5.5'].entries()) {
      await by('metric-value').fill(v);
      await by('emit-metric').click();
      assert.equal(await chartPoints(page, 'queue.depth'), i + 1, `the chart has ${i + 1} point(s)`);
    }
    [row] = await rows(page);
    assert.deepEqual([row.type, row.priority, row.data], ['metric.update', 0,
      { metric_name: 'queue.depth', metric_value: 5.5, metric_type: 'counter', labels: {} }]);
    await by('metric-name').fill('latency.ms');
    await by('metric-type').selectOption('gauge');
    await by('metric-value').fill('120');
    await by('emit-metric').click();
    assert.equal(await chartPoints(page, 'latency.ms'), 1, 'a second metric gets its own line');
    assert.equal(await by('chart').getAttribute('data-points'), '4');
    assert.match(await by('chart-legend').textContent(), /queue\.depth: 5\.5 \(3 points\).*latency\.ms: 120 \(1 point\)/);

    // A text value is a valid metric, published, but not drawn.
    await by('metric-value').fill('warming up');
    await by('emit-metric').click();
    [row] = await rows(page);
    assert.equal(row.data.metric_value, 'warming up');
    assert.equal(await chartPoints(page, 'latency.ms'), 1);
    assert.match(await by('bus-log').textContent(), /not charted/);

    await by('alert-name').fill('disk.space');
    await by('alert-message').fill('91% full');
    for (const level of ['info', 'warning', 'error', 'critical']) await by(`alert-${level}`).click();
    const alerts = (await rows(page)).slice(0, 4).reverse();
    assert.deepEqual(alerts.map((r) => [r.type, r.data.alert_level, r.priority]), [
      ['alert.triggered', 'info', 0], ['alert.triggered', 'warning', 1],
      ['alert.triggered', 'error', 2], ['alert.triggered', 'critical', 2],
    ]);
    assert.deepEqual(alerts[0].data, { alert_name: 'disk.space', alert_level: 'info', message: '91% full',
      threshold: null, current_value: null });
    await done();
  });

  test('operations: shared correlation ids, a nested and a failed operation, progress marks and durations', async () => {
    const { page, by, done } = await openDashboard();
    await by('op-name').fill('import_users');
    await by('op-start').click();
    await by('op-progress').fill('25');
    await by('op-update').click();
    await by('event-type').selectOption('user.action');
    await by('emit-event').click(); // carries the running operation's id

    await by('op-name').fill('validate_rows');
    await by('op-start').click();
    assert.equal(await by('running-ops').locator('li').count(), 2, 'two operations run, one nested');
    await by('op-progress').fill('60');
    await by('op-update').click();
    await page.waitForTimeout(30);
    await by('op-error').fill('row 12 has no id');
    await by('op-fail').click();
    assert.equal((await status(page)).text, 'Emitted the failure of validate_rows (row 12 has no id).');
    await by('op-end').click();
    assert.equal(await by('running-ops').locator('li').count(), 0);

    const table = (await rows(page)).reverse();
    const outer = table.filter((r) => r.data.operation === 'import_users' || r.type === 'user.action');
    const inner = table.filter((r) => r.data.operation === 'validate_rows');
    assert.deepEqual(outer.map((r) => r.data.phase ?? r.type), ['start', 'progress', 'user.action', 'end']);
    assert.deepEqual(inner.map((r) => r.data.phase), ['start', 'progress', 'end']);
    const outerId = outer[0].correlation;
    const innerId = inner[0].correlation;
    assert.match(outerId, UUID_V4);
    assert.match(innerId, UUID_V4);
    assert.notEqual(outerId, innerId);
    assert.ok(outer.every((r) => r.correlation === outerId), 'the outer operation\'s events share its id');
    assert.ok(inner.every((r) => r.correlation === innerId), 'the nested operation\'s events share its id');
    assert.equal(outer[0].correlationText, `${outerId.slice(0, 8)}…`, 'the table shows a shortened id');
    assert.deepEqual(inner[2].data, { operation: 'validate_rows', phase: 'end', success: false, error: 'row 12 has no id' });
    assert.equal(inner[2].priority, 2, 'a failed end is critical');
    assert.equal(outer[3].priority, 0);
    assert.equal(outer[1].data.progress, 25);

    const bars = await timeline(page);
    assert.equal(bars.length, 2, 'one bar per operation');
    const [a, b] = bars;
    assert.deepEqual([a.name, a.correlation, a.depth, a.state, a.parent], ['import_users', outerId, 0, 'ok', '']);
    assert.deepEqual([b.name, b.correlation, b.depth, b.state, b.parent], ['validate_rows', innerId, 1, 'failed', outerId],
      'the nested operation sits under its parent');
    assert.equal(b.barColor, RED, 'a failed operation is red');
    assert.notEqual(a.barColor, RED);
    assert.ok(b.barWidth > 0 && a.barWidth > b.barWidth, 'the parent\'s bar spans the nested one');
    assert.deepEqual(a.marks, ['25%']);
    assert.deepEqual(b.marks, ['60%']);
    for (const bar of bars) assert.match(bar.duration, /^\d+ ms|^\d+\.\d\d s/);
    assert.match(b.text, /row 12 has no id/, 'the failure reason is shown');

    // A running operation has a growing bar until it ends.
    await by('op-name').fill('sync');
    await by('op-start').click();
    let sync = (await timeline(page)).find((r) => r.name === 'sync');
    assert.equal(sync.state, 'running');
    assert.match(sync.duration, /^running /);
    await by('op-end').click();
    sync = (await timeline(page)).find((r) => r.name === 'sync');
    assert.equal(sync.state, 'ok');

    // Nothing left to end: a clear message.
    await by('op-update').click();
    assert.deepEqual(await status(page), { kind: 'error',
      text: 'Update operation failed — Error: no operation is running: press Start first' });
    await done();
  });

  test('delayed emits: a cancelled one never appears, the other appears after its delay', async () => {
    const { page, by, done } = await openDashboard();
    const pendingTypes = () => page.$$eval('[data-testid="pending-item"]', (lis) => lis.map((li) => li.dataset.type));

    await by('later-type').fill('reminder.cancelled');
    await by('later-delay').fill('3000');
    await by('later-schedule').click();
    await by('later-type').fill('reminder.kept');
    await by('later-delay').fill('3400');
    const t1 = Date.now();
    await by('later-schedule').click();
    assert.deepEqual(await pendingTypes(), ['reminder.cancelled', 'reminder.kept']);

    await page.locator('[data-testid="pending-item"][data-type="reminder.cancelled"] [data-testid="pending-cancel"]').click();
    assert.deepEqual(await status(page), { kind: 'ok', text: 'Cancelled the delayed reminder.cancelled: it will not be published.' });
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="pending-item"]').length === 1);
    assert.deepEqual(await pendingTypes(), ['reminder.kept']);

    // The kept one is due after the cancelled one was: once it is there, the other is overdue.
    await page.locator('[data-testid="event-row"][data-type="reminder.kept"]').waitFor({ timeout: 10_000 });
    assert.ok(Date.now() - t1 >= 3350, 'not before its delay');
    assert.match((await status(page)).text, /The delayed reminder\.kept fired after 3400 ms/);
    const table = await rows(page);
    assert.deepEqual(table.map((r) => [r.type, r.source, r.data]),
      [['reminder.kept', 'dashboard.scheduler', { delay_ms: 3400 }]], 'the cancelled one never came');
    assert.deepEqual(await pendingTypes(), []);

    // "Cancel all pending".
    await by('later-type').fill('reminder.later');
    await by('later-delay').fill('60000');
    await by('later-schedule').click();
    await by('later-schedule').click();
    assert.equal((await pendingTypes()).length, 2);
    await by('later-cancel-all').click();
    assert.deepEqual(await status(page), { kind: 'ok', text: 'Cancelled 2 delayed emits.' });
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="pending-item"]').length === 0);
    assert.deepEqual(await stats(page), { published: 1, processed: 1, failed: 0, dead: 0 });
    await done();
  });

  test('the glob filter really re-subscribes the table on the bus', async () => {
    const { page, by, done } = await openDashboard();
    const emitEverything = async () => {
      await by('emit-event').click();
      await by('emit-error').click();
      await by('alert-warning').click();
      await by('emit-metric').click();
      await by('op-start').click();
      await by('op-end').click();
      await by('emit-metric').click();
    };

    await by('filter-pattern').fill('metric.*');
    await by('filter-apply').click();
    assert.equal(await by('filter-active').textContent(), 'metric.*');
    assert.deepEqual(await subscribers(page), {
      'dashboard.timeline': 'custom', 'dashboard.chart': 'metric.update', 'dashboard.table.2': 'metric.*',
    }, 'the old subscription is gone, the new one is on the bus');
    await emitEverything();
    assert.deepEqual((await rows(page)).map((r) => r.type), ['metric.update', 'metric.update'],
      'only metric rows are added');
    assert.equal((await stats(page)).published, 7, 'everything was published all the same');
    assert.equal((await timeline(page)).length, 1, 'the timeline has its own subscription');

    // fnmatch sets: [ms]* is "metric.*" or "system.*".
    await by('clear-table').click();
    await by('filter-pattern').fill('[ms]*');
    await by('filter-apply').click();
    await emitEverything();
    assert.deepEqual((await rows(page)).map((r) => r.type), ['metric.update', 'metric.update', 'system.error']);

    // An invalid pattern: the package's own error, and the current subscription stays.
    for (const [pattern, expected] of [
      ['', packageError((_, bus) => bus.subscribe('', () => {}))],
      ['x'.repeat(300), packageError((_, bus) => bus.subscribe('x'.repeat(300), () => {}))],
    ]) {
      await by('filter-pattern').fill(pattern);
      await by('filter-apply').click();
      assert.deepEqual(await status(page), { kind: 'error', text: `Subscribe failed — ${expected}` });
      assert.equal(await by('filter-active').textContent(), '[ms]*');
      assert.equal((await subscribers(page))['dashboard.table.3'], '[ms]*');
    }
    assert.match((await status(page)).text, /RangeError: patterns must be at most 256 characters/);
    await done();
  });

  test('a disabled emitter publishes nothing; enabling it again works', async () => {
    const { page, by, done } = await openDashboard();
    await by('emit-event').click();
    await by('emitter-state').click(); // the switch's label
    assert.equal(await by('emitter-state').getAttribute('data-enabled'), 'false');
    assert.match(await by('emitter-state').textContent(), /disabled/);
    assert.equal(await by('emitter-toggle').isChecked(), false);

    const before = { rows: (await rows(page)).length, stats: await stats(page), points: await by('chart').getAttribute('data-points') };
    for (const id of ['emit-event', 'emit-error', 'emit-metric', 'alert-critical', 'op-start', 'op-update', 'op-fail']) {
      await by(id).click();
      const st = await status(page);
      assert.equal(st.kind, 'info', `${id}: ${st.text}`);
      assert.match(st.text, /^The emitter is disabled: .* was not published\./);
    }
    assert.equal((await rows(page)).length, before.rows, 'no rows added');
    assert.deepEqual(await stats(page), before.stats, 'nothing published');
    assert.equal(await by('chart').getAttribute('data-points'), before.points, 'no chart points');
    assert.deepEqual(await timeline(page), [], 'no operations');

    await by('emitter-state').click();
    assert.equal(await by('emitter-state').getAttribute('data-enabled'), 'true');
    await by('emit-metric').click();
    assert.equal((await rows(page)).length, before.rows + 1);
    assert.equal(await by('chart').getAttribute('data-points'), String(Number(before.points) + 1));
    await done();
  });

  test('invalid input shows the package\'s own error text and the page keeps working', async () => {
    const { page, by, done } = await openDashboard();
    const expectError = async (label, expected) => {
      const st = await status(page);
      assert.equal(st.kind, 'error', st.text);
      assert.equal(st.text, `${label} failed — ${expected}`);
      assert.equal(await by('status').isVisible(), true);
    };

    await by('event-data').fill('{"id": 42,');
    await by('emit-event').click();
    const st = await status(page);
    assert.equal(st.kind, 'error');
    assert.match(st.text, /^Emit event failed — SyntaxError: data is not valid JSON \(.+\)$/);

    await by('event-data').fill('[1, 2]');
    await by('emit-event').click();
    await expectError('Emit event', packageError((em) => em.emit('user.action', [1, 2])));
    assert.match((await status(page)).text, /TypeError: data must be an object/);

    await by('event-data').fill('{}');
    await by('event-type').selectOption('__other__');
    await by('custom-type').fill('bad type');
    await by('emit-event').click();
    await expectError('Emit event', packageError((em) => em.emit('bad type')));
    assert.match((await status(page)).text, /RangeError: eventType must not contain whitespace/);

    await by('custom-type').fill('');
    await by('emit-event').click();
    await expectError('Emit event', packageError((em) => em.emit('')));

    await by('metric-value').fill('');
    await by('emit-metric').click();
    await expectError('Emit metric', packageError((em) => em.emitMetric('cpu.load', undefined)));

    await by('op-name').fill('');
    await by('op-start').click();
    await expectError('Start operation', packageError((em) => em.startOperation('')));

    await by('later-delay').fill('-5');
    await by('later-schedule').click();
    await expectError('Schedule', packageError(() => new lib.AsyncEventEmitter('x').emitLater('reminder.due', {}, -5)));
    assert.match((await status(page)).text, /RangeError: delayMs/);

    assert.deepEqual(await stats(page), { published: 0, processed: 0, failed: 0, dead: 0 }, 'nothing was published');
    assert.deepEqual(await rows(page), []);

    // A running operation and a progress that is not a number.
    await by('op-name').fill('import');
    await by('op-start').click();
    await by('op-progress').fill('');
    await by('op-update').click();
    await expectError('Update operation', packageError((em) => em.updateOperation(em.startOperation('x'), 'x', { progress: NaN })));

    // Whatever slips through ends up in the status area as well.
    await page.evaluate(() => {
      Promise.reject(new TypeError('a rejection nobody handled'));
    });
    await page.waitForFunction(() => document.getElementById('status').textContent.includes('nobody handled'));
    assert.deepEqual(await status(page), { kind: 'error', text: 'Unexpected error — TypeError: a rejection nobody handled' });

    // The page still works.
    await by('custom-type').fill('orders.shipped');
    await by('emit-event').click();
    assert.equal((await status(page)).kind, 'ok');
    assert.deepEqual((await rows(page)).map((r) => r.type), ['orders.shipped', 'custom']);
    await done();
  });

  test('the statistics show exactly what the bus did, failed handlers and dead letters included', async () => {
    const { page, by, done } = await openDashboard();
    const expectStats = async (published, processed, failed, dead, step) =>
      assert.deepEqual(await stats(page), { published, processed, failed, dead }, step);

    await expectStats(0, 0, 0, 0, 'at first');
    await by('emit-event').click();
    await expectStats(1, 1, 0, 0, 'a plain event reaches the table');
    await by('emit-metric').click();
    await expectStats(2, 3, 0, 0, 'a metric reaches the table and the chart');
    await by('op-start').click();
    await by('op-end').click();
    await expectStats(4, 7, 0, 0, 'operation events reach the table and the timeline');

    await by('failing-subscriber').check();
    assert.equal((await subscribers(page))['dashboard.failing'], '*');
    await by('emit-event').click();
    await expectStats(5, 8, 1, 1, 'the throwing subscriber fails, the table still gets the event');
    assert.match(await by('bus-log').textContent(), /"dashboard\.failing" failed on "user\.action".*Error: this subscriber fails on purpose/);
    assert.equal(await by('stat-failed').evaluate((n) => getComputedStyle(n).color), RED);
    await by('emit-error').click();
    await expectStats(6, 9, 2, 2, 'and again');
    await by('failing-subscriber').uncheck();
    await by('emit-event').click();
    await expectStats(7, 10, 2, 2, 'without it nothing fails');

    await by('filter-pattern').fill('metric.*');
    await by('filter-apply').click();
    await by('emit-event').click();
    await expectStats(8, 10, 2, 2, 'an event no one subscribes to is published, not processed');

    await by('reset-stats').click();
    const after = await stats(page);
    assert.deepEqual([after.published, after.processed, after.failed], [0, 0, 0], 'reset');
    await done();
  });

  test('a package that cannot be loaded is reported on the page, with the controls left disabled', async () => {
    const page = await browser.newPage();
    const problems = [];
    page.on('pageerror', (err) => problems.push(err.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(msg.text());
    });
    await page.route('**/pkg/web/index.js', (route) => route.fulfill({ status: 404, body: 'Not Found' }));
    await page.goto(server.url);
    await page.waitForFunction(() => document.getElementById('status').dataset.kind === 'error');
    const st = await status(page);
    assert.match(st.text, /^Could not load the codomyrmex-events package from \/pkg\/ \(run `npm run build`, then `npm run web`\) — TypeError: /);
    assert.equal(await page.getByTestId('emit-event').isDisabled(), true);
    assert.equal(await page.getByTestId('filter-apply').isDisabled(), true);
    assert.deepEqual(problems.filter((p) => !/404|Failed to load resource|Failed to fetch dynamically imported module/.test(p)), [],
      'only the expected load failure');
    await page.close();
  });

  test('overview screenshot', async () => {
    const { page, by, done } = await openDashboard();
    await by('event-type').selectOption('user.login');
    await by('event-data').fill('{"user": "ada", "method": "sso"}');
    await by('emit-event').click();
    await by('op-name').fill('import_users');
    await by('op-start').click();
    await by('metric-name').fill('rows.imported');
    for (const v of [120, 340, 290, 610, 880]) {
      await by('metric-value').fill(String(v));
      await by('emit-metric').click();
      await page.waitForTimeout(40);
    }
    await by('op-progress').fill('40');
    await by('op-update').click();
    await by('op-name').fill('validate_rows');
    await by('op-start').click();
    await page.waitForTimeout(120);
    await by('op-progress').fill('70');
    await by('op-update').click();
    await page.waitForTimeout(120);
    await by('op-fail').click();
    await by('op-name').fill('write_batch');
    await by('op-start').click();
    await page.waitForTimeout(150);
    await by('op-end').click();
    await by('metric-name').fill('queue.depth');
    for (const v of [300, 180, 240, 90]) {
      await by('metric-value').fill(String(v));
      await by('emit-metric').click();
    }
    await by('op-progress').fill('90');
    await by('op-update').click();
    await page.waitForTimeout(100);
    await by('op-end').click();
    await by('alert-warning').click();
    await by('later-delay').fill('30000');
    await by('later-schedule').click();
    await by('failing-subscriber').check();
    await by('event-type').selectOption('user.action');
    await by('event-data').fill('{"button": "export"}');
    await by('emit-event').click();
    await by('failing-subscriber').uncheck();

    assert.equal((await timeline(page)).length, 3);
    assert.equal((await stats(page)).failed, 1);
    const file = path.join(root, 'test-results', 'dashboard.png');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await page.screenshot({ path: file, fullPage: true });
    assert.ok(fs.statSync(file).size > 10_000, 'a screenshot was written');
    await by('later-cancel-all').click();
    await done();
  });
});
