// A small static server for the event dashboard (no dependencies).
//
//   npm run web                       # http://127.0.0.1:8080/ (or $PORT)
//   node examples-web/serve.mjs --port 0
//
// It serves this folder at `/` and the built npm package (`pkg/`) at `/pkg/`,
// so the page imports `/pkg/web/index.js`. Tests import `startServer`.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const pkgDir = path.join(root, 'pkg');

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
  '.cts': 'text/plain; charset=utf-8',
};

/** True once `npm run build` has produced the browser entry. */
export function packageBuilt() {
  return fs.existsSync(path.join(pkgDir, 'web', 'index.js'));
}

const BUILD_FIRST = 'pkg/ is missing: run `npm run build` first to build the codomyrmex-events package.';

// Maps a request path to a file on disk, or returns an HTTP status for a refusal.
function resolveFile(rawPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return { status: 400 };
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return { status: 400 };
  const segments = decoded.split('/');
  if (segments.some((s) => s === '..')) return { status: 403 };

  let base = here;
  let rest = segments.filter((s) => s !== '' && s !== '.');
  if (rest[0] === 'pkg') {
    base = pkgDir;
    rest = rest.slice(1);
  }
  // Never hand out the server itself or dot files.
  if (rest.some((s) => s.startsWith('.'))) return { status: 403 };
  let file = path.join(base, ...rest);
  if (file !== base && !file.startsWith(base + path.sep)) return { status: 403 };
  let stat;
  try {
    stat = fs.statSync(file);
  } catch {
    return { status: 404 };
  }
  if (stat.isDirectory()) {
    if (!decoded.endsWith('/')) return { redirect: `${rawPath}/` };
    file = path.join(file, 'index.html');
    if (!fs.existsSync(file)) return { status: 404 };
  }
  return { file };
}

function send(res, status, body, headers = {}) {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
  res.end(body);
}

function handle(req, res) {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    send(res, 405, 'Method Not Allowed\n', { Allow: 'GET, HEAD' });
    return;
  }
  const rawPath = (req.url ?? '/').split('?')[0].split('#')[0];
  if (!rawPath.startsWith('/')) {
    send(res, 400, 'Bad Request\n');
    return;
  }
  const found = resolveFile(rawPath);
  if (found.redirect) {
    send(res, 301, '', { Location: found.redirect });
    return;
  }
  if (found.status) {
    const text = { 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found' }[found.status];
    const hint = found.status === 404 && rawPath.startsWith('/pkg/') && !packageBuilt() ? `\n${BUILD_FIRST}` : '';
    send(res, found.status, `${text}${hint}\n`);
    return;
  }
  const type = MIME[path.extname(found.file).toLowerCase()] ?? 'application/octet-stream';
  const stream = fs.createReadStream(found.file);
  stream.on('open', () => {
    res.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
    if (req.method === 'HEAD') {
      stream.destroy();
      res.end();
    } else {
      stream.pipe(res);
    }
  });
  stream.on('error', () => {
    if (!res.headersSent) send(res, 500, 'Internal Server Error\n');
    else res.destroy();
  });
}

/**
 * Starts the server on 127.0.0.1. `port: 0` picks a free port.
 * Resolves to `{ url, port, close }`; `close()` resolves once the server has stopped.
 */
export function startServer({ port = 8080, host = '127.0.0.1' } = {}) {
  if (!packageBuilt()) return Promise.reject(new Error(BUILD_FIRST));
  const server = http.createServer(handle);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const actual = server.address().port;
      resolve({
        url: `http://${host}:${actual}/`,
        port: actual,
        close: () => new Promise((done) => {
          server.close(() => done());
          server.closeAllConnections?.();
        }),
      });
    });
  });
}

function portFromArgs(argv) {
  const i = argv.findIndex((a) => a === '--port' || a.startsWith('--port='));
  if (i === -1) return process.env.PORT ?? 8080;
  return argv[i].includes('=') ? argv[i].slice('--port='.length) : argv[i + 1];
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const port = Number(portFromArgs(process.argv.slice(2)));
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`Invalid port: ${portFromArgs(process.argv.slice(2))}`);
    process.exit(2);
  }
  if (!packageBuilt()) {
    console.error(BUILD_FIRST);
    process.exit(1);
  }
  startServer({ port }).then(
    ({ url }) => console.log(`Event dashboard: ${url}  (Ctrl+C to stop)`),
    (err) => {
      console.error(`Could not start the server: ${err.message}`);
      process.exit(1);
    },
  );
}
