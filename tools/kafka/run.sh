#!/usr/bin/env bash
# Starts a single-node Apache Kafka 4 cluster (KRaft: broker and controller in one JVM) on
# 127.0.0.1, on a free port, with its data in a temp dir deleted on exit.
# Usage: tools/kafka/run.sh [--port 0] [--topic name[:partitions]]... [--data-dir dir] \
#          [--conf key=value]... [--parent-pid pid]
# Builds first when needed (build.sh). Prints "READY bootstrap=127.0.0.1:<port> startup_ms=<ms>"
# on stdout once clients can use it; logs (WARN and above) go to stderr.
# Env: JAVA (java binary, 17+), KAFKA_SKIP_BUILD=1 (caller already built), KAFKA_XMX (default 512m),
# KAFKA_JAVA_OPTS (extra flags), KAFKA_LOG_LEVEL (default warn).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if [[ "${KAFKA_SKIP_BUILD:-0}" != 1 ]]; then
  "$HERE/build.sh" >&2
fi

JAVA="${JAVA:-java}"
if ! command -v "$JAVA" >/dev/null 2>&1; then
  echo "kafka: 'java' not found (need a JDK/JRE 17+ on PATH, or set JAVA=...)" >&2
  exit 127
fi

CP="$HERE/target/kafka-broker-0.1.0.jar:$(cat "$HERE/target/classpath.txt")"
# shellcheck disable=SC2086
exec "$JAVA" -Xmx"${KAFKA_XMX:-512m}" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
  ${KAFKA_JAVA_OPTS:-} \
  -Dorg.slf4j.simpleLogger.logFile=System.err \
  -Dorg.slf4j.simpleLogger.defaultLogLevel="${KAFKA_LOG_LEVEL:-warn}" \
  -Dorg.slf4j.simpleLogger.showDateTime=true \
  -cp "$CP" dev.statefunts.kafka.Main "$@"
