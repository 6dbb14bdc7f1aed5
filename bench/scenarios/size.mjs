// Size: what a browser downloads for the `./web` entry, the JS glue
// (pkg/web/index.js) plus the WebAssembly module, each gzipped at level 9
// (as a server would send them with Content-Encoding: gzip).
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import * as esbuild from 'esbuild';

export const WEB_FILES = ['web/index.js', 'web/codomyrmex_events_bg.wasm'];
export const MAX_GZIP_BYTES = 50_000; // 50 KB (1 KB = 1000 bytes)

// Bytes as a server sends them with Content-Encoding: gzip, at level 9.
const gzipped = (bytes) => zlib.gzipSync(bytes, { level: 9 }).length;

export function measureSize(pkgDir) {
  const files = WEB_FILES.map((f) => {
    const bytes = fs.readFileSync(path.join(pkgDir, f));
    return { file: f, bytes: bytes.length, gzip: gzipped(bytes) };
  });
  const total = files.reduce((a, f) => a + f.gzip, 0);
  return {
    files,
    bytes: files.reduce((a, f) => a + f.bytes, 0),
    gzip: total,
    max: MAX_GZIP_BYTES,
    pass: total <= MAX_GZIP_BYTES,
  };
}

// For context: what a browser downloads for each of the other emitters, their
// package bundled for the browser and minified by esbuild, then gzipped the same way.
export const PEERS = ['eventemitter2', 'eventemitter3', 'mitt', 'emittery'];

export async function measurePeerSizes() {
  const sizes = {};
  for (const name of PEERS) {
    const out = await esbuild.build({ stdin: { contents: `import * as all from '${name}'; export default all;`, resolveDir: process.cwd() },
      bundle: true, minify: true, format: 'esm', platform: 'browser', write: false, logLevel: 'silent', legalComments: 'none' });
    const bytes = out.outputFiles[0].contents;
    sizes[name] = { bytes: bytes.length, gzip: gzipped(bytes) };
  }
  return sizes;
}
