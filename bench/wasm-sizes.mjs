// What the bytes of a .wasm are: the size of each section, and the largest
// function bodies, named when the module has a name section (wasm-opt's -g
// on the cargo build, see bench/README.md).
//
//   node bench/wasm-sizes.mjs [FILE.wasm] [--top N]      (default: pkg/web's)
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const topAt = args.indexOf('--top');
const top = topAt >= 0 ? Number(args.splice(topAt, 2)[1]) : 30;
const here = path.dirname(fileURLToPath(import.meta.url));
const file = args[0] ?? path.join(here, '..', 'pkg', 'web', 'codomyrmex_events_bg.wasm');
const buf = fs.readFileSync(file);

let pos = 8; // magic + version
const u32 = () => {
  let result = 0;
  let shift = 0;
  for (;;) {
    const b = buf[pos++];
    result += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (!(b & 0x80)) return result;
  }
};
const name = () => {
  const n = u32();
  const s = buf.toString('utf8', pos, pos + n);
  pos += n;
  return s;
};

const SECTION = ['custom', 'type', 'import', 'function', 'table', 'memory', 'global', 'export', 'start',
  'element', 'code', 'data', 'datacount', 'tag'];
const sections = [];
let importedFuncs = 0;
const bodies = []; // { index, size }
const names = new Map();
// Rust's legacy mangling (`_ZN` 3foo 3bar 17h<hash> `E`) as `foo::bar`.
function demangle(n) {
  if (!n.startsWith('_ZN')) return n;
  const parts = [];
  let i = 3;
  while (i < n.length && n[i] !== 'E') {
    const len = /^\d+/.exec(n.slice(i));
    if (!len) return n;
    i += len[0].length;
    parts.push(n.slice(i, i + Number(len[0])));
    i += Number(len[0]);
  }
  if (/^h[0-9a-f]{16}$/.test(parts.at(-1))) parts.pop();
  const codes = { LT: '<', GT: '>', u20: ' ', C: ',', RF: '&', BP: '*', u7b: '{', u7d: '}' };
  return parts.join('::').replace(/\$(\w+?)\$/g, (m, c) => codes[c] ?? m).replace(/\.\./g, '::');
}
const exports = new Map();
while (pos < buf.length) {
  const id = buf[pos++];
  const size = u32();
  const start = pos;
  const end = start + size;
  let label = SECTION[id] ?? `section ${id}`;
  if (id === 0) {
    const custom = name();
    label = `custom "${custom}"`;
    if (custom === 'name') {
      while (pos < end) {
        const sub = buf[pos++];
        const subSize = u32();
        const subEnd = pos + subSize;
        if (sub === 1) {
          for (let n = u32(); n > 0; n--) {
            const index = u32();
            names.set(index, demangle(name()));
          }
        }
        pos = subEnd;
      }
    }
  } else if (id === 2) {
    for (let n = u32(); n > 0; n--) {
      name();
      name();
      const kind = buf[pos++];
      if (kind === 0) {
        u32();
        importedFuncs++;
      } else if (kind === 1) {
        pos++; // reftype
        const flags = u32();
        u32();
        if (flags & 1) u32();
      } else if (kind === 2) {
        const flags = u32();
        u32();
        if (flags & 1) u32();
      } else if (kind === 3) {
        pos += 2; // valtype, mutability
      } else if (kind === 4) {
        pos++;
        u32();
      }
    }
  } else if (id === 7) {
    for (let n = u32(); n > 0; n--) {
      const exportName = name();
      const kind = buf[pos++];
      const index = u32();
      if (kind === 0) exports.set(index, exportName);
    }
  } else if (id === 10) {
    let index = importedFuncs;
    for (let n = u32(); n > 0; n--) {
      const bodySize = u32();
      bodies.push({ index: index++, size: bodySize });
      pos += bodySize;
    }
  }
  sections.push({ label, size });
  pos = end;
}

const gz = zlib.gzipSync(buf, { level: 9 }).length;
console.log(`${file}: ${buf.length.toLocaleString('en-US')} bytes, ${gz.toLocaleString('en-US')} gzip -9; ` +
  `${bodies.length} functions, ${importedFuncs} imported${names.size ? '' : '; no name section'}\n`);
console.log('sections');
for (const s of sections.sort((a, b) => b.size - a.size)) {
  console.log(`${s.size.toLocaleString('en-US').padStart(10)}  ${((100 * s.size) / buf.length).toFixed(1).padStart(5)}%  ${s.label}`);
}
const codeTotal = bodies.reduce((a, b) => a + b.size, 0);
console.log(`\nlargest ${top} function bodies (of ${codeTotal.toLocaleString('en-US')} bytes of code)`);
for (const b of bodies.sort((x, y) => y.size - x.size).slice(0, top)) {
  const label = names.get(b.index) ?? exports.get(b.index) ?? `wasm-function[${b.index}]`;
  console.log(`${b.size.toLocaleString('en-US').padStart(10)}  ${((100 * b.size) / codeTotal).toFixed(1).padStart(5)}%  ${label}`);
}

// Code by crate or module path prefix, when there are names.
if (names.size) {
  const groups = new Map();
  for (const b of bodies) {
    const n = names.get(b.index) ?? '';
    // `<T as crate::Trait>::f` counts for the trait's crate when T is a primitive.
    const m = n.match(/^<?(?:&(?:mut )?)?([A-Za-z_][\w]*)(?:\[[0-9a-f]+\])?::/) ??
      n.match(/^<[\w&\[\] ]+ as ([A-Za-z_][\w]*)(?:\[[0-9a-f]+\])?::/);
    const exported = /^(fn|cb|eventbus|eventemitter|eventoperationcontext|scheduledemit|asynceventemitter)_/.test(n);
    const key = exported ? '(exports, with the method bodies inlined)' : m ? m[1] : n ? '(other named)' : '(unnamed)';
    groups.set(key, (groups.get(key) ?? 0) + b.size);
  }
  console.log('\ncode by crate (first path segment of the name)');
  for (const [k, v] of [...groups].sort((a, b) => b[1] - a[1]).slice(0, 15)) {
    console.log(`${v.toLocaleString('en-US').padStart(10)}  ${((100 * v) / codeTotal).toFixed(1).padStart(5)}%  ${k}`);
  }
}
