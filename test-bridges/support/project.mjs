// Test support: a fresh project outside the source tree with the packed
// package (CODOMYRMEX_TARBALL, or ./pkg packed here) and the nats client
// installed, the way users get them; a nats-server on a free local port.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Creates the project; returns { dir, require, cleanup }. `require` resolves from the project. */
export function createProject(label) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `codomyrmex-${label}-`));
  let tarball = process.env.CODOMYRMEX_TARBALL;
  if (!tarball) {
    const name = execFileSync('npm', ['pack', '--silent', path.join(root, 'pkg')], { cwd: dir, encoding: 'utf8' });
    tarball = path.join(dir, name.trim());
  }
  const natsVersion = JSON.parse(fs.readFileSync(path.join(root, 'node_modules', 'nats', 'package.json'), 'utf8')).version;
  fs.writeFileSync(path.join(dir, 'package.json'), '{ "name": "bridge-tests", "private": true, "type": "module" }\n');
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--silent', tarball, `nats@${natsVersion}`],
    { cwd: dir, stdio: 'inherit' });
  return {
    dir,
    require: createRequire(path.join(dir, 'index.js')),
    write(file, source) {
      fs.writeFileSync(path.join(dir, file), source);
      return path.join(dir, file);
    },
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** Resolves when `condition()` is truthy; rejects with `what` after `timeout` ms. */
export async function waitFor(condition, what, timeout = 15000) {
  const end = Date.now() + timeout;
  for (;;) {
    const value = await condition();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function natsServerPath() {
  if (process.env.NATS_SERVER) return process.env.NATS_SERVER;
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/usr/bin', '/usr/local/bin'];
  for (const d of dirs) {
    const p = path.join(d, 'nats-server');
    if (d && fs.existsSync(p)) return p;
  }
  throw new Error('nats-server not found (install the Debian package nats-server, or set NATS_SERVER)');
}

/**
 * A nats-server on 127.0.0.1:`port`; resolves once it accepts clients.
 * `stop()` kills it and resolves once it has exited.
 */
export async function startNatsServer(port) {
  const child = spawn(natsServerPath(), ['-a', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  let exited = false;
  const exit = new Promise((resolve) => child.on('exit', () => {
    exited = true;
    resolve();
  }));
  child.stderr.on('data', (chunk) => { log += chunk; });
  try {
    await waitFor(() => {
      if (exited) throw new Error(`nats-server exited:\n${log}`);
      return /Server is ready/.test(log);
    }, `nats-server on port ${port}`, 20000);
  } catch (e) {
    child.kill('SIGKILL');
    throw e;
  }
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    async stop() {
      if (!exited) child.kill('SIGKILL');
      await exit;
    },
  };
}
