#!/usr/bin/env bash
# Runs every test suite, carries on after a failure, prints a summary and
# exits non-zero if any suite failed. Run through `npm test` (setup runs first).
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export PATH="$root/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# wasm-pack must use the system chromedriver, never download one.
export CHROMEDRIVER="${CHROMEDRIVER:-$(command -v chromedriver || echo /usr/bin/chromedriver)}"

passed=()
failed=()
suite() {
  local name=$1 start=$SECONDS
  shift
  printf '\n=== %s\n' "$name"
  if "$@"; then
    passed+=("$name")
    printf '=== %s: passed (%ss)\n' "$name" $((SECONDS - start))
  else
    failed+=("$name")
    printf '=== %s: FAILED (%ss)\n' "$name" $((SECONDS - start))
  fi
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

pack() {
  local tgz
  tgz=$(cd "$work" && npm pack --silent "$root/pkg") || return 1
  tarball="$work/$tgz"
  echo "packed $tarball"
}

# The JS suites run in a fresh project outside the source tree, so
# `import ... from 'codomyrmex-events'` resolves to the installed tarball.
js_tests() {
  local dir="$work/js" fc
  shopt -s nullglob
  local tests=("$root"/test-js/*.test.mjs)
  shopt -u nullglob
  if [ ${#tests[@]} -eq 0 ]; then
    echo "no test-js/*.test.mjs found"
    return 1
  fi
  fc=$(node -p "require('./node_modules/fast-check/package.json').version")
  mkdir -p "$dir"
  cp -r "$root"/test-js/. "$dir"/
  (cd "$dir" &&
    echo '{ "name": "codomyrmex-events-js-tests", "private": true }' > package.json &&
    npm install --no-audit --no-fund --silent "$tarball" "fast-check@$fc" &&
    node --test --test-reporter=spec)
}

suite "cargo test (native)" cargo test
suite "wasm-pack test --node" wasm-pack test --node --mode no-install
suite "wasm-pack test --headless --chrome" \
  wasm-pack test --headless --chrome --chromedriver "$CHROMEDRIVER" --mode no-install
suite "npm run build" npm run --silent build
tarball=""
suite "npm pack ./pkg" pack
if [ -n "$tarball" ]; then
  suite "JS tests (test-js, against the packed package)" js_tests
  suite "packaging tests (test-packaging)" env CODOMYRMEX_TARBALL="$tarball" \
    node --test --test-reporter=spec test-packaging/*.test.mjs
else
  failed+=("JS tests (not run: no package)" "packaging tests (not run: no package)")
fi
if [ -d test-e2e ]; then
  suite "browser e2e tests (test-e2e)" node --test --test-reporter=spec test-e2e/*.test.mjs
fi

printf '\n=== summary\n'
for s in "${passed[@]}"; do echo "  passed  $s"; done
for s in "${failed[@]}"; do echo "  FAILED  $s"; done
echo "${#passed[@]} passed, ${#failed[@]} failed"
[ ${#failed[@]} -eq 0 ]
