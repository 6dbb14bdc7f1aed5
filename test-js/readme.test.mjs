// The README shipped in the installed package: every ```js block runs as an
// ES module and exits cleanly, and the API reference names every export and
// every public member, so the documentation cannot rot.
// Blocks marked ```js no-run (they need a server or a browser), and html, sh
// and ts blocks, are not run.
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as lib from 'codomyrmex-events';

const require = createRequire(import.meta.url);
const packageDir = path.dirname(require.resolve('codomyrmex-events/package.json'));
const readme = fs.readFileSync(path.join(packageDir, 'README.md'), 'utf8');
// Next to this file, so that `import ... from 'codomyrmex-events'` resolves
// through the node_modules the tests run with.
const here = path.dirname(fileURLToPath(import.meta.url));
const scratch = fs.mkdtempSync(path.join(here, '.readme-blocks-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** The fenced code blocks: info string, code, and the line the code starts on. */
function codeBlocks(markdown) {
  const blocks = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([^\s`]*)\s*(.*)$/.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, lang, rest] = open;
    const start = i + 1;
    const close = new RegExp(`^\\s*\\${fence[0]}{${fence.length},}\\s*$`);
    let end = start;
    while (end < lines.length && !close.test(lines[end])) end++;
    blocks.push({
      lang: lang.toLowerCase(),
      flags: rest.trim().split(/\s+/).filter(Boolean),
      code: lines.slice(start, end).map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l)).join('\n'),
      line: start + 1,
    });
    i = end;
  }
  return blocks;
}

/** The section of the README from `## title` to the next `## `. */
function section(title) {
  const start = readme.indexOf(`\n## ${title}\n`);
  assert.notEqual(start, -1, `the README has no "## ${title}" section`);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end === -1 ? undefined : end);
}

function runModule(file) {
  return new Promise((resolve) => {
    execFile(process.execPath, [file], { cwd: here, timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (error.code ?? error.signal) : 0, stdout, stderr });
    });
  });
}

const blocks = codeBlocks(readme);
const runnable = blocks.filter((b) => (b.lang === 'js' || b.lang === 'javascript' || b.lang === 'mjs') && !b.flags.includes('no-run'));

test('the installed package ships the README, with runnable examples', () => {
  assert.ok(readme.includes('## API reference'));
  assert.ok(runnable.length >= 8, `only ${runnable.length} runnable js blocks`);
  for (const b of blocks) assert.notEqual(b.lang, '', `line ${b.line}: a code block without a language`);
});

describe('every ```js block of the README runs as an ES module', () => {
  for (const block of runnable) {
    const first = block.code.split('\n').find((l) => l.trim() && !l.trim().startsWith('//')) ?? '';
    test(`README.md:${block.line} ${first.trim().slice(0, 60)}`, async () => {
      const file = path.join(scratch, `line-${block.line}.mjs`);
      fs.writeFileSync(file, `${block.code}\n`);
      const { code, stdout, stderr } = await runModule(file);
      assert.equal(code, 0, `exit ${code}\n--- stdout\n${stdout}\n--- stderr\n${stderr}`);
      assert.equal(stderr, '', `it wrote to stderr:\n${stderr}`);
    });
  }
});

describe('the API reference names everything the package exports', () => {
  const reference = section('API reference');
  const mentioned = (name) => new RegExp('`[^`]*\\b' + name.replace(/\W/g, '\\$&') + '\\b[^`]*`').test(reference);

  test('every export of the main entry', () => {
    const names = Object.keys(lib).filter((n) => n !== 'default');
    assert.ok(names.length >= 17, names.join());
    assert.deepEqual(names.filter((n) => !mentioned(n)), []);
    assert.ok(mentioned('init'), 'the default export, init');
  });

  test('every public member of every class', () => {
    const missing = [];
    for (const name of ['EventBus', 'EventEmitter', 'EventOperationContext', 'AsyncEventEmitter', 'ScheduledEmit']) {
      for (const key of Reflect.ownKeys(lib[name].prototype)) {
        if (typeof key !== 'string' || key === 'constructor' || key.startsWith('__')) continue;
        if (!mentioned(key)) missing.push(`${name}#${key}`);
      }
      if (typeof lib[name].prototype[Symbol.dispose] === 'function' && !reference.includes('[Symbol.dispose]')) {
        missing.push(`${name}#[Symbol.dispose]`);
      }
    }
    assert.deepEqual(missing, []);
  });

  test('every standard event type constant is the documented lower-case dotted value', () => {
    for (const [key, value] of Object.entries(lib.EventType)) {
      assert.equal(value.toUpperCase().replace(/\./g, '_'), key);
    }
    assert.ok(reference.includes("`EventType.SYSTEM_STARTUP` is `'system.startup'`"));
  });
});
