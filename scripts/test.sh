#!/usr/bin/env bash
# Runs every test suite, carries on after a failure, prints a summary and
# exits non-zero if any suite failed. Run through `npm test` (setup runs first).
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export PATH="$root/node_modules/.bin:$HOME/.cargo/bin:$PATH"

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
    return 1
  fi
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Packs pkg/ and installs the tarball into a fresh project outside the source
# tree, so `import ... from 'codomyrmex-events'` there resolves to the tarball.
js=$work/js
pack_and_install() {
  local tgz fc
  tgz=$(cd "$work" && npm pack --silent "$root/pkg") || return 1
  tarball="$work/$tgz"
  echo "packed $tarball"
  fc=$(node -p "require('./node_modules/fast-check/package.json').version")
  mkdir -p "$js"
  cp -r "$root"/test-js/. "$js"/
  (cd "$js" &&
    echo '{ "name": "codomyrmex-events-js-tests", "private": true, "type": "module" }' > package.json &&
    npm install --no-audit --no-fund --silent "$tarball" "fast-check@$fc" \
      "cloudevents@$(node -p 'require(process.argv[1]).version' "$root/node_modules/cloudevents/package.json")" &&
    mkdir -p examples && cp "$root"/examples/*.ts examples/)
}

# Runs `$@` in the JS project on the files matching `pattern`; fails if none.
in_js_project() {
  local pattern=$1
  shift
  shopt -s nullglob
  local files=("$js"/$pattern)
  shopt -u nullglob
  if [ ${#files[@]} -eq 0 ]; then
    echo "no test-js/$pattern found"
    return 1
  fi
  (cd "$js" && "$@" "${files[@]##*/}")
}

suite "cargo test (native)" cargo test
tarball=""
# Only a package this run built gets packed.
if suite "npm run build" npm run --silent build; then
  suite "npm pack ./pkg + install in a fresh project" pack_and_install
fi
if [ -n "$tarball" ]; then
  suite "JS tests (test-js/*.test.mjs, packed package)" \
    in_js_project '*.test.mjs' node --test --test-reporter=spec
  suite "type tests (test-js/*.test-d.ts, packed package)" \
    in_js_project '*.test-d.ts' tsc --noEmit --strict --module nodenext --moduleResolution nodenext \
    --target es2022 --lib es2022,dom
  suite "packaging tests (test-packaging)" env CODOMYRMEX_TARBALL="$tarball" \
    node --test --test-reporter=spec test-packaging/*.test.mjs
  suite "bridge tests (test-bridges: nats-server, worker_threads, Chromium; packed package)" \
    env CODOMYRMEX_TARBALL="$tarball" node --test --test-reporter=spec test-bridges/*.test.mjs
else
  failed+=("JS, type and packaging tests (not run: no package)")
fi
# Suites that use pkg/ from the source tree, when they exist.
if compgen -G 'test-e2e/*.test.mjs' >/dev/null; then
  suite "browser e2e tests (test-e2e)" node --test --test-reporter=spec test-e2e/*.test.mjs
fi
if compgen -G 'bench/*.test.mjs' >/dev/null; then
  suite "benchmark smoke test (bench)" node --test --test-reporter=spec bench/*.test.mjs
fi

printf '\n=== summary\n'
for s in "${passed[@]}"; do echo "  passed  $s"; done
for s in "${failed[@]}"; do echo "  FAILED  $s"; done
echo "${#passed[@]} passed, ${#failed[@]} failed"
[ ${#failed[@]} -eq 0 ]
