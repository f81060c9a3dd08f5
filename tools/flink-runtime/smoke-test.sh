#!/usr/bin/env bash
# End-to-end smoke test of tools/flink-runtime with the REAL StateFun runtime and a function
# written with the official JS SDK (apache-flink-statefun@3.3.0, from the repo's node_modules;
# if it is missing, it is installed into a temp dir outside the repo).
# Loopback only; bounded; the function server and the JVM are stopped on exit (trap).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WORK="$HERE/target/smoke"
rm -rf "$WORK" && mkdir -p "$WORK"

for tool in java mvn node; do
  command -v "$tool" >/dev/null 2>&1 || { echo "smoke-test: '$tool' not found on PATH" >&2; exit 127; }
done

FN_PID=""
cleanup() {
  [[ -n "$FN_PID" ]] && kill "$FN_PID" 2>/dev/null || true
  if [[ -f "$WORK/jvm.pid" ]]; then kill -9 "$(cat "$WORK/jvm.pid")" 2>/dev/null || true; fi
}
trap cleanup EXIT INT TERM

start=$(date +%s%N)
"$HERE/build.sh"
echo "smoke-test: build step took $(( ($(date +%s%N) - start) / 1000000 )) ms"

SDK_ARG=()
if ! (cd "$HERE/smoke" && node -e 'require.resolve("apache-flink-statefun")') 2>/dev/null; then
  SDK_DIR="${TMPDIR:-/tmp}/statefun-ts-smoke-sdk"
  if [[ ! -d "$SDK_DIR/node_modules/apache-flink-statefun" ]]; then
    echo "smoke-test: installing apache-flink-statefun@3.3.0 into $SDK_DIR"
    mkdir -p "$SDK_DIR" && echo '{"private":true}' > "$SDK_DIR/package.json"
    (cd "$SDK_DIR" && npm install --no-audit --no-fund --silent apache-flink-statefun@3.3.0)
  fi
  SDK_ARG=("$SDK_DIR/node_modules/apache-flink-statefun")
fi

node "$HERE/smoke/greeter-fn.mjs" "${SDK_ARG[@]}" > "$WORK/fn.out" 2> "$WORK/fn.err" &
FN_PID=$!
for _ in $(seq 1 100); do
  grep -q '^LISTENING' "$WORK/fn.out" 2>/dev/null && break
  kill -0 "$FN_PID" 2>/dev/null || { cat "$WORK/fn.err" >&2; exit 1; }
  sleep 0.1
done
FN_PORT=$(awk '/^LISTENING/{print $2}' "$WORK/fn.out")
[[ -n "$FN_PORT" ]] || { echo "smoke-test: the function server did not start" >&2; exit 1; }
echo "smoke-test: greeter function (official JS SDK) on 127.0.0.1:$FN_PORT"

timeout 300 node "$HERE/smoke/smoke.mjs" "$FN_PORT" "$WORK"
