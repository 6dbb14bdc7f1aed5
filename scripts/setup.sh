#!/usr/bin/env bash
# Installs whatever the build and the tests need and is still missing.
# Idempotent: when everything is present it only runs a few version checks.
# Needs Rust (rustup), Node.js >= 20 and npm; uses apt-get for Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

say() { printf 'setup: %s\n' "$*"; }

# --- Rust: wasm target -------------------------------------------------------
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# --- npm dev dependencies (esbuild, binaryen's wasm-opt, playwright-core, ...).
# `npm ci` runs again only when package-lock.json changed since the last one.
# The root package has no install/prepare scripts, so this cannot recurse.
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat node_modules/.setup-lock-hash 2>/dev/null || true)" != "$lock_hash" ]; then
  say "installing npm dev dependencies"
  npm ci --no-audit --no-fund
  echo "$lock_hash" > node_modules/.setup-lock-hash
fi

# --- Chromium from Debian (headless browser tests) ----------------------------
if ! command -v chromium >/dev/null; then
  say "installing chromium with apt-get"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -q
  $sudo apt-get install -y -q chromium
fi

# --- nats-server from Debian (the NATS bridge tests start one on 127.0.0.1) ---
if ! command -v nats-server >/dev/null && [ ! -x /usr/sbin/nats-server ] && [ ! -x /usr/bin/nats-server ]; then
  say "installing nats-server with apt-get"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -q
  $sudo apt-get install -y -q nats-server
fi
