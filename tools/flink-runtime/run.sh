#!/usr/bin/env bash
# Starts the real StateFun 3.3 runtime (Flink 1.16.2 MiniCluster) in one JVM.
# Usage: tools/flink-runtime/run.sh --module path/to/module.yaml [--egress ns/name]... \
#          [--control-port 0] [--parallelism 1] [--checkpoint-interval 1s] [--conf key=value]...
# Builds first when needed (build.sh). Prints "CONTROL <url>" and, once the job runs,
# "READY startup_ms=<ms> control=<url>" on stdout; logs go to stderr.
# Env: JAVA (java binary), FLINK_RUNTIME_SKIP_BUILD=1 (caller already built), FLINK_RUNTIME_XMX (default 1g), FLINK_RUNTIME_JAVA_OPTS (extra flags).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if [[ "${FLINK_RUNTIME_SKIP_BUILD:-0}" != 1 ]]; then
  "$HERE/build.sh" >&2
fi

JAVA="${JAVA:-java}"
if ! command -v "$JAVA" >/dev/null 2>&1; then
  echo "flink-runtime: 'java' not found (need a JDK/JRE 11 or 17 on PATH, or set JAVA=...)" >&2
  exit 127
fi

# The module-access flags that Flink 1.18 passes by default (env.java.opts.all), so that
# Flink 1.16 runs on Java 17.
JVM_FLAGS=(
  --add-exports=java.base/sun.net.util=ALL-UNNAMED
  --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED
  --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED
  --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.text=ALL-UNNAMED
  --add-opens=java.base/java.time=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED
)

CP="$HERE/target/flink-runtime-0.1.0.jar:$(cat "$HERE/target/classpath.txt")"
# shellcheck disable=SC2086
exec "$JAVA" -Xmx"${FLINK_RUNTIME_XMX:-1g}" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
  "${JVM_FLAGS[@]}" ${FLINK_RUNTIME_JAVA_OPTS:-} \
  -Dlog4j.configuration=log4j.properties \
  -cp "$CP" dev.statefunts.flinkruntime.Main "$@"
