#!/usr/bin/env bash
# Builds tools/kafka: target/kafka-broker-0.1.0.jar and target/classpath.txt (Apache Kafka 4 from
# Maven Central). Idempotent: does nothing when both are newer than pom.xml and every file under
# src/. FORCE=1 rebuilds anyway. Needs 'java' (17+) and 'mvn' (Maven Central reachable on the first build).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$HERE"
JAR=target/kafka-broker-0.1.0.jar
CPF=target/classpath.txt

up_to_date() {
  [[ -f $JAR && -s $CPF ]] || return 1
  [[ -z "$(find pom.xml src -newer "$JAR" -print -quit)" ]] || return 1
  [[ -z "$(find pom.xml -newer "$CPF" -print -quit)" ]] || return 1
  # every jar on the classpath must still exist (e.g. ~/.m2 wiped)
  local IFS=':' j
  for j in $(cat "$CPF"); do [[ -f $j ]] || return 1; done
  return 0
}

if [[ "${FORCE:-0}" != 1 ]] && up_to_date; then
  echo "kafka: build up to date ($JAR)"
  exit 0
fi

# Concurrent callers build once: take a lock, then look again.
mkdir -p target
if command -v flock >/dev/null 2>&1; then
  exec 9>target/.build.lock
  flock 9
  if [[ "${FORCE:-0}" != 1 ]] && up_to_date; then
    echo "kafka: build up to date ($JAR, built by a concurrent caller)"
    exit 0
  fi
fi

if ! command -v java >/dev/null 2>&1; then
  echo "kafka: 'java' not found on PATH: install a JDK 17+ (e.g. apt-get install openjdk-17-jdk-headless)" >&2
  exit 127
fi
if ! command -v mvn >/dev/null 2>&1; then
  echo "kafka: 'mvn' (Maven) not found on PATH: install Maven 3.8+ (e.g. apt-get install maven)" >&2
  exit 127
fi

start=$(date +%s%N)
echo "kafka: building with Maven..."
mvn -B -q -Dstyle.color=never -DskipTests package dependency:build-classpath -Dmdep.outputFile="$HERE/$CPF"
touch "$CPF" "$JAR"
echo "kafka: built $JAR in $(( ($(date +%s%N) - start) / 1000000 )) ms"
